import type { Database, Statement } from "better-sqlite3";
import { OBJECT_TYPES } from "../../model/catalog";
import { RECOVERY_ACTIONS, type Change } from "../../model/change";
import type { ChangeFilter } from "../shared/change-query";
import { StoredChangeSchema } from "../documents/stored-documents";
import { parseStored } from "../../../lib/stored-json";

/** Past every seq: the last slice of a stepped delete takes whatever is left. */
const ALL = Number.MAX_SAFE_INTEGER;
/** Before every seq: the cursor of the first page. */
const BEFORE_ALL = Number.MIN_SAFE_INTEGER;

/** The page queries; exported so a test can check SQLite's plan for them (index ranges, no scans). */
export const CHANGE_PAGE_SQL = {
  /** A page with no filter: a range of the primary key. */
  all: "SELECT seq, body FROM job_changes WHERE jk = ? AND seq > ? ORDER BY seq LIMIT ?",
  /** The seqs of one (type, action) pair: a range of the covering index. */
  ofKind: "SELECT seq FROM job_changes WHERE jk = ? AND type = ? AND action = ? AND seq > ? ORDER BY seq LIMIT ?",
} as const;

/**
 * The `job_changes` table: a job's changes keyed by (job, seq), their type and action in columns beside the
 * body. A filtered page is read as one index range per (type, action) pair the filter allows, each stopped
 * after `limit` rows, and the smallest seqs of their union kept: a page costs at most 24 short range reads
 * (8 types × 3 actions), however many changes the filter skips, so paging a large report stays linear.
 * Methods run inside the caller's transaction.
 */
export class ChangeTable {
  private readonly s: {
    readonly upsert: Statement<[number, number, string, string, string]>;
    readonly after: Statement<[number, number, number], { seq: number; body: string }>;
    readonly seqsOf: Statement<[number, string, string, number, number], number>;
    readonly one: Statement<[number, number], string>;
    readonly sliceEnd: Statement<[number, number], number>;
    readonly removeUpTo: Statement<[number, number]>;
  };

  /** `nthSeq` statements by their SQL (one per filter shape). */
  private readonly nth = new Map<string, Statement<unknown[], number>>();

  constructor(private readonly db: Database) {
    this.s = {
      upsert: db.prepare(
        `INSERT INTO job_changes (jk, seq, type, action, body) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (jk, seq) DO UPDATE SET type = excluded.type, action = excluded.action, body = excluded.body`,
      ),
      after: db.prepare(CHANGE_PAGE_SQL.all),
      seqsOf: db.prepare<[number, string, string, number, number], number>(CHANGE_PAGE_SQL.ofKind).pluck(),
      one: db.prepare<[number, number], string>("SELECT body FROM job_changes WHERE jk = ? AND seq = ?").pluck(),
      sliceEnd: db.prepare<[number, number], number>("SELECT seq FROM job_changes WHERE jk = ? ORDER BY seq LIMIT 1 OFFSET ?").pluck(),
      removeUpTo: db.prepare("DELETE FROM job_changes WHERE jk = ? AND seq <= ?"),
    };
  }

  /** Upserts changes by seq. Call inside a write transaction. */
  put(jk: number, changes: readonly Change[]): void {
    for (const c of changes) this.s.upsert.run(jk, c.seq, c.entityTypeName, c.recoveryAction, JSON.stringify(c));
  }

  /** A page in seq order (the filters as `changeFilter` reads them). */
  read(jk: number, page: ChangeFilter & { readonly limit: number }): Change[] {
    if (page.limit === 0) return [];
    const after = page.afterSeq ?? BEFORE_ALL;
    if (page.types === null && page.actions === null) {
      return this.s.after.all(jk, after, page.limit).map((r) => toChange(jk, r.seq, r.body));
    }
    const seqs: number[] = [];
    for (const type of page.types ?? OBJECT_TYPES) {
      for (const action of page.actions ?? RECOVERY_ACTIONS) seqs.push(...this.s.seqsOf.all(jk, type, action, after, page.limit));
    }
    return this.getMany(jk, seqs.sort((a, b) => a - b).slice(0, page.limit));
  }

  /**
   * The seq of the `count`-th change (from 1) after `afterSeq` that the filters allow, or undefined when there
   * are fewer: a cursor far into a filtered list, found on the covering index without reading any body.
   */
  nthSeq(jk: number, nth: ChangeFilter & { readonly count: number }): number | undefined {
    const after = nth.afterSeq ?? BEFORE_ALL;
    const filtered = nth.types !== null || nth.actions !== null;
    const types = nth.types ?? OBJECT_TYPES;
    const actions = nth.actions ?? RECOVERY_ACTIONS;
    const sql = filtered
      ? `SELECT seq FROM job_changes WHERE jk = ? AND type IN (${types.map(() => "?").join(", ")}) AND action IN (${actions.map(() => "?").join(", ")}) AND seq > ? ORDER BY seq LIMIT 1 OFFSET ?`
      : "SELECT seq FROM job_changes WHERE jk = ? AND seq > ? ORDER BY seq LIMIT 1 OFFSET ?";
    let statement = this.nth.get(sql);
    if (!statement) this.nth.set(sql, (statement = this.db.prepare<unknown[], number>(sql).pluck()));
    return statement.get(...(filtered ? [jk, ...types, ...actions, after, nth.count - 1] : [jk, after, nth.count - 1]));
  }

  /** The changes at these seqs, in seq order; missing ones are left out. */
  getMany(jk: number, seqs: readonly number[]): Change[] {
    const found: Change[] = [];
    for (const seq of [...new Set(seqs)].sort((a, b) => a - b)) {
      const body = this.s.one.get(jk, seq);
      if (body !== undefined) found.push(toChange(jk, seq, body));
    }
    return found;
  }

  /** Removes up to `rows` of the job's changes (lowest seqs first); returns how many went. Call inside a write transaction. */
  removeSome(jk: number, rows: number): number {
    const hi = this.s.sliceEnd.get(jk, rows - 1) ?? ALL;
    return this.s.removeUpTo.run(jk, hi).changes;
  }
}

function toChange(jk: number, seq: number, body: string): Change {
  const change = parseStored(StoredChangeSchema, body, `change ${seq} of job ${jk}`);
  if (change.seq !== seq) throw new Error(`Stored change ${seq} of job ${jk} holds change ${change.seq}.`);
  return change;
}
