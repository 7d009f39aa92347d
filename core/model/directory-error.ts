/** A Graph failure as data: HTTP status, Graph error code and message. */
export interface DirectoryErrorInfo {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

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
