import { isTerminal, type Job } from "../../core/model/job";
import type { Actor, Rewind } from "../../core/rewind";
import type { CardJson } from "../proactive/proactive-sender";
import { CHANGES_PER_PAGE, jobProgressView, recoveryResultView, reportSummaryView, type ViewContext } from "../views";

/** How many changes a report's summary card lists. */
const SUMMARY_CHANGES = 5;

/**
 * The card that best shows a job to someone: its progress while it runs; once done, a report's summary or a
 * recovery's result (a failed or canceled report shows its final state and why). One call to the engine,
 * as `actor`, reads all of it (the job by id, or one the engine just returned) and which buttons to offer;
 * the engine checks every click again.
 */
export async function jobCard(rewind: Rewind, actor: Actor, target: { jobId: string } | { job: Job }, viewContext: ViewContext): Promise<CardJson> {
  const view = await rewind.viewJob(actor, target, { changes: SUMMARY_CHANGES, failed: CHANGES_PER_PAGE });
  const { job } = view;
  if (!isTerminal(job.state)) return jobProgressView(job, viewContext, { canCancel: view.canCancel });
  if (job.kind === "differenceReport") {
    if (job.state !== "succeeded") return jobProgressView(job, viewContext, { canCancel: false });
    return reportSummaryView(job, view.firstChanges, viewContext, { canRecover: view.canRecover });
  }
  return recoveryResultView({ job, failed: view.failed, hasMoreFailed: view.hasMoreFailed }, viewContext);
}
