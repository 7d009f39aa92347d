import { setTimeout as delay } from "node:timers/promises";

/** Waits `ms` (the one plain sleep; retries, pacing and polling all wait through here). */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits `ms`, or less when `signal` aborts first; throws the abort's reason either way once it aborted. */
export async function sleepUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
  // Node's timer rejects with its own AbortError on abort; the caller wants the signal's reason instead.
  await delay(ms, undefined, signal ? { signal } : {}).catch(() => undefined);
  signal?.throwIfAborted();
}
