/**
 * One replica of the chaos benchmark: a whole Rewind app (engine with its job runner, bot with its watcher
 * and alerts) on the shared Cosmos database, as a production replica runs it, with a short job lease so a
 * replica killed with SIGKILL is taken over within seconds. SIGTERM is production's graceful stop. It
 * reports its pid and bot URL once it is up.
 */
import { installShutdown } from "../app/shutdown";
import { startChaosApp, type ChaosAppArgs } from "./chaos-app";

export interface ReplicaArgs extends ChaosAppArgs {
  /** The runner's owner name in job leases (the benchmark tells replicas and restarts apart by it). */
  readonly owner: string;
  readonly leaseMs: number;
  readonly heartbeatMs: number;
  readonly pollMs: number;
}

/** What a replica reports once up. */
export interface ReplicaReady {
  readonly pid: number;
  readonly botUrl: string;
  readonly startMs: number;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? "{}") as ReplicaArgs;
  const started = performance.now();
  const chaos = await startChaosApp(args, { owner: args.owner, leaseMs: args.leaseMs, heartbeatMs: args.heartbeatMs, pollMs: args.pollMs });
  installShutdown({ log: chaos.log, deadlineMs: 25_000, stop: () => chaos.stop() });
  chaos.log.info({ owner: args.owner }, "chaos replica up");
  process.send?.({ pid: process.pid, botUrl: chaos.botUrl, startMs: Math.round(performance.now() - started) } satisfies ReplicaReady);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
