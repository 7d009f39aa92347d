/** The Store refused a write because something with that key exists, or changed since it was read. */
export class StoreConflictError extends Error {
  override readonly name = "StoreConflictError";
}

/** The Store was asked about something it does not hold (or no longer in the state the call needs). */
export class StoreNotFoundError extends Error {
  override readonly name = "StoreNotFoundError";
}
