/** Recovery approvals: who may approve, the second-approver rule, rejection, and a request decided once. */
import { DriftClient } from "../../sim/drift";
import { collect, objectsOf } from "../graph/gateway-fixture";
import { ADA, BEN, RITA, startEngineFixture, type EngineFixture } from "./engine-fixture";
import { approvalOf } from "./approval";

describe("recovery approvals, with RECOVERY_REQUIRES_SECOND_APPROVER", () => {
  let fx: EngineFixture;
  let reportId: string;
  beforeAll(async () => {
    fx = await startEngineFixture({}, { RECOVERY_REQUIRES_SECOND_APPROVER: "true" });
    const backup = await fx.engine.rewind.takeBackup(ADA);
    const user = objectsOf(await collect(fx.f.graph.readAll("user"))).find((u) => u.properties["onPremisesSyncEnabled"] !== true && !u.id.startsWith("0a0a0a0a-"))!;
    const drift = new DriftClient(fx.f.sim.url, fx.f.sim.ca);
    try {
      expect((await drift.patch("users", user.id, { jobTitle: "Changed" })).status).toBe(204);
    } finally {
      await drift.close();
    }
    reportId = (await fx.waitForJob((await fx.engine.rewind.startDifferenceReport(ADA, { backupId: backup.id })).id)).id;
  });
  afterAll(async () => {
    await fx.close();
  });

  it("refuses the requester as approver, and a reader, then lets a second administrator reject it once", async () => {
    const { rewind } = fx.engine;
    const request = await rewind.requestRecovery(ADA, { reportId });
    expect(request).toMatchObject({ state: "pending", requestedBy: ADA.userId, reportId });
    await expect(rewind.startRecovery(ADA, approvalOf(request))).rejects.toMatchObject({ status: 403, message: expect.stringMatching(/another administrator must approve/) });
    await expect(rewind.startRecovery(RITA, approvalOf(request))).rejects.toMatchObject({ status: 403 });

    const rejected = await rewind.rejectRecovery(BEN, { requestId: request.id, reason: "Not during the audit" });
    expect(rejected).toMatchObject({ state: "rejected", decidedBy: BEN.userId, reason: "Not during the audit" });
    await expect(rewind.startRecovery(BEN, approvalOf(request))).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/already rejected by/) });
    expect(await rewind.listJobs(ADA, { kind: "recovery" })).toEqual([]);
    expect((await rewind.listAudit(ADA, { limit: 20 })).map((a) => a.action)).toEqual(expect.arrayContaining(["recoveryRequested", "recoveryRejected"]));
  });

  it("starts the recovery when a second administrator approves, and a second click is refused", async () => {
    const { rewind } = fx.engine;
    const request = await rewind.requestRecovery(ADA, { reportId });
    const job = await rewind.startRecovery(BEN, approvalOf(request));
    expect(job).toMatchObject({ kind: "recovery", approvedBy: BEN.userId, requestedBy: ADA.userId, recoveryRequestId: request.id });
    expect(await rewind.getRecoveryRequest(ADA, request.id)).toMatchObject({ state: "approved", recoveryJobId: job.id });
    await expect(rewind.startRecovery(BEN, approvalOf(request))).rejects.toMatchObject({ status: 409 });
    expect((await fx.waitForJob(job.id)).state).toBe("succeeded");
  });
});
