import { renderRecoveryResultCard, type AdaptiveCard, type Line } from "../../cards";
import type { ChangeOutcome } from "../../core/model/change";
import { isTerminal, type Job } from "../../core/model/job";
import { changeDetail, changeName } from "./change-entry";
import { fitToBudget } from "./fit-budget";
import { clip, formatCount, plural, tenantText } from "./format";
import { RECOVERY_FAILED_ADVICE, RECOVERY_WARNINGS_ADVICE } from "./job-advice";
import { jobFacts, jobProgressView, jobTitle } from "./job-progress-view";
import { STATE_COLOR, STATE_LABEL } from "./labels";
import { CHANGES_PER_PAGE, type ViewContext } from "./view-context";

/** What the result card shows: the job, the first page of its failed changes, and whether there are more. */
export interface RecoveryResultInput {
  readonly job: Job;
  readonly failed: readonly ChangeOutcome[];
  readonly hasMoreFailed: boolean;
}

/**
 * A recovery job's result: applied / failed / skipped of the total, the failed changes with Graph's
 * messages, and buttons to page through failed, skipped or all outcomes. Canceled: what was applied stays
 * applied. Completed with warnings: the troubleshooting page's advice. A report is shown as its progress card.
 */
export function recoveryResultView(p: RecoveryResultInput, viewContext: ViewContext): AdaptiveCard {
  const { job } = p;
  if (job.kind !== "recovery") return jobProgressView(job, viewContext, { canCancel: false });
  const terminal = isTerminal(job.state);
  const o = job.outcomes;
  const failedCount = Math.max(o?.failed ?? 0, p.failed.length);
  const skippedCount = o?.skipped ?? 0;
  const countsLine = o
    ? `${formatCount(o.applied)} applied, ${formatCount(o.failed)} failed, ${formatCount(o.skipped)} skipped of ${plural(o.total, "change", "changes")}`
    : "No outcomes recorded yet";
  const notes: Line[] = [];
  if (!terminal) notes.push({ text: "Still running: these counts grow until it ends. Refresh to see the latest.", color: "Accent" });
  if (job.cancelRequested && !terminal) notes.push({ text: "Cancel requested; it stops at the next safe point.", color: "Warning" });
  if (job.state === "succeeded") notes.push({ text: "Every change in scope was applied.", color: "Good" });
  if (job.state === "completedWithWarnings") notes.push({ text: "Some changes failed or were skipped; the others were applied.", color: "Warning" });
  if (job.state === "canceled") notes.push({ text: "Canceled. Changes applied before it stopped stay applied; All outcomes lists each change's outcome.", color: "Warning" });
  if (job.state === "failed") notes.push({ text: "The recovery job failed. Changes applied before it stopped stay applied.", color: "Attention" });
  const advice =
    job.state === "completedWithWarnings" || (job.state === "canceled" && failedCount > 0)
      ? RECOVERY_WARNINGS_ADVICE
      : job.state === "failed"
        ? RECOVERY_FAILED_ADVICE
        : [];
  const shown = p.failed.slice(0, CHANGES_PER_PAGE);
  return fitToBudget((level) =>
    renderRecoveryResultCard({
      title: jobTitle(job),
      stateLabel: terminal ? STATE_LABEL[job.state] : `Still running (${STATE_LABEL[job.state]})`,
      stateColor: STATE_COLOR[job.state],
      countsLine,
      notes,
      error: job.state === "failed" ? clip(job.error ?? "No error message was recorded.", 2000) : "",
      advice: [...advice],
      facts: jobFacts(job, viewContext),
      failedTitle: `Failed changes: ${formatCount(failedCount)}`,
      failed: shown.map((f) => ({
        name: changeName(f.change, level),
        detail: changeDetail(f.change),
        message: f.failureMessage ? tenantText(f.failureMessage, level.messageChars) : "No message was recorded.",
      })),
      moreFailed: p.hasMoreFailed ? `Showing the first ${formatCount(shown.length)}. Failed changes pages through the rest.` : "",
      failedChanges: failedCount > 0 ? { jobId: job.id, page: p.hasMoreFailed ? 2 : 1, outcome: "failed" } : null,
      skipped: skippedCount > 0 ? { jobId: job.id, page: 1, outcome: "skipped" } : null,
      all: { jobId: job.id, page: 1 },
      refresh: terminal ? null : { jobId: job.id },
    }),
  );
}
