import { readChangeOutcomes } from "../../core/recovery/outcome";
import { applyDemoDrift } from "../../sim/drift";
import { collect, objectsOf } from "../graph/gateway-fixture";
import { RecoveryWorld, TENANT } from "./recovery-world";
import { ProcessDied, TrippingDirectory } from "./tripping-directory";

/** A demo tenant drifted by applyDemoDrift, its report, and a recovery job of it not yet run. */
async function driftedWorld() {
  const w = await RecoveryWorld.start();
  const actions = await applyDemoDrift(w.f.sim.url, w.f.sim.ca);
  for (const a of actions) expect([a.action, a.status]).toEqual([a.action, a.expectedStatus]);
  const report = await w.report();
  const job = await w.recoveryJob(report);
  w.f.sim.resetStats();
  return { w, report, job };
}

describe("a recovery that stops halfway and is run again", () => {
  /** What a recovery that never stopped writes, per object, and in how many write calls. */
  let clean: { writes: Record<string, number>; calls: number; outcomes: unknown };
  beforeAll(async () => {
    const { w, job } = await driftedWorld();
    try {
      const counting = new TrippingDirectory(w.f.graph, () => undefined);
      const run = await w.attempt(job, { directory: counting });
      expect(run.job.state).toBe("completedWithWarnings");
      clean = { writes: w.writes(), calls: counting.calls, outcomes: run.job.outcomes };
    } finally {
      await w.close();
    }
    // The stopping points below fall inside the run: restores, updates, links, soft-deletes.
    expect(clean.calls).toBe(8);
  });

  it.each([
    [1, "after"], // the restore
    [2, "before"], // the property updates
    [2, "after"],
    [3, "after"], // a manager, while a group's links are under way
    [5, "after"], // the group's members half written
    [6, "before"],
    [8, "after"], // the soft delete
  ] as const)("dies at write call %i (%s it is sent), then resumes without writing anything twice", async (call, phase) => {
    const { w, job } = await driftedWorld();
    try {
      const dying = new TrippingDirectory(w.f.graph, (n, p) => {
        if (n === call && p === phase) throw new ProcessDied(n, p);
      });
      const first = await w.attempt(job, { directory: dying });
      expect(first.error).toBeInstanceOf(ProcessDied);
      expect(first.job.state).toBe("running"); // not finished: the next attempt takes it up
      // The step whose write was about to go out, or had just gone out, is recorded as in flight.
      expect((await w.outcomes(job.id)).some((o) => o.status === "inFlight")).toBe(true);

      const second = await w.attempt(job);
      expect(second.error).toBeUndefined();
      expect(second.attempts).toBe(2);
      expect(second.states).toEqual(["running"]); // the plan is kept, not made again
      expect(second.job.state).toBe("completedWithWarnings");
      expect(second.job.outcomes).toEqual(clean.outcomes);
      expect(w.writes()).toEqual(clean.writes);
      expect((await w.outcomes(job.id)).filter((o) => o.status === "inFlight")).toEqual([]);
      const after = await w.report();
      expect((await w.changes(after.id)).filter((c) => c.recoverable)).toEqual([]);
    } finally {
      await w.close();
    }
  });

  it("plans again when it died while planning", async () => {
    const { w, job } = await driftedWorld();
    try {
      const dying = new TrippingDirectory(
        w.f.graph,
        () => undefined,
        (n) => {
          if (n === 3) throw new ProcessDied(n, "reading for");
        },
      );
      const first = await w.attempt(job, { directory: dying });
      expect(first.error).toBeInstanceOf(ProcessDied);
      expect(first.job.summary).toBeUndefined();
      expect(w.writes()).toEqual({});

      const second = await w.attempt(job);
      expect(second.states).toEqual(["loadingData", "running"]);
      expect(second.job.state).toBe("completedWithWarnings");
      expect(second.job.outcomes).toEqual(clean.outcomes);
      expect(w.writes()).toEqual(clean.writes);
    } finally {
      await w.close();
    }
  });
});

describe("a canceled recovery", () => {
  let w: RecoveryWorld;
  beforeEach(async () => {
    w = await RecoveryWorld.start();
  });
  afterEach(async () => {
    await w.close();
  });

  it("stops at the next safe point: what was applied stays applied and recorded, the rest has no outcome", async () => {
    const users = objectsOf(await collect(w.f.graph.readAll("user"))).filter((u) => u.properties["onPremisesSyncEnabled"] !== true && !u.id.startsWith("0a0a0a0a-"));
    const drifted = users.slice(0, 4);
    for (const u of drifted) expect((await w.drift.patch("users", u.id, { department: "Drifted" })).status).toBe(204);
    const report = await w.report();
    const job = await w.recoveryJob(report);
    w.f.sim.resetStats();

    // Ada cancels it while its second write is under way; the runner's heartbeat finds the cancel.
    const canceling = new TrippingDirectory(w.f.graph, async (n, phase) => {
      if (n === 2 && phase === "after") await w.cancel(job.id);
    });
    const run = await w.attempt(job, { directory: canceling, handler: { pageSize: 1 } });
    expect(run.job.state).toBe("canceled");
    expect(run.job.outcomes).toEqual({ total: 4, applied: 2, failed: 0, skipped: 0 });

    const changes = await w.changes(job.id);
    const [firstTwo, rest] = [changes.slice(0, 2), changes.slice(2)];
    expect(w.writes()).toEqual(Object.fromEntries(firstTwo.map((c) => [c.id, 1])));
    const outcomes = await w.outcomes(job.id);
    expect(outcomes.map((o) => [o.seq, o.step, o.status])).toEqual(firstTwo.map((c) => [c.seq, "update", "applied"]));
    const listed = await readChangeOutcomes(w.store, TENANT, job.id, { limit: 10 });
    expect(listed.map((o) => o.outcome)).toEqual(["applied", "applied", "pending", "pending"]);
    for (const c of rest) expect((await w.f.graph.getObject("user", c.id))?.object.properties["department"]).toBe("Drifted");
    for (const c of firstTwo) {
      const before = drifted.find((u) => u.id === c.id)!;
      expect((await w.f.graph.getObject("user", c.id))?.object.properties["department"]).toBe(before.properties["department"] ?? null);
    }
  });
});
