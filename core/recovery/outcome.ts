import type { Change, ChangeOutcome, StepOutcome } from "../model/change";
import type { RecoveryCounts } from "../model/job";
import type { JobStore } from "../ports";
import { stepsOf } from "./recovery-steps";

/** One change's outcome from its step records, without the change itself. */
export interface AggregateOutcome {
  readonly outcome: ChangeOutcome["outcome"];
  readonly failureMessage?: string;
}

/**
 * Folds a change's step records into its outcome (every change gets one: applied, failed with Graph's message, or
 * skipped with the reason): skipped when a step was skipped, failed when one failed, applied once every step it
 * needs is applied, pending otherwise (not reached yet, or in flight when the job stopped).
 */
export function aggregateOutcome(change: Change, outcomes: readonly StepOutcome[]): AggregateOutcome {
  const skipped = outcomes.filter((o) => o.status === "skipped");
  if (skipped.length > 0) return withMessage("skipped", skipped);
  const failed = outcomes.filter((o) => o.status === "failed");
  if (failed.length > 0) return withMessage("failed", failed);
  const applied = new Set(outcomes.filter((o) => o.status === "applied").map((o) => o.step));
  return { outcome: stepsOf(change).every((s) => applied.has(s)) ? "applied" : "pending" };
}

function withMessage(outcome: "skipped" | "failed", records: readonly StepOutcome[]): AggregateOutcome {
  const messages = [...new Set(records.map((o) => o.message).filter((m): m is string => m !== undefined && m.length > 0))];
  return messages.length > 0 ? { outcome, failureMessage: messages.join(" ") } : { outcome };
}

/** Outcome counts kept as changes end; `pending` changes count in `total` only. */
export class OutcomeCounter {
  private applied = 0;
  private failed = 0;
  private skipped = 0;

  constructor(private readonly total: number) {}

  add(outcome: ChangeOutcome["outcome"]): void {
    if (outcome === "applied") this.applied++;
    else if (outcome === "failed") this.failed++;
    else if (outcome === "skipped") this.skipped++;
  }

  counts(): RecoveryCounts {
    return { total: this.total, applied: this.applied, failed: this.failed, skipped: this.skipped };
  }
}

/** Groups step records by `seq`. */
export function bySeq(outcomes: readonly StepOutcome[]): Map<number, StepOutcome[]> {
  const out = new Map<number, StepOutcome[]>();
  for (const o of outcomes) {
    const list = out.get(o.seq);
    if (list) list.push(o);
    else out.set(o.seq, [o]);
  }
  return out;
}

/** What `readChangeOutcomes` returns a page of. */
export interface ChangeOutcomeQuery {
  /** Changes after this `seq` (paging cursor); default from the start. */
  readonly afterSeq?: number;
  readonly limit: number;
  /** Only the changes that failed (Microsoft's `getFailedChanges`). */
  readonly only?: "failed";
}

/** Failed seqs closer than this are read with one outcome query rather than one each. */
const RANGE_GAP = 64;

/**
 * A page of a recovery's changes, each with its outcome and the joined messages of its failed or skipped
 * steps: for the façade's "what did the recovery do" and "what failed" lists.
 */
export async function readChangeOutcomes(store: JobStore, tenantId: string, jobId: string, query: ChangeOutcomeQuery): Promise<ChangeOutcome[]> {
  let changes: Change[];
  if (query.only === "failed") {
    const seqs = await store.failedSeqs(tenantId, jobId, query.afterSeq ?? 0, query.limit);
    changes = seqs.length > 0 ? await store.getChanges(tenantId, jobId, seqs) : [];
  } else {
    changes = await store.readChanges(tenantId, jobId, { limit: query.limit, ...(query.afterSeq !== undefined ? { afterSeq: query.afterSeq } : {}) });
  }
  if (changes.length === 0) return [];
  const records = new Map<number, StepOutcome[]>();
  // Failed changes can be far apart in a large recovery: read outcomes in ranges around them, not all between.
  for (const [from, to] of seqRanges(changes.map((c) => c.seq))) {
    for (const [seq, list] of bySeq(await store.readOutcomes(tenantId, jobId, from, to))) records.set(seq, list);
  }
  return changes.map((change) => ({ change, ...aggregateOutcome(change, records.get(change.seq) ?? []) }));
}

/** Ascending seqs as [from, to] ranges, joining those less than `RANGE_GAP` apart. */
function seqRanges(seqs: readonly number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const seq of seqs) {
    const last = out[out.length - 1];
    if (last && seq - last[1] < RANGE_GAP) last[1] = seq;
    else out.push([seq, seq]);
  }
  return out;
}
