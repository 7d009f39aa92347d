/**
 * Each use-case error (core/model/errors.ts), row by row, and bad input of every kind: the exact text and
 * status, and nothing changed.
 */
import { randomUUID } from "node:crypto";
import { ERROR_TEXTS, RewindError } from "../../core/model/errors";
import type { Job } from "../../core/model/job";
import { DEMO_TENANT_ID } from "../../sim/index";
import { ADA, BEN, GIL, NORA, RITA, startEngineFixture, type EngineFixture } from "./engine-fixture";

async function refusal(p: Promise<unknown>): Promise<RewindError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RewindError) return err;
    throw err;
  }
  throw new Error("the call was accepted");
}

describe("the use-case errors with their exact texts", () => {
  let fx: EngineFixture;
  let backupId: string;
  beforeAll(async () => {
    fx = await startEngineFixture();
    backupId = (await fx.engine.rewind.takeBackup(ADA)).id;
  });
  afterAll(async () => {
    await fx.close();
  });

  it("404 for a report or recovery of a backup that is not listed", async () => {
    const err = await refusal(fx.engine.rewind.startDifferenceReport(ADA, { backupId: "2020-01-01T00:00:00Z" }));
    expect({ status: err.status, message: err.message }).toEqual({ status: 404, message: ERROR_TEXTS.unknownBackup });
    expect(err.message).toBe("This isn't a valid timestamp for recovery. The provided timestamp should be in the list of available backups.");
    expect(await fx.engine.rewind.listJobs(ADA)).toEqual([]);
  });

  it("404 Not Found for an unknown job id, for every call that takes one", async () => {
    const id = randomUUID();
    for (const call of [
      fx.engine.rewind.getJob(ADA, id),
      fx.engine.rewind.getChanges(ADA, id),
      fx.engine.rewind.cancelJob(ADA, id),
      fx.engine.rewind.getFailedChanges(ADA, id, {}),
      fx.engine.rewind.requestRecovery(ADA, { reportId: id }),
    ]) {
      const err = await refusal(call);
      expect({ status: err.status, message: err.message }).toEqual({ status: 404, message: "Not Found" });
    }
  });

  it("409 when a job starts while another runs, across the tenant", async () => {
    // Another process holds a running job (its lease is fresh).
    const running: Job = {
      tenantId: DEMO_TENANT_ID,
      id: randomUUID(),
      kind: "differenceReport",
      backupId,
      state: "calculating",
      scope: {},
      requestedBy: GIL.userId,
      createdAt: new Date().toISOString(),
      progress: { done: 1, total: 10, estimatedCompletionAt: null },
      cancelRequested: false,
    };
    const created = await fx.store.createJob(running);
    await fx.store.updateJob({ ...created, run: { ...created.run, attempts: 1, lease: { owner: "another-process", expiresAt: new Date(Date.now() + 3_600_000).toISOString() } } });
    try {
      const err = await refusal(fx.engine.rewind.startDifferenceReport(RITA, { backupId }));
      expect({ status: err.status, message: err.message }).toEqual({
        status: 409,
        message: "A recovery job is currently in progress. Wait for it to complete before initiating a new job.",
      });
      // 400 for changes asked before the report finished, with its key.
      const early = await refusal(fx.engine.rewind.getChanges(RITA, running.id));
      expect({ status: early.status, message: early.message }).toEqual({
        status: 400,
        message: `Job with identifier ${running.id} must have completed successfully prior to enumerating changes.`,
      });
      expect((await fx.engine.rewind.listJobs(ADA)).map((j) => j.id)).toEqual([running.id]);
    } finally {
      const current = (await fx.store.getJob(DEMO_TENANT_ID, running.id))!;
      await fx.store.updateJob({ ...current, job: { ...current.job, state: "failed", completedAt: new Date().toISOString() } });
    }
  });

  it("403 with the exact text when the role is too low, checked on every call", async () => {
    const text = "Authorization has been denied for this request. Check your credentials.";
    for (const call of [
      fx.engine.rewind.listBackups(NORA),
      fx.engine.rewind.startDifferenceReport(NORA, { backupId }),
      fx.engine.rewind.takeBackup(RITA),
      fx.engine.rewind.requestRecovery(RITA, { reportId: randomUUID() }),
      fx.engine.rewind.startRecovery(RITA, { requestId: randomUUID() }),
      fx.engine.rewind.cancelJob(RITA, randomUUID()),
    ]) {
      const err = await refusal(call);
      expect({ status: err.status, message: err.message }).toEqual({ status: 403, message: text });
    }
    await expect(fx.engine.rewind.listBackups(RITA)).resolves.toMatchObject({ backups: [expect.objectContaining({ id: backupId })] });
  });

  it.each([
    ["a malformed backup id", (fx: EngineFixture) => fx.engine.rewind.startDifferenceReport(ADA, { backupId: "tuesday" }), /"tuesday" is not a backup id/],
    ["an unknown object type", (fx: EngineFixture) => fx.engine.rewind.startDifferenceReport(ADA, { backupId: "2026-11-25T02:00:00Z", scope: { types: ["printer"] } }), /Unknown object type "printer"/],
    ["a malformed job id", (fx: EngineFixture) => fx.engine.rewind.getJob(ADA, "42; DROP TABLE jobs"), /is not a job id/],
    ["an oversized page", (fx: EngineFixture) => fx.engine.rewind.listAudit(ADA, { limit: 5000 }), /1 to 999/],
    ["a tampered cursor", (fx: EngineFixture) => fx.engine.rewind.getChanges(ADA, randomUUID(), { cursor: "../../etc" }), /cursor is not one this service gave out/],
    ["a malformed request id", (fx: EngineFixture) => fx.engine.rewind.startRecovery(BEN, { requestId: { id: 1 } }), /is not a recovery request id/],
  ])("400 for %s, naming what is accepted, and nothing changes", async (_what, call, message) => {
    const jobsBefore = await fx.engine.rewind.listJobs(ADA);
    const err = await refusal(call(fx));
    expect(err.message).toMatch(message);
    if (err.status === 400) expect(err.nextStep ?? err.message).toBeTruthy();
    expect(await fx.engine.rewind.listJobs(ADA)).toEqual(jobsBefore);
  });
});
