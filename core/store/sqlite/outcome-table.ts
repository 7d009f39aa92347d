import type { Database, Statement } from "better-sqlite3";
import { z } from "zod";
import { RECOVERY_STEPS, type StepOutcome } from "../../model/change";
import { StoredStepSchema, StoredStepStatusSchema } from "../documents/stored-documents";

const OutcomeRowSchema = z.object({
  seq: z.number().int(),
  step: StoredStepSchema,
  status: StoredStepStatusSchema,
  message: z.string().nullable(),
  at: z.string(),
});

/** Past every seq: the last slice of a stepped delete takes whatever is left. */
const ALL = Number.MAX_SAFE_INTEGER;

/** The failed-seqs query; exported so a test can check SQLite's plan for it (the partial index only). */
export const FAILED_SEQS_SQL = "SELECT DISTINCT seq FROM job_outcomes WHERE jk = ? AND status = 'failed' AND seq > ? ORDER BY seq LIMIT ?";

/** Steps sort in the order a recovery runs them; stored as names, so a step added later needs no renumbering. */
const STEP_ORDER = `CASE step ${RECOVERY_STEPS.map((s, i) => `WHEN '${s}' THEN ${i}`).join(" ")} ELSE ${RECOVERY_STEPS.length} END`;

/**
 * The `job_outcomes` table: recovery step outcomes keyed by (job, seq, step). Failed steps have their own
 * partial index, so listing a large recovery's failed changes reads only those. Methods run inside the
 * caller's transaction.
 */
export class OutcomeTable {
  private readonly s: {
    readonly upsert: Statement<[number, number, string, string, string | null, string]>;
    readonly range: Statement<[number, number, number], unknown>;
    readonly failed: Statement<[number, number, number], number>;
    readonly sliceEnd: Statement<[number, number], number>;
    readonly removeUpTo: Statement<[number, number]>;
  };

  constructor(db: Database) {
    this.s = {
      upsert: db.prepare(
        `INSERT INTO job_outcomes (jk, seq, step, status, message, at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (jk, seq, step) DO UPDATE SET status = excluded.status, message = excluded.message, at = excluded.at`,
      ),
      range: db.prepare(`SELECT seq, step, status, message, at FROM job_outcomes WHERE jk = ? AND seq BETWEEN ? AND ? ORDER BY seq, ${STEP_ORDER}`),
      failed: db.prepare<[number, number, number], number>(FAILED_SEQS_SQL).pluck(),
      sliceEnd: db.prepare<[number, number], number>("SELECT seq FROM job_outcomes WHERE jk = ? ORDER BY seq LIMIT 1 OFFSET ?").pluck(),
      removeUpTo: db.prepare("DELETE FROM job_outcomes WHERE jk = ? AND seq <= ?"),
    };
  }

  /** Upserts outcomes by (seq, step). Call inside a write transaction. */
  put(jk: number, outcomes: readonly StepOutcome[]): void {
    for (const o of outcomes) this.s.upsert.run(jk, o.seq, o.step, o.status, o.message ?? null, o.at);
  }

  /** Outcomes with seq in [from, to], in (seq, step) order. */
  read(jk: number, fromSeq: number, toSeq: number): StepOutcome[] {
    return this.s.range.all(jk, fromSeq, toSeq).map((r) => {
      const row = OutcomeRowSchema.parse(r);
      return { seq: row.seq, step: row.step, status: row.status, ...(row.message !== null ? { message: row.message } : {}), at: row.at };
    });
  }

  /** Seqs with a failed step after `afterSeq`, ascending. */
  failedSeqs(jk: number, afterSeq: number, limit: number): number[] {
    return this.s.failed.all(jk, afterSeq, limit);
  }

  /**
   * Removes about `rows` outcome rows, lowest seqs first (a seq's steps go together, so a few more may go);
   * returns how many went. Call inside a write transaction.
   */
  removeSome(jk: number, rows: number): number {
    const hi = this.s.sliceEnd.get(jk, rows - 1) ?? ALL;
    return this.s.removeUpTo.run(jk, hi).changes;
  }
}
