import { renderJobProgressCard, type AdaptiveCard, type Fact, type Line } from "../../cards";
import { isTerminal, type Job } from "../../core/model/job";
import { clip, formatCount, formatEta, formatUtc, personName, plural } from "./format";
import { CANCEL_BEST_EFFORT, LONG_RUNNING_NOTE, RECOVERY_FAILED_ADVICE, REPORT_FAILED_ADVICE } from "./job-advice";
import { KIND_LABEL, STATE_COLOR, STATE_LABEL, describeScope } from "./labels";
import type { ViewContext } from "./view-context";

/** An estimate this far ahead counts as a long run (the card then says to let it run). */
const LONG_RUN_MS = 30 * 60_000;

/** "Difference report of backup …" / "Recovery job to backup …" */
export function jobTitle(job: Job): string {
  return job.kind === "differenceReport" ? `Difference report of backup ${job.backupId}` : `Recovery job to backup ${job.backupId}`;
}

/** "42% · 4,200 of 10,000 objects", or "Progress: —" while the total is unknown. */
export function progressLine(job: Job): string {
  const unit = job.kind === "differenceReport" ? "objects" : "changes";
  const { done, total } = job.progress;
  if (total === null) return job.state === "queued" ? "Not started" : "Progress: —";
  if (total <= 0) return isTerminal(job.state) ? "Nothing to do" : "Progress: —";
  const exact = (done / total) * 100;
  // 100% only once it has ended: a running job at 99.6% is not done.
  const percent = isTerminal(job.state) ? Math.round(exact) : Math.min(99, Math.floor(exact));
  return `${percent}% · ${formatCount(done)} of ${plural(total, unit.slice(0, -1), unit)}`;
}

/** The facts every job card lists. */
export function jobFacts(job: Job, viewContext: ViewContext): Fact[] {
  return [
    { title: "Backup", value: job.backupId },
    { title: "Scope", value: describeScope(job.scope) },
    { title: "Requested by", value: personName(viewContext, job.requestedBy) },
    ...(job.kind === "recovery"
      ? [
          { title: "Approved by", value: personName(viewContext, job.approvedBy) },
          { title: "Difference report", value: job.reportId },
        ]
      : []),
    { title: "Created", value: formatUtc(job.createdAt) },
    ...(job.startedAt ? [{ title: "Started", value: formatUtc(job.startedAt) }] : []),
    ...(job.completedAt ? [{ title: "Completed", value: formatUtc(job.completedAt) }] : []),
    { title: "Job id", value: job.id },
  ];
}

/**
 * A job's card while it runs (state, progress, estimated completion, Refresh and, for those allowed, Cancel),
 * and how it ended: a summary or result button, or why it failed and what to do. `attempts` (the façade's
 * `JobView.attempts`; absent or null when not known) above one says the job was picked up again.
 */
export function jobProgressView(job: Job, viewContext: ViewContext, opts: { canCancel: boolean; attempts?: number | null }): AdaptiveCard {
  const terminal = isTerminal(job.state);
  const notes: Line[] = [];
  if (job.state === "queued") notes.push({ text: "Queued: it starts in a few seconds, or when the job now running ends (one difference report or recovery job runs at a time).", color: "Default" });
  if (job.cancelRequested && !terminal) {
    const by = job.cancelRequestedBy ? ` by ${personName(viewContext, job.cancelRequestedBy)}` : "";
    notes.push({ text: `Cancel requested${by}; stopping at the next safe point. ${CANCEL_BEST_EFFORT}`, color: "Warning" });
  }
  const attempts = opts.attempts ?? 0;
  if (attempts > 1) notes.push({ text: `Picked up again after an interruption (attempt ${attempts}); no work is done twice.`, color: "Default" });
  if (job.state === "canceled") {
    notes.push(
      job.kind === "differenceReport"
        ? { text: "Canceled. A canceled difference report keeps no partial results; start a new one when you need it.", color: "Warning" }
        : { text: "Canceled. Changes applied before it stopped stay applied; Show result lists every change's outcome.", color: "Warning" },
    );
  }
  if (job.state === "succeeded") notes.push({ text: job.kind === "differenceReport" ? "Completed. The summary lists what changed." : "Completed.", color: "Good" });
  if (job.state === "completedWithWarnings") notes.push({ text: "Completed, but some changes failed or were skipped. Show result lists them.", color: "Warning" });

  const eta = job.progress.estimatedCompletionAt;
  const etaLine = terminal || job.state === "queued" ? "" : eta ? formatEta(eta, viewContext.now) : "Estimated completion: not known yet.";
  if (!terminal && eta && Date.parse(eta) - viewContext.now.getTime() > LONG_RUN_MS) notes.push({ text: LONG_RUNNING_NOTE, color: "Default" });

  const failed = job.state === "failed";
  return renderJobProgressCard({
    title: jobTitle(job),
    stateLabel: `${KIND_LABEL[job.kind]}: ${STATE_LABEL[job.state]}${job.cancelRequested && !terminal ? " (cancel requested)" : ""}`,
    stateColor: STATE_COLOR[job.state],
    progressLine: progressLine(job),
    etaLine,
    notes,
    error: failed ? clip(job.error ?? "No error message was recorded.", 2000) : "",
    advice: failed ? [...(job.kind === "differenceReport" ? REPORT_FAILED_ADVICE : RECOVERY_FAILED_ADVICE)] : [],
    facts: jobFacts(job, viewContext),
    refresh: { jobId: job.id },
    cancel: !terminal && opts.canCancel && !job.cancelRequested ? { jobId: job.id } : null,
    summary: job.kind === "differenceReport" && job.state === "succeeded" ? { jobId: job.id } : null,
    result: job.kind === "recovery" && terminal ? { jobId: job.id } : null,
  });
}
