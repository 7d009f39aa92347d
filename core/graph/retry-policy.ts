/** When and how long to wait before trying a Graph request again. */
export interface RetryPolicy {
  /** Attempts after the first one. */
  readonly maxRetries: number;
  /** First backoff for 503/504 and dropped connections, doubled each time, with jitter. */
  readonly baseDelayMs: number;
  /** Longest single wait, whatever Retry-After says. */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 8, baseDelayMs: 500, maxDelayMs: 60_000 };

/** Statuses Graph answers when trying again later can succeed. */
export function isTransientStatus(status: number): boolean {
  return status === 429 || status === 503 || status === 504;
}

/**
 * The wait Graph asked for: `retry-after-ms` (Azure's millisecond form) first, then `Retry-After` in seconds
 * or as an HTTP date. Undefined when the answer carries neither.
 */
export function retryAfterMs(headers: { get(name: string): string | null }, now = Date.now()): number | undefined {
  const ms = headers.get("retry-after-ms") ?? headers.get("x-ms-retry-after-ms");
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Number(ms);
  const ra = headers.get("retry-after");
  if (ra === null) return undefined;
  if (/^\d+(\.\d+)?$/.test(ra.trim())) return Number(ra) * 1000;
  const at = Date.parse(ra);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential backoff with full jitter for the n-th retry (0-based). */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(cap / 2 + (random() * cap) / 2);
}
