import { setTimeout as delay } from "node:timers/promises";

/** Waits `ms` (the one plain sleep; retries, pacing and polling all wait through here). */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Waits `ms`, or less when `signal` aborts first; never throws, so the caller decides what an early wake
 * means (a watcher that is stopping checks its own flag).
 */
export async function sleepOrWake(ms: number, signal: AbortSignal | undefined): Promise<void> {
  // Node's timer rejects with its own AbortError on abort: waking early is not a failure here.
  await delay(ms, undefined, signal ? { signal } : {}).catch(() => undefined);
}

/** Waits `ms`, or less when `signal` aborts first; throws the abort's reason either way once it aborted. */
export async function sleepUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
  await sleepOrWake(ms, signal);
  signal?.throwIfAborted();
}
