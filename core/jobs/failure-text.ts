import type { Logger } from "pino";
import { DirectoryError } from "../model/directory-error";
import { newReference, publicFailureText } from "../model/public-failure";

/**
 * Why a job failed, in words a chat may show: Rewind's refusals and Graph's answers as they are, anything else
 * (a store or library error, a bug) only as a reference. The detail is logged under that reference.
 */
export function jobFailureText(err: unknown, log: Logger): string {
  const reference = newReference();
  log.error({ err, reference }, "job failed");
  return publicFailureText(err, reference);
}

/**
 * Whether an attempt failed for a reason that may pass (Graph unreachable, throttled past every retry, 5xx):
 * such a job is tried again later rather than closed as failed.
 */
export function isTransientFailure(err: unknown): boolean {
  return err instanceof DirectoryError && (err.status === 0 || err.status === 429 || err.status >= 500);
}
