/** When and how long to wait before trying a call again (Graph, Cosmos DB bulk operations, the Bot Connector). */
export interface RetryPolicy {
  /** Attempts after the first one. */
  readonly maxRetries: number;
  /** First backoff, doubled each time, with jitter. */
  readonly baseDelayMs: number;
  /** Longest single wait, whatever the service asked for. */
  readonly maxDelayMs: number;
}

/**
 * The one backoff: exponential from `baseDelayMs`, capped at `maxDelayMs`, with "equal jitter" (half the
 * wait fixed, half random) so callers that failed together do not come back together, yet never retry at once.
 * `attempt` is the 0-based retry number.
 */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(cap / 2 + (random() * cap) / 2);
}

/**
 * The wait an HTTP answer asked for: `retry-after-ms` (Azure's millisecond form, also as `x-ms-retry-after-ms`)
 * first, then `Retry-After` in seconds or as an HTTP date. Undefined when the answer carries none of them.
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
