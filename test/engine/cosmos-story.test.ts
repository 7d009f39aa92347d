import pino from "pino";
import { systemClock } from "../../core/system-clock";
import { createEngine, type Engine } from "../../core/engine";
import { engineConfigFromEnv } from "../../app/settings/section-readers";
import { isTerminal, type Job } from "../../core/model/job";
import { SqliteStore } from "../../core/store/sqlite/sqlite-store";
import { applyDemoDrift } from "../../sim/drift";
import { DEMO_TENANT_ID } from "../../sim/index";
import { startCosmosTestServer, type CosmosTestServer } from "../contract/cosmos-temp";
import { startFixture, type Fixture } from "../graph/gateway-fixture";
import { approvalOf } from "./approval";
import { cosmosStoreOn } from "./cosmos-test-store";
import { ADA, BEN } from "./engine-fixture";

jest.setTimeout(180_000);

/**
 * The engine's story on the Cosmos store (the three parts composed): a backup, the demo drift, a report of
 * exactly its changes, a recovery approved by a second administrator, and a clean second report.
 */
describe("the engine on Cosmos DB (@vercel/cosmosdb-server)", () => {
  let f: Fixture;
  let cosmos: CosmosTestServer;
  let engine: Engine;
  beforeAll(async () => {
    f = await startFixture({ throttling: false });
    cosmos = await startCosmosTestServer();
  });
  afterAll(async () => {
    await engine?.stop();
    await cosmos?.close();
    await f?.close();
  });

  it("runs backup → report → approved recovery → empty report on the composed Cosmos store", async () => {
    const log = pino({ level: "silent" });
    const containers = await cosmos.freshContainers();
    const store = cosmosStoreOn(containers, log);
    // Every method of the port is there (the SQLite store implements all of it).
    const portMethods = Object.getOwnPropertyNames(SqliteStore.prototype).filter((n) => n !== "constructor" && typeof (SqliteStore.prototype as unknown as Record<string, unknown>)[n] === "function");
    // SqliteStore's own helpers and extras, not part of the port.
    const notPort = ["close", "turn", "locate", "requireCompleted", "withTenant", "withJob", "write", "read", "dropJobData", "purge", "countObjects", "requireJob"];
    const missing = portMethods.filter((n) => !notPort.includes(n) && typeof (store as unknown as Record<string, unknown>)[n] !== "function");
    expect(missing).toEqual([]);
    engine = createEngine(
      { directory: f.graph, store, clock: systemClock, log },
      { tenantId: DEMO_TENANT_ID, config: engineConfigFromEnv({}), scheduleBackups: false, runner: { leaseMs: 3_000, heartbeatMs: 200, pollMs: 500 } },
    );
    await engine.start();
    const { rewind } = engine;
    const waitFor = async (id: string): Promise<Job> => {
      for (const until = Date.now() + 60_000; ; ) {
        const job = await rewind.getJob(ADA, id);
        if (isTerminal(job.state)) return job;
        if (Date.now() > until) throw new Error(`job ${id} still ${job.state}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    const backup = await rewind.takeBackup(ADA);
    expect((await rewind.listBackups(ADA)).backups.map((b) => b.id)).toEqual([backup.id]);
    await applyDemoDrift(f.sim.url, f.sim.ca);
    const report = await waitFor((await rewind.startDifferenceReport(ADA, { backupId: backup.id })).id);
    expect(report.state).toBe("succeeded");
    expect(report.summary).toMatchObject({ total: 8, notRecoverable: 2 });
    expect((await rewind.getChanges(ADA, report.id, { top: 100 })).changes).toHaveLength(8);

    const request = await rewind.requestRecovery(ADA, { reportId: report.id });
    const recovery = await waitFor((await rewind.startRecovery(BEN, approvalOf(request))).id);
    expect(recovery).toMatchObject({ state: "completedWithWarnings", outcomes: { total: 8, applied: 6, failed: 0, skipped: 2 } });

    const again = await waitFor((await rewind.startDifferenceReport(ADA, { backupId: backup.id })).id);
    expect(again.summary).toMatchObject({ total: 2, notRecoverable: 2 });
  });
});
