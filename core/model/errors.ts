import type { Job } from "./job";

/**
 * The errors a use case answers with, each with its HTTP-like status and, where Microsoft's service
 * has one, its exact text. The bot shows `message` with `nextStep`.
 */

/** What went wrong, by kind (the status follows from it). */
export type RewindErrorCode = "badRequest" | "forbidden" | "notFound" | "conflict" | "changesNotReady" | "preconditionFailed" | "tooManyRequests";

const STATUS: Readonly<Record<RewindErrorCode, number>> = {
  badRequest: 400,
  changesNotReady: 400,
  forbidden: 403,
  notFound: 404,
  conflict: 409,
  // A stale, expired or tampered approval.
  preconditionFailed: 412,
  tooManyRequests: 429,
};

/** A refusal of a use case: nothing was changed. */
export class RewindError extends Error {
  override readonly name = "RewindError";
  readonly status: number;
  constructor(
    readonly code: RewindErrorCode,
    message: string,
    /** What the admin can do about it. */
    readonly nextStep?: string,
    /** The job in the way, when another one holds the tenant's job slot (a front end shows it, and who may cancel it). */
    readonly runningJob?: Job,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

/** The exact texts shown to admins (Microsoft's service's own words where it has them); never rephrase them. */
export const ERROR_TEXTS = {
  unknownBackup:
    "This isn't a valid timestamp for recovery. The provided timestamp should be in the list of available backups.",
  unknownJob: "Not Found",
  jobInProgress: "A recovery job is currently in progress. Wait for it to complete before initiating a new job.",
  changesNotReady: (key: string): string =>
    `Job with identifier ${key} must have completed successfully prior to enumerating changes.`,
  forbidden: "Authorization has been denied for this request. Check your credentials.",
} as const;

/** 404: a difference report or recovery named a backup that is not listed. */
export function unknownBackupError(): RewindError {
  return new RewindError("notFound", ERROR_TEXTS.unknownBackup, "List the backups and pick one of their timestamps.");
}

/** 404: no job with that id (or it aged out). */
export function unknownJobError(): RewindError {
  return new RewindError("notFound", ERROR_TEXTS.unknownJob, "List the jobs to see the ids that exist.");
}

/** 409: another difference report or recovery is running for the tenant (`running`, when known). */
export function jobInProgressError(running?: Job): RewindError {
  const what = running?.kind === "recovery" ? "recovery" : "difference report";
  const nextStep = running
    ? `The ${what} ${running.id} holds the tenant's job slot (started ${running.startedAt ?? running.createdAt}). Follow it with \`job ${running.id}\`; an administrator can stop it with \`cancel ${running.id}\`.`
    : "Check the running job's progress, or cancel it.";
  return new RewindError("conflict", ERROR_TEXTS.jobInProgress, nextStep, running);
}

/** 400: changes were asked of a job that has not succeeded. */
export function changesNotReadyError(jobId: string): RewindError {
  return new RewindError("changesNotReady", ERROR_TEXTS.changesNotReady(jobId), "Wait for the job to finish, then ask again.");
}

/** 403: the acting user's role does not allow this. */
export function forbiddenError(): RewindError {
  return new RewindError("forbidden", ERROR_TEXTS.forbidden, "Ask a Backup Administrator or a Global Administrator.");
}

/** 400: bad input, naming what was wrong and what is accepted. */
export function badRequestError(message: string, nextStep?: string): RewindError {
  return new RewindError("badRequest", message, nextStep);
}
