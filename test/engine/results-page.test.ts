/**
 * The façade's one-call results page and `latest`: the refusals a user reads when a filter does not fit the
 * job's kind or when there is no backup to compare with, word for word, and nothing started.
 */
import { RewindError } from "../../core/model/errors";
import { SYSTEM_ACTOR } from "../../core/rewind";
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

describe("results pages and latest", () => {
  let fx: EngineFixture;
  beforeAll(async () => {
    fx = await startEngineFixture();
  });
  afterAll(async () => {
    await fx.close();
  });

  it("refuses `latest` before any backup, saying how the first one comes, and starts nothing", async () => {
    const err = await refusal(fx.engine.rewind.startDifferenceReport(ADA, { backupId: "latest" }));
    expect({ status: err.status, message: err.message, nextStep: err.nextStep }).toEqual({
      status: 400,
      message: "There is no backup yet to compare with.",
      nextStep: "The first backup is taken when Rewind starts; try again in a few minutes, or take one with `backup now`.",
    });
    expect(await fx.engine.rewind.listJobs(ADA)).toEqual([]);
  });

  it("reads a report's page with type= and action=, and refuses outcome= on it", async () => {
    await fx.engine.rewind.takeBackup(ADA);
    const job = await fx.engine.rewind.startDifferenceReport(ADA, { backupId: "latest" });
    for (;;) {
      if ((await fx.engine.rewind.getJob(SYSTEM_ACTOR, job.id)).state === "succeeded") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const page = await fx.engine.rewind.viewResultsPage(ADA, job.id, { type: "user", action: "update", top: 5, skip: 0 });
    expect(page).toMatchObject({ kind: "changes", job: { id: job.id }, hasNext: false });
    const err = await refusal(fx.engine.rewind.viewResultsPage(ADA, job.id, { outcome: "failed", top: 5, skip: 0 }));
    expect({ status: err.status, message: err.message, nextStep: err.nextStep }).toEqual({
      status: 400,
      message: "outcome= applies to recovery jobs; a difference report has changes, not outcomes.",
      nextStep: "Filter a report with type= and action=.",
    });
    const bad = await refusal(fx.engine.rewind.viewResultsPage(ADA, job.id, { outcome: "sideways", top: 5, skip: 0 }));
    expect(bad.status).toBe(400);
  });
});
