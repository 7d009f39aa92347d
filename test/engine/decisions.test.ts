/**
 * A recovery request is decided once: Approve and Reject race to one compare-and-set, the second-approver rule
 * is on by default, and a stale or failed approval never starts a job that nobody approved.
 */
import { DriftClient } from "../../sim/drift";
import { collect, objectsOf } from "../graph/gateway-fixture";
import { approvalOf } from "./approval";
import { ADA, BEN, GIL, RITA, startEngineFixture, type EngineFixture } from "./engine-fixture";

/** Changes one plain user's job title, so a report has something to recover. */
async function driftOneUser(fx: EngineFixture, title: string): Promise<void> {
  const user = objectsOf(await collect(fx.f.graph.readAll("user"))).find((u) => u.properties["onPremisesSyncEnabled"] !== true && !u.id.startsWith("0a0a0a0a-"))!;
  const drift = new DriftClient(fx.f.sim.url, fx.f.sim.ca);
  try {
    expect((await drift.patch("users", user.id, { jobTitle: title })).status).toBe(204);
  } finally {
    await drift.close();
  }
}

describe("recovery decisions (defaults: a second approver is required)", () => {
  let fx: EngineFixture;
  let backupId: string;
  beforeAll(async () => {
    fx = await startEngineFixture({}, {});
    backupId = (await fx.engine.rewind.takeBackup(ADA)).id;
  });
  afterAll(async () => {
    await fx.close();
  });

  async function report(title: string): Promise<string> {
    await driftOneUser(fx, title);
    return (await fx.waitForJob((await fx.engine.rewind.startDifferenceReport(ADA, { backupId })).id)).id;
  }

  it("refuses the requester as approver by default (RECOVERY_REQUIRES_SECOND_APPROVER is on unless turned off)", async () => {
    const { rewind } = fx.engine;
    expect(rewind.settings.requireSecondApprover).toBe(true);
    const request = await rewind.requestRecovery(ADA, { reportId: await report("Default rule") });
    await expect(rewind.startRecovery(ADA, approvalOf(request))).rejects.toMatchObject({ status: 403, message: expect.stringMatching(/another administrator must approve/) });
    expect(await rewind.getRecoveryRequest(ADA, request.id)).toMatchObject({ state: "pending" });
    await rewind.rejectRecovery(BEN, approvalOf(request));
  });

  it("concurrent Approve and Reject: exactly one wins, and when Reject wins no recovery job exists and nothing reaches Graph", async () => {
    const { rewind } = fx.engine;
    const reportId = await report("Race");
    const outcomes = { approved: 0, rejected: 0 };
    for (let round = 0; round < 6; round++) {
      const request = await rewind.requestRecovery(ADA, { reportId });
      const writesBefore = fx.f.sim.stats().writes;
      // Both administrators click at once, in alternating order.
      const clicks = [() => rewind.startRecovery(BEN, approvalOf(request)), () => rewind.rejectRecovery(GIL, approvalOf(request))];
      const [first, second] = round % 2 === 0 ? clicks : [...clicks].reverse();
      const settled = await Promise.allSettled([first!(), second!()]);
      expect(settled.filter((s) => s.status === "fulfilled")).toHaveLength(1);
      for (const s of settled) if (s.status === "rejected") expect(s.reason).toMatchObject({ status: 409 });

      const decided = await rewind.getRecoveryRequest(ADA, request.id);
      const jobs = (await rewind.listJobs(ADA, { kind: "recovery" })).filter((j) => j.kind === "recovery" && j.recoveryRequestId === request.id);
      if (decided.state === "rejected") {
        outcomes.rejected++;
        expect(jobs).toEqual([]);
        expect(fx.f.sim.stats().writes).toBe(writesBefore);
      } else {
        outcomes.approved++;
        expect(decided).toMatchObject({ state: "approved", decidedBy: BEN.userId });
        expect(jobs.map((j) => j.id)).toEqual([decided.recoveryJobId]);
        await fx.waitForJob(jobs[0]!.id);
      }
    }
    expect(outcomes.approved + outcomes.rejected).toBe(6);
  });

  it("a stale Approve button never starts a second job, and an approval that cannot start its job leaves the request pending", async () => {
    const { rewind } = fx.engine;
    const reportId = await report("Stale button");
    const request = await rewind.requestRecovery(ADA, { reportId });

    // Another job holds the slot: the approval is refused with Microsoft's 409 and the request stays pending.
    const blocker = await rewind.startDifferenceReport(GIL, { backupId });
    const refused = rewind.startRecovery(BEN, approvalOf(request));
    await expect(refused).rejects.toMatchObject({ status: 409, message: "A recovery job is currently in progress. Wait for it to complete before initiating a new job." });
    await expect(refused).rejects.toMatchObject({ nextStep: expect.stringContaining(blocker.id), runningJob: expect.objectContaining({ id: blocker.id }) });
    expect(await rewind.getRecoveryRequest(ADA, request.id)).toMatchObject({ state: "pending" });
    expect((await rewind.getRecoveryRequest(ADA, request.id)).recoveryJobId).toBeUndefined();
    await fx.waitForJob(blocker.id);

    const job = await rewind.startRecovery(BEN, approvalOf(request));
    for (const who of [BEN, GIL]) await expect(rewind.startRecovery(who, approvalOf(request))).rejects.toMatchObject({ status: 409 });
    await fx.waitForJob(job.id);
    await expect(rewind.startRecovery(GIL, approvalOf(request))).rejects.toMatchObject({ status: 409 });
    expect((await rewind.listJobs(ADA, { kind: "recovery" })).filter((j) => j.kind === "recovery" && j.recoveryRequestId === request.id).map((j) => j.id)).toEqual([job.id]);
  });
});

describe("the one job slot is fair", () => {
  let fx: EngineFixture;
  let backupId: string;
  beforeAll(async () => {
    fx = await startEngineFixture({}, { REPORTS_PER_USER_PER_HOUR: "2" });
    backupId = (await fx.engine.rewind.takeBackup(ADA)).id;
  });
  afterAll(async () => {
    await fx.close();
  });

  it("a Backup Reader cannot start more reports an hour than REPORTS_PER_USER_PER_HOUR; administrators are not held to it", async () => {
    const { rewind } = fx.engine;
    for (let i = 0; i < 2; i++) await fx.waitForJob((await rewind.startDifferenceReport(RITA, { backupId })).id, RITA);
    await expect(rewind.startDifferenceReport(RITA, { backupId })).rejects.toMatchObject({
      status: 429,
      message: expect.stringMatching(/You started 2 difference reports in the last hour; the limit is 2 an hour/),
      nextStep: expect.stringMatching(/Try again after 20\d\d-/),
    });
    // An administrator, who can cancel any job, may still run one (and the reader's count was not used up by it).
    const job = await rewind.startDifferenceReport(ADA, { backupId });
    await fx.waitForJob(job.id);
    expect((await rewind.listJobs(RITA, { kind: "differenceReport" })).filter((j) => j.requestedBy === RITA.userId)).toHaveLength(2);
  });

  it("the job in the way is named (who started it, since when) when a job cannot start", async () => {
    const { rewind } = fx.engine;
    const running = await rewind.startDifferenceReport(ADA, { backupId });
    await expect(rewind.startDifferenceReport(GIL, { backupId })).rejects.toMatchObject({ status: 409, runningJob: expect.objectContaining({ id: running.id, requestedBy: ADA.userId }) });
    expect(await rewind.activeJob(RITA)).toMatchObject({ job: { id: running.id } });
    await fx.waitForJob(running.id);
    expect(await rewind.activeJob(RITA)).toBeNull();
  });
});
