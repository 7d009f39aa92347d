import type { Job } from "../../core/model/job";
import { isTerminal } from "../../core/model/job";
import type { Actor } from "../../core/rewind-settings";
import type { Rewind } from "../../core/rewind";
import type { CardJson } from "../proactive/proactive-sender";
import { CHANGES_PER_PAGE, jobProgressView, recoveryResultView, reportSummaryView, type ViewContext } from "../views";

/** How many changes a report's summary card lists. */
const SUMMARY_CHANGES = 5;

/**
 * The card that best shows a job to someone: its progress while it runs; once done, a report's summary or a
 * recovery's result (a failed or canceled report shows its final state and why). `actor` reads what the
 * card lists and decides which buttons it offers; the engine checks every click again.
 */
export async function jobCard(rewind: Rewind, actor: Actor, job: Job, ctx: ViewContext): Promise<CardJson> {
  if (!isTerminal(job.state)) return jobProgressView(job, ctx, { canCancel: await rewind.can(actor, "cancelJob") });
  if (job.kind === "differenceReport") {
    if (job.state !== "succeeded") return jobProgressView(job, ctx, { canCancel: false });
    const first = await rewind.getChanges(actor, job.id, { top: SUMMARY_CHANGES });
    return reportSummaryView(job, first.changes, ctx, { canRecover: await rewind.can(actor, "requestRecovery") });
  }
  const failed = await rewind.getFailedChanges(actor, job.id, { top: CHANGES_PER_PAGE });
  return recoveryResultView({ job, failed: failed.changes, hasMoreFailed: failed.nextCursor !== null }, ctx);
}
