import type { Logger } from "pino";
import { innerError, type BatchOp, type BatchResult } from "./graph-batch";
import { isIdempotent, isLostAnswer } from "./request-kind";
import { sleep } from "../../lib/async";
import { backoffMs, type RetryPolicy } from "../../lib/retry";

/** Times a write whose answer was lost, and that a read showed had not landed, is sent again. */
export const MAX_RESENDS = 2;

/**
 * Whether each write landed, read back from Graph, in the order given: true, false, or the error that kept
 * the read from telling.
 */
export type LandedCheck<T> = (items: readonly T[]) => Promise<ReadonlyArray<boolean | Error>>;

/** How to send and check one kind of write. */
export interface SettledWrite<T> {
  readonly op: (item: T) => BatchOp;
  /** Sends the ops, one answer each, in order; a lost answer is status 0 or 5xx, not a rejection. */
  readonly send: (ops: readonly BatchOp[]) => Promise<BatchResult[]>;
  readonly landed: LandedCheck<T>;
  /** The write in words, for messages: "the restore of <id>". */
  readonly describe: (item: T) => string;
}

/** What a landed write reports: the same as Graph's success. */
const LANDED: BatchResult = { status: 204, body: undefined };

/**
 * Sends writes and settles those that are not safe to send twice and whose answer was lost (no answer, or
 * a 5xx): Graph is read to learn whether each landed. Landed → success. Not landed → sent again and checked
 * again, at most `MAX_RESENDS` times. A read that fails → a failure saying it is unknown whether the write
 * landed. So a restore, a soft delete or a `$ref` write is carried out once, never answered "failed" for a
 * resend of something that worked.
 */
export async function sendSettled<T>(items: readonly T[], how: SettledWrite<T>, policy: RetryPolicy, log: Logger): Promise<BatchResult[]> {
  const ops = items.map(how.op);
  const results = await how.send(ops);
  let open = items.map((_, i) => i);
  for (let resends = 0; ; resends++) {
    const uncertain = open.filter((i) => isLostAnswer(results[i]!.status) && !isIdempotent(ops[i]!.method, ops[i]!.url, ops[i]!.body));
    if (uncertain.length === 0) return results;
    log.warn({ writes: uncertain.length, resends }, "graph write answers lost; reading back whether they landed");
    const verdicts = await how.landed(uncertain.map((i) => items[i]!));
    const again: number[] = [];
    uncertain.forEach((i, k) => {
      const verdict = verdicts[k];
      const lost = innerError(results[i]!);
      if (verdict === true) results[i] = LANDED;
      else if (verdict instanceof Error || verdict === undefined) {
        const why = verdict instanceof Error ? verdict.message : "no verdict";
        results[i] = failure(results[i]!, "writeOutcomeUnknown", `Microsoft Graph's answer to ${how.describe(items[i]!)} was lost (${lost.message}), and reading back whether it landed failed (${why}): it is unknown whether the write landed.`);
      } else if (resends < MAX_RESENDS) again.push(i);
      else results[i] = failure(results[i]!, lost.code, `${capitalize(how.describe(items[i]!))} did not land after ${resends + 1} attempts, each without an answer; the last: ${lost.message}`);
    });
    if (again.length === 0) return results;
    await sleep(backoffMs(policy, resends));
    const answers = await how.send(again.map((i) => ops[i]!));
    again.forEach((i, k) => {
      results[i] = answers[k]!;
    });
    open = again;
  }
}

function failure(lost: BatchResult, code: string, message: string): BatchResult {
  return { status: lost.status, body: { error: { code, message } } };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
