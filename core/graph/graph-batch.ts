import type { Client } from "@microsoft/microsoft-graph-client";
import type { Logger } from "pino";
import { DirectoryError } from "../model/directory-error";
import type { DirectoryErrorInfo } from "../ports";
import { graphCall } from "./graph-client";
import { BatchResponseSchema, GraphErrorBodySchema, parseGraph, type BatchAnswer } from "./graph-schemas";
import { isIdempotent, isLostAnswer } from "./request-kind";
import { sleep } from "../../lib/async";
import { backoffMs, retryAfterMs, type RetryPolicy } from "../../lib/retry";
import { isTransientStatus } from "./retry-policy";

/** Graph's limit of requests in one `$batch`. */
export const BATCH_LIMIT = 20;

/** One request inside a `$batch`: method, a path relative to the version root, an optional JSON body. */
export interface BatchOp {
  readonly method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  readonly url: string;
  readonly body?: unknown;
}

/** One answer, in the order of the ops. */
export interface BatchResult {
  readonly status: number;
  readonly body: unknown;
}

/**
 * Sends ops as `$batch` requests of at most 20. Inner answers that Graph throttled (429: not processed) are
 * sent again after the wait Graph asked for, and so are inner 503/504 answers of ops that are safe to send
 * twice. A write that is not (a restore, a soft delete, a `$ref` add or remove) keeps its 5xx answer, and
 * when a `$batch` holding one loses its answer (dropped, timed out, 5xx), each such write gets that failure
 * while the safe ops of that `$batch` are sent again: the writer then reads Graph to learn whether those
 * writes landed. The outer request's other retries are the middleware's (it resends a `$batch` of safe ops).
 */
export async function executeBatch(client: Client, ops: readonly BatchOp[], policy: RetryPolicy, log: Logger): Promise<BatchResult[]> {
  const results: (BatchResult | undefined)[] = new Array(ops.length);
  const safe = ops.map((op) => isIdempotent(op.method, op.url, op.body));
  let pending = ops.map((_, i) => i);
  for (let round = 0; pending.length > 0; round++) {
    const again: number[] = [];
    let waitMs = 0;
    const retry = (i: number, wait: number): void => {
      again.push(i);
      waitMs = Math.max(waitMs, wait);
    };
    for (let start = 0; start < pending.length; start += BATCH_LIMIT) {
      const chunk = pending.slice(start, start + BATCH_LIMIT);
      const requests = chunk.map((i) => {
        const op = ops[i]!;
        return {
          id: String(i),
          method: op.method,
          url: op.url,
          ...(op.body === undefined ? {} : { body: op.body, headers: { "Content-Type": "application/json" } }),
        };
      });
      let answers: BatchAnswer[];
      try {
        const raw = await graphCall(() => client.api("/$batch").post({ requests }));
        answers = parseGraph(BatchResponseSchema, raw, "$batch").responses;
      } catch (err) {
        if (!(err instanceof DirectoryError) || !isLostAnswer(err.status) || chunk.every((i) => safe[i])) throw err;
        log.warn({ status: err.status, ops: chunk.length }, "graph batch: answer lost; its writes will be checked, its safe requests sent again");
        for (const i of chunk) {
          if (safe[i] && round < policy.maxRetries) retry(i, backoffMs(policy, round));
          else results[i] = errorResult(err);
        }
        continue;
      }
      const answered = new Set<number>();
      for (const answer of answers) {
        const i = Number(answer.id);
        if (!chunk.includes(i)) continue;
        answered.add(i);
        const resend = answer.status === 429 || (isTransientStatus(answer.status) && safe[i]);
        if (resend && round < policy.maxRetries) retry(i, innerRetryAfter(answer) ?? backoffMs(policy, round));
        else results[i] = { status: answer.status, body: answer.body };
      }
      // An op Graph left unanswered is sent again rather than lost, when that is safe; otherwise it is a lost answer.
      for (const i of chunk) {
        if (answered.has(i)) continue;
        if (safe[i] && round < policy.maxRetries) retry(i, 0);
        else results[i] = errorResult(new DirectoryError(0, "noAnswer", "Microsoft Graph left this request of a $batch unanswered."));
      }
    }
    pending = again;
    if (pending.length > 0) {
      log.warn({ retrying: pending.length, waitMs }, "graph batch: inner requests throttled or unavailable, retrying");
      await sleep(Math.min(policy.maxDelayMs, waitMs));
    }
  }
  return results.map((r) => r ?? { status: 0, body: undefined });
}

/** A failure of a whole request as an inner answer (Graph's error body shape). */
export function errorResult(err: DirectoryError): BatchResult {
  return { status: err.status, body: { error: { code: err.code, message: err.message } } };
}

function innerRetryAfter(answer: BatchAnswer): number | undefined {
  const headers = answer.headers ?? {};
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return retryAfterMs({ get: (name: string) => lower.get(name.toLowerCase()) ?? null });
}

/** Whether an inner answer succeeded. */
export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** Graph's error of an inner answer as data. */
export function innerError(result: BatchResult): DirectoryErrorInfo {
  const parsed = GraphErrorBodySchema.safeParse(result.body);
  if (parsed.success) return { status: result.status, code: parsed.data.error.code, message: parsed.data.error.message };
  return { status: result.status, code: `http${result.status}`, message: `Microsoft Graph answered ${result.status} without an error body.` };
}
