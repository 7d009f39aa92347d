import { DirectoryError } from "../model/directory-error";

/** Why a job failed, in words for the admin (Graph's own message when Graph refused). */
export function jobFailureText(err: unknown): string {
  if (err instanceof DirectoryError) {
    if (err.status === 0) return `Microsoft Graph could not be reached: ${err.message}`;
    return `Microsoft Graph answered ${err.status} (${err.code}): ${err.message}`;
  }
  const message = err instanceof Error ? err.message : String(err);
  return `The job stopped on an internal error: ${message}`;
}

/**
 * Whether an attempt failed for a reason that may pass (Graph unreachable, throttled past every retry, 5xx):
 * such a job is tried again later rather than closed as failed.
 */
export function isTransientFailure(err: unknown): boolean {
  return err instanceof DirectoryError && (err.status === 0 || err.status === 429 || err.status >= 500);
}
