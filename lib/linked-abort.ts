/** An abort of one's own that also follows a caller's signal (see `linkedAbort`). */
export interface LinkedAbort {
  readonly signal: AbortSignal;
  /** Aborts this signal only (the caller's stays as it is). */
  abort(reason?: unknown): void;
  /** Stops following the caller's signal: call when the work is done, so a long-lived signal holds nothing. */
  dispose(): void;
}

/**
 * A signal for work that stops when the caller aborts (with the caller's reason) and also for reasons of its
 * own: a sibling failed, the reader stopped early. Already aborted when the caller's signal is.
 */
export function linkedAbort(outer: AbortSignal | undefined): LinkedAbort {
  const own = new AbortController();
  const follow = (): void => own.abort(outer?.reason);
  if (outer?.aborted) follow();
  else outer?.addEventListener("abort", follow, { once: true });
  return {
    signal: own.signal,
    abort: (reason?: unknown) => own.abort(reason),
    dispose: () => outer?.removeEventListener("abort", follow),
  };
}
