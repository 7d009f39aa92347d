import type { Database, Statement } from "better-sqlite3";
import type { AuditEntry } from "../../model/audit";
import { StoredAuditEntrySchema } from "../documents/stored-documents";
import { parseStored } from "../../../lib/stored-json";
import { timeKey } from "../../../lib/time-key";
import { ownAuditEntry } from "../shared/audit-rules";

/** Before every normalized time: a `since` that lets every entry through. */
const BEGINNING = "";

/**
 * The `audit_entries` table: each entry as a document, with its tenant and (normalized) time as the indexed
 * columns the listing and the purge use. Entries of the same instant list newest-written first. Methods run
 * inside the caller's transaction.
 */
export class AuditTable {
  private readonly s: {
    readonly insert: Statement<[number, string, string]>;
    readonly list: Statement<[number, string, number], string>;
    readonly purge: Statement<[number, string]>;
  };

  constructor(db: Database) {
    this.s = {
      insert: db.prepare("INSERT INTO audit_entries (tk, at, doc) VALUES (?, ?, ?)"),
      list: db.prepare<[number, string, number], string>("SELECT doc FROM audit_entries WHERE tk = ? AND at >= ? ORDER BY at DESC, ak DESC LIMIT ?").pluck(),
      purge: db.prepare("DELETE FROM audit_entries WHERE tk = ? AND at < ?"),
    };
  }

  /** Appends one entry of tenant `tk`. Call inside a write transaction. */
  append(tk: number, entry: AuditEntry): void {
    this.s.insert.run(tk, timeKey(entry.at, "at"), JSON.stringify(entry));
  }

  /** Tenant `tk`'s entries (`tenantId` is its id), newest first, from `since` (inclusive) on. */
  list(tk: number, tenantId: string, since: string | undefined, limit: number): AuditEntry[] {
    const from = since === undefined ? BEGINNING : timeKey(since, "since");
    return this.s.list.all(tk, from, limit).map((doc) => ownAuditEntry(tenantId, parseStored(StoredAuditEntrySchema, doc, "audit entry")));
  }

  /** Removes tenant `tk`'s entries older than `before` (a normalized time key); returns how many. Call inside a write transaction. */
  purge(tk: number, before: string): number {
    return this.s.purge.run(tk, before).changes;
  }
}
