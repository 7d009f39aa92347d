import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { systemClock } from "../../core/backup/system-clock";
import { createEngine, type Engine, type EngineOptions } from "../../core/engine";
import { engineConfigFromEnv } from "../../core/engine-config";
import { isTerminal, type Job } from "../../core/model/job";
import type { Actor } from "../../core/rewind-settings";
import { SqliteStore } from "../../core/store/sqlite/sqlite-store";
import { DEMO_TENANT_ID } from "../../sim/index";
import { startFixture, type Fixture } from "../graph/gateway-fixture";

export const ADA: Actor = { userId: "0a0a0a0a-0000-4000-8000-000000000001" };
export const BEN: Actor = { userId: "0a0a0a0a-0000-4000-8000-000000000002" };
export const GIL: Actor = { userId: "0a0a0a0a-0000-4000-8000-000000000003" };
export const RITA: Actor = { userId: "0a0a0a0a-0000-4000-8000-000000000004" };
export const NORA: Actor = { userId: "0a0a0a0a-0000-4000-8000-000000000005" };

/** The demo tenant in the simulator, a store on a temp file, and the engine over both (fast leases). */
export interface EngineFixture {
  readonly f: Fixture;
  readonly store: SqliteStore;
  readonly engine: Engine;
  readonly dir: string;
  /** Polls a job until it ends (or the time runs out). */
  waitForJob(jobId: string, actor?: Actor, timeoutMs?: number): Promise<Job>;
  close(): Promise<void>;
}

export async function startEngineFixture(options: Partial<EngineOptions> = {}, env: Record<string, string> = {}): Promise<EngineFixture> {
  const f = await startFixture({ throttling: false });
  const dir = mkdtempSync(path.join(tmpdir(), "rewind-engine-"));
  const store = SqliteStore.open({ file: path.join(dir, "rewind.db") });
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
  const engine = createEngine(
    { directory: f.graph, store, clock: systemClock, log },
    {
      tenantId: DEMO_TENANT_ID,
      config: engineConfigFromEnv(env),
      scheduleBackups: false,
      runner: { leaseMs: 3_000, heartbeatMs: 200, pollMs: 500 },
      ...options,
    },
  );
  await engine.start();
  return {
    f,
    store,
    engine,
    dir,
    async waitForJob(jobId, actor = ADA, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const job = await engine.rewind.getJob(actor, jobId);
        if (isTerminal(job.state)) return job;
        if (Date.now() > until) throw new Error(`job ${jobId} still ${job.state} after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await engine.stop();
      store.close();
      await f.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
