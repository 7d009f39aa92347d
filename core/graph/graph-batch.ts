import type { Client } from "@microsoft/microsoft-graph-client";
import type { Logger } from "pino";
import type { DirectoryErrorInfo } from "../ports";
import { graphCall } from "./graph-client";
import { BatchResponseSchema, GraphErrorBodySchema, parseGraph, type BatchAnswer } from "./graph-schemas";
import { backoffMs, isTransientStatus, retryAfterMs, sleep, type RetryPolicy } from "./retry-policy";

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
 * Sends ops as `$batch` requests of at most 20. Inner answers that Graph throttled or could not serve
 * (429/503/504) are sent again after the wait Graph asked for; the outer request's own retries are the
 * middleware's.
 */
export async function executeBatch(client: Client, ops: readonly BatchOp[], policy: RetryPolicy, log: Logger): Promise<BatchResult[]> {
  const results: (BatchResult | undefined)[] = new Array(ops.length);
  let pending = ops.map((_, i) => i);
  for (let round = 0; pending.length > 0; round++) {
    const again: number[] = [];
    let waitMs = 0;
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
      const raw = await graphCall(() => client.api("/$batch").post({ requests }));
      const answers = parseGraph(BatchResponseSchema, raw, "$batch").responses;
      for (const answer of answers) {
        const i = Number(answer.id);
        if (!chunk.includes(i)) continue;
        if (isTransientStatus(answer.status) && round < policy.maxRetries) {
          again.push(i);
          waitMs = Math.max(waitMs, innerRetryAfter(answer) ?? backoffMs(policy, round));
        } else {
          results[i] = { status: answer.status, body: answer.body };
        }
      }
      // An op Graph left unanswered is sent again rather than lost.
      for (const i of chunk) if (!answers.some((a) => Number(a.id) === i)) again.push(i);
    }
    pending = again;
    if (pending.length > 0) {
      log.warn({ retrying: pending.length, waitMs }, "graph batch: inner requests throttled or unavailable, retrying");
      await sleep(Math.min(policy.maxDelayMs, waitMs));
    }
  }
  return results.map((r) => r ?? { status: 0, body: undefined });
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
