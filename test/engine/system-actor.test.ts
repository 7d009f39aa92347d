/**
 * The system actor (alerts and card updates read with it): it reads backups, jobs and reports without any
 * role look-up, and every use case that writes refuses it with the 403 a user without a role gets. An
 * ordinary actor that merely carries its user id is no system.
 */
import { randomUUID } from "node:crypto";
import { ERROR_TEXTS, RewindError } from "../../core/model/errors";
import type { Job } from "../../core/model/job";
import { SYSTEM_ACTOR } from "../../core/rewind";
import { DEMO_TENANT_ID } from "../../sim/index";
import { ADA, startEngineFixture, type EngineFixture } from "./engine-fixture";

async function refusal(p: Promise<unknown>): Promise<RewindError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RewindError) return err;
    throw err;
  }
  throw new Error("the call was accepted");
}

describe("the system actor", () => {
  let fx: EngineFixture;
  let backupId: string;
  let reportId: string;
  beforeAll(async () => {
    fx = await startEngineFixture();
    backupId = (await fx.engine.rewind.takeBackup(ADA)).id;
    const job = await fx.engine.rewind.startDifferenceReport(ADA, { backupId: "latest" });
    expect(job.backupId).toBe(backupId);
    for (;;) {
      const now = await fx.engine.rewind.getJob(SYSTEM_ACTOR, job.id);
      if (now.state === "succeeded") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    reportId = job.id;
  });
  afterAll(async () => {
    await fx.close();
  });

  it("reads backups, jobs and a finished report's card without looking up any role", async () => {
    const roles = jest.spyOn(fx.engine.access, "rolesOf");
    try {
      expect((await fx.engine.rewind.listBackups(SYSTEM_ACTOR)).backups.map((b) => b.id)).toEqual([backupId]);
      expect((await fx.engine.rewind.listJobs(SYSTEM_ACTOR)).map((j) => j.id)).toEqual([reportId]);
      const view = await fx.engine.rewind.viewJob(SYSTEM_ACTOR, { jobId: reportId }, { changes: 5, failed: 10 });
      expect(view).toMatchObject({ job: { id: reportId, state: "succeeded" }, canRecover: true, canCancel: false });
      expect(await fx.engine.rewind.can(SYSTEM_ACTOR, "listJobs")).toBe(true);
      expect(await fx.engine.rewind.can(SYSTEM_ACTOR, "takeBackup")).toBe(false);
      expect(roles).not.toHaveBeenCalled();
    } finally {
      roles.mockRestore();
    }
  });

  it("is refused every write with the access-denied 403, and nothing changes", async () => {
    const writes: Array<Promise<unknown>> = [
      fx.engine.rewind.takeBackup(SYSTEM_ACTOR),
      fx.engine.rewind.startDifferenceReport(SYSTEM_ACTOR, { backupId }),
      fx.engine.rewind.requestRecovery(SYSTEM_ACTOR, { reportId }),
      fx.engine.rewind.cancelJob(SYSTEM_ACTOR, reportId),
      fx.engine.rewind.listAudit(SYSTEM_ACTOR),
    ];
    for (const write of writes) {
      const err = await refusal(write);
      expect({ status: err.status, message: err.message }).toEqual({ status: 403, message: ERROR_TEXTS.forbidden });
    }
    expect((await fx.engine.rewind.listJobs(ADA)).map((j) => j.id)).toEqual([reportId]);
    expect(await fx.store.listRecoveryRequests(fx.engine.rewind.settings.tenantId)).toEqual([]);
  });

  it("is only that object: a user id of \"system\" is an ordinary user, with no role", async () => {
    const err = await refusal(fx.engine.rewind.listJobs({ userId: SYSTEM_ACTOR.userId }));
    expect(err.status).toBe(403);
  });

  it("shows a job handed in (an alert's or a cancel's job) with the attempts the store counts, so an interrupted job's card still says so", async () => {
    const interrupted: Job = {
      tenantId: DEMO_TENANT_ID,
      id: randomUUID(),
      kind: "differenceReport",
      backupId,
      state: "calculating",
      scope: {},
      requestedBy: ADA.userId,
      createdAt: new Date().toISOString(),
      progress: { done: 1, total: 10, estimatedCompletionAt: null },
      cancelRequested: false,
    };
    // Picked up a second time, and held by another process (so this one's runner leaves it alone).
    const created = await fx.store.createJob(interrupted);
    await fx.store.updateJob({ ...created, run: { ...created.run, attempts: 2, lease: { owner: "another-process", expiresAt: new Date(Date.now() + 3_600_000).toISOString() } } });
    try {
      const view = await fx.engine.rewind.viewJob(SYSTEM_ACTOR, { job: interrupted }, { changes: 5, failed: 10 });
      expect(view).toMatchObject({ job: { id: interrupted.id, state: "calculating" }, attempts: 2 });
    } finally {
      await fx.store.deleteJob(DEMO_TENANT_ID, interrupted.id);
    }
  });
});
