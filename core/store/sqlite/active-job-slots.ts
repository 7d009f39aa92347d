import type { Database, Statement } from "better-sqlite3";
import { jobRules } from "../shared/job-rules";

/**
 * The one-job-per-tenant lock: a row per tenant that has a job in a non-terminal state, keyed by the
 * tenant, so a second holder is impossible at the database level. The job table takes the slot in the
 * transaction that inserts a non-terminal job and frees it in the one that makes the job terminal or deletes
 * it; those transactions begin IMMEDIATE, so two processes racing for a tenant are serialized on SQLite's
 * write lock and the second sees the first's slot. (A Cosmos store does the same with a lock document per
 * tenant, created with the job.)
 */
export class ActiveJobSlots {
  private readonly holder: Statement<[number], string>;
  private readonly insert: Statement<[number, number]>;
  private readonly remove: Statement<[number]>;

  constructor(db: Database) {
    this.holder = db.prepare<[number], string>("SELECT j.id FROM active_jobs a JOIN jobs j ON j.jk = a.jk WHERE a.tk = ?").pluck();
    this.insert = db.prepare<[number, number]>("INSERT INTO active_jobs (tk, jk) VALUES (?, ?)");
    this.remove = db.prepare<[number]>("DELETE FROM active_jobs WHERE jk = ?");
  }

  /**
   * Gives tenant `tk`'s slot to job `jk`; `StoreConflictError` naming the holder when it is taken. Call inside
   * a write transaction.
   */
  take(tk: number, jk: number): void {
    const held = this.holder.get(tk);
    if (held !== undefined) throw jobRules.tenantBusy(held);
    // The primary key is the guarantee; the look-up above only names the holder in the message.
    this.insert.run(tk, jk);
  }

  /** Frees the slot job `jk` holds, if any. Call inside a write transaction. */
  release(jk: number): void {
    this.remove.run(jk);
  }
}
