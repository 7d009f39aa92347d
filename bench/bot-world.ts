import pino from "pino";
import { startRewindApp, type RewindApp } from "../app/rewind-app";
import { GraphDirectory } from "../core/graph/graph-directory";
import { StaticTokenProvider } from "../core/graph/token-provider";
import { isTerminal, type Job } from "../core/model/job";
import type { BenchPerson } from "./bot-client";
import type { SimConnection } from "./sim-control";
import { sleep } from "../lib/async";

/** The app as production starts it, on the simulator, with what the benchmark needs to reach it. */
export interface BenchApp {
  readonly app: RewindApp;
  readonly graph: GraphDirectory;
  readonly botUrl: string;
  /** Milliseconds startRewindApp took (store open and migrate, engine start, bot listening). */
  readonly startMs: number;
  stop(): Promise<void>;
}

/**
 * The Graph gateway on the simulator, trusting its CA, as bench/engine-world.ts builds it. A fresh one per
 * app, so a "cold" app also opens its Graph connection anew.
 */
export function openGraph(conn: SimConnection): GraphDirectory {
  return new GraphDirectory({ tokenProvider: new StaticTokenProvider("bench"), baseUrl: conn.url, ca: conn.ca, writeBudget: false });
}

/**
 * startRewindApp in local mode (no BOT_ID, loopback, any free port) on a SQLite file, for the simulated tenant,
 * with no scheduled backups (the benchmark takes them). `accessCacheMs` 0 makes every call read roles from
 * Graph (the engine's default reuses them 60 s).
 */
export async function startBenchApp(conn: SimConnection, storeFile: string, options: { accessCacheMs?: number } = {}): Promise<BenchApp> {
  const graph = openGraph(conn);
  const log = pino({ level: process.env["BENCH_LOG"] ?? "silent" });
  const started = performance.now();
  const app = await startRewindApp({ TENANT_ID: conn.tenantId, BOT_PORT: "0", BOT_HOST: "127.0.0.1", STORE_FILE: storeFile }, graph, log, {
    allowLocalMode: true,
    engine: { scheduleBackups: false, ...(options.accessCacheMs !== undefined ? { accessCacheMs: options.accessCacheMs } : {}) },
  });
  const startMs = performance.now() - started;
  return {
    app,
    graph,
    botUrl: `${app.bot.server.url}/api/messages`,
    startMs,
    async stop() {
      await app.stop();
      await graph.close();
    },
  };
}

/** The simulated tenant's first Global Administrator (generated user 0), as Teams would show them. */
export async function benchAdmin(graph: GraphDirectory): Promise<BenchPerson> {
  const [id] = await graph.directoryRoleMembers("Global Administrator");
  if (!id) throw new Error("The simulated tenant has no Global Administrator to act as.");
  return { aadObjectId: id, name: "Bench Global Admin", teamsId: `29:bench-${id.slice(0, 8)}` };
}

/** Waits for a job to end, reading the store (the engine runs it in this process). */
export async function waitForJob(app: RewindApp, tenantId: string, jobId: string, timeoutMs: number): Promise<Job> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = (await app.store.getJob(tenantId, jobId))?.job;
    if (job && isTerminal(job.state)) return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${job?.state ?? "missing"} after ${timeoutMs} ms`);
    await sleep(250);
  }
}
