import type { RetryPolicy } from "../../lib/retry";

/**
 * Graph's own retry numbers (the backoff formula and Retry-After parsing are lib/retry.ts's, shared with the
 * other services): long enough to ride out Graph's throttling windows.
 */
export const GRAPH_RETRY_POLICY: RetryPolicy = { maxRetries: 8, baseDelayMs: 500, maxDelayMs: 60_000 };

/** Statuses Graph answers when trying again later can succeed. */
export function isTransientStatus(status: number): boolean {
  return status === 429 || status === 503 || status === 504;
}
