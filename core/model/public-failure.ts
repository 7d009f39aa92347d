import { randomBytes } from "node:crypto";
import { DirectoryError } from "./directory-error";
import { RewindError } from "./errors";

/** A short id that ties a failure shown in a chat to the log entry that holds its detail. */
export function newReference(): string {
  return randomBytes(4).toString("hex");
}

/**
 * What a chat may be told about a failure. Rewind's own refusals and Microsoft Graph's answers are meant for
 * admins and are shown as they are; anything else (a bug, a store or library error) may carry internals
 * (paths, queries, hosts), so only `reference` is shown: the caller logs the detail under it.
 */
export function publicFailureText(err: unknown, reference: string): string {
  if (err instanceof RewindError) return err.message;
  if (err instanceof DirectoryError) {
    if (err.status === 0) return "Microsoft Graph could not be reached.";
    return `Microsoft Graph answered ${err.status} (${err.code}): ${err.message}`;
  }
  return `Rewind hit an internal error (reference ${reference}).`;
}
