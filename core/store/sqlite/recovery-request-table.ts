import type { Database, Statement } from "better-sqlite3";
import { z } from "zod";
import type { RecoveryRequest } from "../../model/recovery-request";
import { StoreNotFoundError } from "../../model/store-error";
import { requestRules } from "../shared/request-rules";
import { StoredRecoveryRequestSchema } from "../documents/stored-documents";
import { parseStored } from "../../../lib/stored-json";
import { timeKey } from "../../../lib/time-key";

const RequestRowSchema = z.object({ rk: z.number().int(), tenant_id: z.string(), id: z.string(), version: z.number().int(), doc: z.string() });
type RequestRow = z.infer<typeof RequestRowSchema>;

const SELECT_REQUEST = "SELECT r.rk, t.tenant_id, r.id, r.version, r.doc FROM recovery_requests r JOIN tenants t ON t.tk = r.tk";

/**
 * The `recovery_requests` table: each request's document (without `version`, a column, so the compare-and-set
 * is one UPDATE) plus the columns its listing uses. Methods run inside the caller's transaction.
 */
export class RecoveryRequestTable {
  private readonly s: {
    readonly find: Statement<[number, string], unknown>;
    readonly byKey: Statement<[number], unknown>;
    readonly insert: Statement<[number, string, string, string, number, string]>;
    readonly replace: Statement<[string, string, string, number, number]>;
    readonly list: Statement<[{ tk: number; pendingOnly: number }], unknown>;
  };

  constructor(db: Database) {
    this.s = {
      find: db.prepare(`${SELECT_REQUEST} WHERE r.tk = ? AND r.id = ?`),
      byKey: db.prepare(`${SELECT_REQUEST} WHERE r.rk = ?`),
      insert: db.prepare("INSERT INTO recovery_requests (tk, id, state, requested_at, version, doc) VALUES (?, ?, ?, ?, ?, ?)"),
      replace: db.prepare("UPDATE recovery_requests SET state = ?, requested_at = ?, doc = ?, version = version + 1 WHERE rk = ? AND version = ?"),
      list: db.prepare(
        `${SELECT_REQUEST} WHERE r.tk = @tk AND (@pendingOnly = 0 OR r.state = 'pending') ORDER BY r.requested_at DESC, r.id DESC`,
      ),
    };
  }

  /** Inserts a request; `StoreConflictError` when the id is taken. Call inside a write transaction. */
  create(tk: number, request: RecoveryRequest): void {
    if (this.s.find.get(tk, request.id) !== undefined) throw requestRules.taken(request.id);
    const { doc, version } = requestRules.split(request);
    this.s.insert.run(tk, request.id, request.state, timeKey(request.requestedAt, "requestedAt"), version, JSON.stringify(doc));
  }

  get(tk: number, id: string): RecoveryRequest | null {
    const row = this.s.find.get(tk, id);
    return row === undefined ? null : toRequest(RequestRowSchema.parse(row));
  }

  /** Newest first (by `requestedAt`, then id). */
  list(tk: number, pendingOnly: boolean): RecoveryRequest[] {
    return this.s.list.all({ tk, pendingOnly: pendingOnly ? 1 : 0 }).map((r) => toRequest(RequestRowSchema.parse(r)));
  }

  /** Compare-and-set on `version`; returns the request as stored. Call inside a write transaction. */
  update(tk: number, request: RecoveryRequest): RecoveryRequest {
    const found = this.s.find.get(tk, request.id);
    if (found === undefined) throw requestRules.missing(request.id);
    const row = RequestRowSchema.parse(found);
    const { doc, version } = requestRules.split(request);
    const written = this.s.replace.run(request.state, timeKey(request.requestedAt, "requestedAt"), JSON.stringify(doc), row.rk, version).changes;
    if (written !== 1) throw requestRules.stale(request.id, row.version, version);
    const stored = this.s.byKey.get(row.rk);
    if (stored === undefined) throw new StoreNotFoundError(`Recovery request ${request.id} vanished while it was written.`);
    return toRequest(RequestRowSchema.parse(stored));
  }
}

function toRequest(row: RequestRow): RecoveryRequest {
  const doc = parseStored(StoredRecoveryRequestSchema, row.doc, `recovery request ${row.id}`);
  return requestRules.join({ tenantId: row.tenant_id, id: row.id }, doc, row.version);
}
