import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import type { Logger } from "pino";
import { backoffMs, isTransientStatus, retryAfterMs, sleepUnlessAborted, type RetryPolicy } from "./retry-policy";
import { GraphTimeoutError } from "./graph-timeouts";
import type { WritePacer } from "./write-pacer";

/**
 * Graph client middleware that paces writes under the write budget and tries again on 429 (after the
 * Retry-After Graph sent), 503/504, dropped connections and timeouts (after an exponential backoff). Anything else,
 * or a transient failure after the last retry, goes back to the caller unchanged. A request whose `signal`
 * aborts stops at once, its wait included: nobody reads its answer any more.
 */
export class ResilienceHandler implements Middleware {
  private next: Middleware | undefined;

  constructor(
    private readonly policy: RetryPolicy,
    private readonly pacer: WritePacer | undefined,
    private readonly log: Logger,
  ) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const next = this.next;
    if (!next) throw new Error("ResilienceHandler needs a next middleware");
    const method = (context.options?.method ?? "GET").toUpperCase();
    const url = typeof context.request === "string" ? context.request : context.request.url;
    const writes = countWrites(url, method, context.options?.body);
    const signal = context.options?.signal ?? undefined;
    for (let attempt = 0; ; attempt++) {
      if (writes > 0 && this.pacer) await this.pacer.acquire(writes);
      context.response = undefined;
      try {
        await next.execute(context);
      } catch (err) {
        signal?.throwIfAborted();
        if (attempt >= this.policy.maxRetries || !isConnectionError(err)) throw err;
        const wait = backoffMs(this.policy, attempt);
        this.log.warn({ method, path: pathOf(url), attempt, waitMs: wait, err: describe(err) }, "graph connection failed, retrying");
        await sleepUnlessAborted(wait, signal);
        continue;
      }
      const res = context.response as Response | undefined;
      if (!res || !isTransientStatus(res.status) || attempt >= this.policy.maxRetries) return;
      const asked = retryAfterMs(res.headers);
      if (res.status === 429 && writes > 0) this.pacer?.drain();
      const wait = Math.min(this.policy.maxDelayMs, asked ?? backoffMs(this.policy, attempt));
      this.log.warn({ method, path: pathOf(url), status: res.status, attempt, waitMs: wait }, "graph asked to retry");
      await res.body?.cancel().catch(() => undefined);
      await sleepUnlessAborted(wait, signal);
    }
  }
}

/** Write units a request spends: 1 for a write, one per inner write of a `$batch`. */
export function countWrites(url: string, method: string, body: unknown): number {
  if (method === "GET" || method === "HEAD") return 0;
  if (!/\/\$batch(\?|$)/.test(url)) return 1;
  if (typeof body !== "string") return 0;
  try {
    const parsed = JSON.parse(body) as { requests?: Array<{ method?: string }> };
    return (parsed.requests ?? []).filter((r) => (r.method ?? "GET").toUpperCase() !== "GET").length;
  } catch {
    return 0;
  }
}

function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err instanceof GraphTimeoutError) return true;
  if (err.name === "AbortError") return false;
  // undici: TypeError("fetch failed") with the socket error as cause.
  return err instanceof TypeError || /ECONNRESET|ECONNREFUSED|EPIPE|socket|UND_ERR/i.test(`${err.message} ${describe(err)}`);
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error ? `${err.message}: ${(cause as { code?: string }).code ?? cause.message}` : err.message;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split("?")[0] ?? url;
  }
}
