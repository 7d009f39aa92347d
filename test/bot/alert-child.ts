/**
 * A bot replica for the exactly-once alert test: it opens the shared Cosmos database, and on "go" sweeps the
 * finished jobs three times (as every replica does every 30 s), sending what it claims.
 */
import { createInterface } from "node:readline";
import pino from "pino";
import { systemClock } from "../../core/system-clock";
import { createEngine } from "../../core/engine";
import { engineConfigFromEnv } from "../../app/settings/section-readers";
import type { Directory } from "../../core/ports";
import { createAdapter } from "../../bot/bot-server";
import { JobWatcher } from "../../bot/proactive/job-watcher";
import { ProactiveSender } from "../../bot/proactive/proactive-sender";
import { openCosmosTestStores } from "../engine/cosmos-test-store";

/** This replica never reaches the directory: the watcher reads jobs as the system, which looks up no roles. */
const noDirectory = new Proxy({} as Directory, {
  get: (_, name) => () => Promise.reject(new Error(`the alert replica has no directory (${String(name)})`)),
});

interface Args {
  endpoint: string;
  databaseId: string;
  tenantId: string;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? "{}") as Args;
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
  const opened = await openCosmosTestStores(args.endpoint, args.databaseId, log);
  // The engine's façade over the shared store (never started: this replica runs no jobs, it only alerts).
  const engine = createEngine({ directory: noDirectory, store: opened.store, clock: systemClock, log }, { tenantId: args.tenantId, config: engineConfigFromEnv({}), scheduleBackups: false });
  const sender = new ProactiveSender(createAdapter({ mode: "local" }, log), "", opened.conversations, args.tenantId, systemClock, log, { backoffMs: 20, spacingMs: 5 });
  const watcher = new JobWatcher(engine.rewind, opened.conversations, sender, { host: "127.0.0.1", port: 0, auth: { mode: "local" }, tenantId: args.tenantId, cardUpdateMs: 1000 }, systemClock, log, async () => false);
  process.stdout.write("ready\n");
  for await (const line of createInterface({ input: process.stdin })) {
    if (line !== "go") break;
    await Promise.all([watcher.sweepFinished(), watcher.sweepFinished(), watcher.sweepFinished()]);
    process.stdout.write("swept\n");
  }
  await watcher.stop();
  await opened.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
