import type { Job } from "../../core/model/job";

/**
 * What a job's progress card shows, as a short string: the card is re-sent only when this changes (state,
 * whole percent, estimated completion to the minute, cancel requested).
 */
export function jobFingerprint(job: Job): string {
  const { done, total, estimatedCompletionAt } = job.progress;
  const percent = total && total > 0 ? Math.floor((100 * Math.min(done, total)) / total) : -1;
  const eta = estimatedCompletionAt ? estimatedCompletionAt.slice(0, 16) : "";
  return `${job.state}|${percent}|${eta}|${job.cancelRequested ? 1 : 0}`;
}

/** The posted-card subject of a job and of a recovery request. */
export const jobSubject = (jobId: string): string => `job:${jobId}`;
export const requestSubject = (requestId: string): string => `request:${requestId}`;
