import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { systemClock } from "../../core/system-clock";
import { createEngine, type Engine, type EngineOptions } from "../../core/engine";
import { engineConfigFromEnv } from "../../app/settings/section-readers";
import { isTerminal, type Job } from "../../core/model/job";
import type { Actor } from "../../core/rewind-settings";
import type { Store } from "../../core/ports";
import { SqliteStore } from "../../core/store/sqlite/sqlite-store";
import type { CosmosTestServer } from "../contract/cosmos-temp";
import { cosmosStoreOn } from "./cosmos-test-store";
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
  readonly store: Store;
  /** How another process opens the same store (the crash test's children). */
  readonly storeArgs: ChildStoreArgs;
  readonly engine: Engine;
  readonly dir: string;
  /** Polls a job until it ends (or the time runs out). */
  waitForJob(jobId: string, actor?: Actor, timeoutMs?: number): Promise<Job>;
  close(): Promise<void>;
}

/** Where a store lives, for another process: a SQLite file, or a database on the Cosmos test server. */
export type ChildStoreArgs = { readonly kind: "sqlite"; readonly file: string } | { readonly kind: "cosmos"; readonly endpoint: string; readonly databaseId: string };

export async function startEngineFixture(options: Partial<EngineOptions> = {}, env: Record<string, string> = {}, on: { cosmos?: CosmosTestServer } = {}): Promise<EngineFixture> {
  const f = await startFixture({ throttling: false });
  const dir = mkdtempSync(path.join(tmpdir(), "rewind-engine-"));
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
  let store: Store & { close(): void | Promise<void> };
  let storeArgs: ChildStoreArgs;
  if (on.cosmos) {
    const { databaseId, containers } = await on.cosmos.freshDatabase();
    store = cosmosStoreOn(containers, log);
    storeArgs = { kind: "cosmos", endpoint: on.cosmos.endpoint, databaseId };
  } else {
    store = SqliteStore.open({ file: path.join(dir, "rewind.db") });
    storeArgs = { kind: "sqlite", file: path.join(dir, "rewind.db") };
  }
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
    storeArgs,
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
      await store.close();
      await f.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
