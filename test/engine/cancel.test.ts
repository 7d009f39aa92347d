/** Cancel through the façade (best effort, `cancelRequested`), and recovery requests that name the wrong kind of job. */
import { ADA, startEngineFixture, type EngineFixture } from "./engine-fixture";

describe("cancelling a difference report", () => {
  let fx: EngineFixture;
  let backupId: string;
  beforeAll(async () => {
    fx = await startEngineFixture();
    backupId = (await fx.engine.rewind.takeBackup(ADA)).id;
  });
  afterAll(async () => {
    await fx.close();
  });

  it("shows cancelRequested, stops, keeps no partial results, and cannot be cancelled again", async () => {
    const { rewind } = fx.engine;
    fx.f.sim.setFaults({ latencyMs: 400 }); // a slow Graph keeps the report loading for a while
    try {
      const started = await rewind.startDifferenceReport(ADA, { backupId });
      // A report still loading cannot be recovered from.
      await expect(rewind.requestRecovery(ADA, { reportId: started.id })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/has not completed successfully/) });
      const marked = await rewind.cancelJob(ADA, started.id);
      expect(marked).toMatchObject({ id: started.id, cancelRequested: true, cancelRequestedBy: ADA.userId });
      const ended = await fx.waitForJob(started.id);
      expect(ended.state).toBe("canceled");
      await expect(rewind.getChanges(ADA, started.id)).rejects.toMatchObject({
        status: 400,
        message: `Job with identifier ${started.id} must have completed successfully prior to enumerating changes.`,
      });
      expect(await fx.store.readChanges(ended.tenantId, ended.id, { limit: 10 })).toEqual([]);
      await expect(rewind.cancelJob(ADA, started.id)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/has already ended \(canceled\)/) });
      expect((await rewind.listAudit(ADA, { limit: 20 })).filter((a) => a.action === "jobCancelRequested").map((a) => [a.actor, a.target])).toEqual([[ADA.userId, started.id]]);
    } finally {
      fx.f.sim.setFaults({});
    }
    // The tenant is free again for the next job.
    const next = await fx.waitForJob((await rewind.startDifferenceReport(ADA, { backupId })).id);
    expect(next.state).toBe("succeeded");
    await expect(rewind.requestRecovery(ADA, { reportId: next.id })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/has no recoverable change/) });
  });
});
