import type { DirectoryErrorInfo } from "../ports";

/**
 * A failed directory (Graph) call: HTTP status, Graph's error code and message. Status 0 means no answer
 * came back (connection dropped or refused after every retry).
 */
export class DirectoryError extends Error implements DirectoryErrorInfo {
  override readonly name = "DirectoryError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
  }

  /** The error as plain data (what change records keep). */
  toInfo(): DirectoryErrorInfo {
    return { status: this.status, code: this.code, message: this.message };
  }
}
