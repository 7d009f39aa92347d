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
