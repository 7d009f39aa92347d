/**
 * A recovery whose process is killed (SIGKILL) mid-way resumes in another process and completes with no
 * change applied twice: the simulator counts the writes each object received.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { DriftClient } from "../../sim/drift";
import { DEMO_TENANT_ID } from "../../sim/index";
import { collect, objectsOf } from "../graph/gateway-fixture";
import { ADA, BEN, startEngineFixture, type EngineFixture } from "./engine-fixture";
import { approvalOf } from "./approval";
import { startCosmosTestServer, type CosmosTestServer } from "../contract/cosmos-temp";

const REPO = path.resolve(__dirname, "../..");

function startChild(fx: EngineFixture): { proc: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> } {
  const args = { store: fx.storeArgs, url: fx.f.sim.url, ca: fx.f.sim.ca, tenantId: DEMO_TENANT_ID };
  const proc = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "recovery-child.ts"), JSON.stringify(args)], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) => proc.on("exit", (code, signal) => resolve({ code, signal, out })));
  return { proc, exited };
}

describe.each(["SQLite", "Cosmos DB"])("a recovery killed mid-way, on %s", (kind) => {
  let fx: EngineFixture;
  let cosmos: CosmosTestServer | undefined;
  beforeAll(async () => {
    // On Cosmos the two engine processes share a database on the test server (issue 5: a replica takes over
    // a dead replica's job once its lease lapses).
    if (kind === "Cosmos DB") cosmos = await startCosmosTestServer();
    fx = await startEngineFixture({}, {}, cosmos ? { cosmos } : {});
  });
  afterAll(async () => {
    await fx?.close();
    await cosmos?.close();
  });

  it("resumes in a new process and applies every change exactly once", async () => {
    const { rewind } = fx.engine;
    const backup = await rewind.takeBackup(ADA);
    const users = objectsOf(await collect(fx.f.graph.readAll("user"))).filter(
      (u) => u.properties["onPremisesSyncEnabled"] !== true && !u.id.startsWith("0a0a0a0a-") && u.properties["userType"] === "Member",
    );
    const edited = users.slice(0, 80).map((u) => u.id);
    const deleted = users.slice(80, 90).map((u) => u.id);
    const drift = new DriftClient(fx.f.sim.url, fx.f.sim.ca);
    try {
      for (const id of edited) expect((await drift.patch("users", id, { department: "Crash test", jobTitle: "Temp" })).status).toBe(204);
      for (const id of deleted) expect((await drift.softDelete("users", id)).status).toBe(204);
    } finally {
      await drift.close();
    }
    const report = await fx.waitForJob((await rewind.startDifferenceReport(ADA, { backupId: backup.id })).id);
    expect(report.summary?.total).toBe(90);

    // From here on, jobs run only in the child processes.
    await fx.engine.runner.stop();
    const request = await rewind.requestRecovery(ADA, { reportId: report.id });
    const job = await rewind.startRecovery(BEN, approvalOf(request));
    fx.f.sim.resetStats();

    const first = startChild(fx);
    // Kill it once a good part of the writes are done (40 per second: about a second in).
    const until = Date.now() + 30_000;
    while (fx.f.sim.stats().writes < 30) {
      if (Date.now() > until) throw new Error(`no progress: ${(await Promise.race([first.exited, Promise.resolve({ out: "running" })])).out}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    first.proc.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");
    const writesBeforeKill = fx.f.sim.stats().writes;
    expect(writesBeforeKill).toBeLessThan(90);

    const second = startChild(fx);
    const end = await second.exited;
    expect({ code: end.code, out: end.out }).toEqual({ code: 0, out: expect.stringContaining("done") });

    const done = await rewind.getJob(ADA, job.id);
    expect(done).toMatchObject({ state: "succeeded", outcomes: { total: 90, applied: 90, failed: 0, skipped: 0 } });
    // The façade gives a card the attempt count (the runner's lease and version stay in the engine).
    const view = await rewind.viewJob(ADA, { jobId: job.id }, { changes: 1, failed: 1 });
    expect(view.attempts).toBe(2);
    expect(view.job).not.toHaveProperty("lease");
    const writes = fx.f.sim.stats().writesByObject;
    for (const id of [...edited, ...deleted]) expect({ id, writes: writes[id] ?? 0 }).toEqual({ id, writes: 1 });
    expect(fx.f.sim.stats().writes).toBe(90);
    // And the tenant is back: nothing left to recover.
    await fx.engine.runner.start();
    const again = await fx.waitForJob((await rewind.startDifferenceReport(ADA, { backupId: backup.id })).id);
    expect(again.summary?.total).toBe(0);
  }, 180_000);
});
