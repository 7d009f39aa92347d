import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import type { Logger } from "pino";
import { sleepUnlessAborted } from "../../lib/async";
import { backoffMs, retryAfterMs, type RetryPolicy } from "../../lib/retry";
import { isTransientStatus } from "./retry-policy";
import { GraphTimeoutError } from "./graph-timeouts";
import { countWrites, isIdempotent } from "./request-kind";
import type { WritePacer } from "./write-pacer";

/**
 * Graph client middleware that paces writes under the write budget and tries again on 429 (after the
 * Retry-After Graph sent), and on 503/504, dropped connections and timeouts (after an exponential backoff)
 * for requests that are safe to send twice. A write that is not (a restore, a soft delete, a `$ref` add or
 * remove) goes back to its writer on those, which reads Graph to learn whether it landed: sent blindly again
 * after it landed, it would fail for something that worked. A 429 means Graph did not process the request,
 * so it is retried whatever the method. Anything else, or a transient failure after the last retry, goes
 * back to the caller unchanged. A request whose `signal` aborts stops at once, its wait included: nobody
 * reads its answer any more.
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
    const body = context.options?.body;
    const writes = countWrites(url, method, body);
    const resendable = isIdempotent(method, url, body);
    const signal = context.options?.signal ?? undefined;
    for (let attempt = 0; ; attempt++) {
      if (writes > 0 && this.pacer) await this.pacer.acquire(writes);
      context.response = undefined;
      try {
        await next.execute(context);
      } catch (err) {
        signal?.throwIfAborted();
        if (attempt >= this.policy.maxRetries || !resendable || !isConnectionError(err)) throw err;
        const wait = backoffMs(this.policy, attempt);
        this.log.warn({ method, path: pathOf(url), attempt, waitMs: wait, err: describe(err) }, "graph connection failed, retrying");
        await sleepUnlessAborted(wait, signal);
        continue;
      }
      const res = context.response as Response | undefined;
      if (!res || !isTransientStatus(res.status) || attempt >= this.policy.maxRetries) return;
      if (res.status !== 429 && !resendable) return;
      const asked = retryAfterMs(res.headers);
      if (res.status === 429 && writes > 0) this.pacer?.drain();
      const wait = Math.min(this.policy.maxDelayMs, asked ?? backoffMs(this.policy, attempt));
      this.log.warn({ method, path: pathOf(url), status: res.status, attempt, waitMs: wait }, "graph asked to retry");
      await res.body?.cancel().catch(() => undefined);
      await sleepUnlessAborted(wait, signal);
    }
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
