import type { AdaptiveCard } from "../../cards";
import { isTerminal } from "../../core/model/job";
import type { JobView } from "../../core/rewind";
import { jobProgressView } from "./job-progress-view";
import { recoveryResultView } from "./recovery-result-view";
import { reportSummaryView } from "./report-summary-view";
import { CHANGES_PER_PAGE, type ViewContext } from "./view-context";

/** How many of a job's results its card lists: a report's first changes, a recovery's first failed changes. */
export const JOB_CARD_SIZES = { changes: 5, failed: CHANGES_PER_PAGE } as const;

/**
 * The card that best shows a job: its progress while it runs; once done, a report's summary or a recovery's
 * result (a failed or canceled report shows its final state and why). From one read of the engine
 * (`viewJob` with `JOB_CARD_SIZES`), which also says which buttons to offer; every click is checked again.
 */
export function jobCardView(view: JobView, viewContext: ViewContext): AdaptiveCard {
  const { job, attempts } = view;
  if (!isTerminal(job.state)) return jobProgressView(job, viewContext, { canCancel: view.canCancel, attempts });
  if (job.kind === "differenceReport") {
    if (job.state !== "succeeded") return jobProgressView(job, viewContext, { canCancel: false, attempts });
    return reportSummaryView(job, view.firstChanges, viewContext, { canRecover: view.canRecover });
  }
  return recoveryResultView({ job, failed: view.failed, hasMoreFailed: view.hasMoreFailed }, viewContext);
}
