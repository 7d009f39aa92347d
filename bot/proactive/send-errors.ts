/** What the Bot Connector answered when a send failed, read defensively (the SDK's error shapes vary). */
export interface SendFailure {
  readonly status: number | null;
  readonly retryAfterMs: number | null;
  readonly code: string | null;
}

/** Statuses worth another try (429, 412, 502, 504, retried with backoff; plus 500 and 503, which Teams also answers when busy). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([412, 429, 500, 502, 503, 504]);

/** Reads the HTTP status, Retry-After and error code of a failed connector call. */
export function sendFailure(err: unknown): SendFailure {
  const e = (typeof err === "object" && err !== null ? err : {}) as Record<string, unknown>;
  const response = (typeof e.response === "object" && e.response !== null ? e.response : {}) as Record<string, unknown>;
  const status = firstNumber(e.statusCode, e.status, response.status);
  const headers = response.headers as { get?: (name: string) => unknown } | Record<string, unknown> | undefined;
  let retryAfter: unknown;
  if (headers && typeof (headers as { get?: unknown }).get === "function") retryAfter = (headers as { get: (n: string) => unknown }).get("retry-after");
  else if (headers) retryAfter = (headers as Record<string, unknown>)["retry-after"] ?? (headers as Record<string, unknown>)["Retry-After"];
  const seconds = typeof retryAfter === "string" || typeof retryAfter === "number" ? Number(retryAfter) : NaN;
  const body = (typeof response.parsedBody === "object" && response.parsedBody !== null ? response.parsedBody : {}) as Record<string, unknown>;
  const error = (typeof body.error === "object" && body.error !== null ? body.error : {}) as Record<string, unknown>;
  const code = typeof error.code === "string" ? error.code : typeof e.code === "string" ? e.code : null;
  return { status, retryAfterMs: Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, 60_000) : null, code };
}

function firstNumber(...values: unknown[]): number | null {
  for (const v of values) if (typeof v === "number" && Number.isFinite(v)) return v;
  return null;
}
