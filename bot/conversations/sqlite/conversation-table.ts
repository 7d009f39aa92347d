import type { Database, Statement } from "better-sqlite3";
import { z } from "zod";
import { parseStored } from "../../../lib/stored-json";
import type { ConversationRecord } from "../conversation";
import type { CheckedSave } from "../conversation-store";
import { StoredMembersSchema, StoredReferenceSchema } from "../stored-conversation";

const RowSchema = z.object({
  id: z.string(),
  conversation_type: z.string(),
  reference: z.string(),
  members: z.string(),
  updated_at: z.string(),
  stale_at: z.string().nullable(),
  stale_reason: z.string().nullable(),
});
type Row = z.infer<typeof RowSchema>;

const COLUMNS = "id, conversation_type, reference, members, updated_at, stale_at, stale_reason";

/**
 * The `conversations` table: one stored reference per (tenant, conversation), with the people seen there as a
 * JSON array (newest first, capped). Times come normalized, so text order is time order. Methods run inside
 * the caller's transaction.
 */
export class ConversationTable {
  private readonly s: {
    readonly find: Statement<[number, string], unknown>;
    readonly list: Statement<[number], unknown>;
    readonly upsert: Statement<[number, string, string, string, string, string]>;
    readonly remove: Statement<[number, string]>;
    readonly stale: Statement<[string, string, number, string]>;
  };

  constructor(db: Database) {
    this.s = {
      find: db.prepare(`SELECT ${COLUMNS} FROM conversations WHERE tk = ? AND id = ?`),
      list: db.prepare(`SELECT ${COLUMNS} FROM conversations WHERE tk = ? ORDER BY updated_at DESC, id`),
      upsert: db.prepare(
        `INSERT INTO conversations (tk, id, conversation_type, reference, members, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (tk, id) DO UPDATE SET conversation_type = excluded.conversation_type, reference = excluded.reference,
           members = excluded.members, updated_at = excluded.updated_at, stale_at = NULL, stale_reason = NULL`,
      ),
      remove: db.prepare("DELETE FROM conversations WHERE tk = ? AND id = ?"),
      stale: db.prepare("UPDATE conversations SET stale_at = ?, stale_reason = ? WHERE tk = ? AND id = ?"),
    };
  }

  get(tk: number, tenantId: string, id: string): ConversationRecord | null {
    const row = this.s.find.get(tk, id);
    return row === undefined ? null : toRecord(tenantId, RowSchema.parse(row));
  }

  /** Most recently updated first. */
  list(tk: number, tenantId: string): ConversationRecord[] {
    return this.s.list.all(tk).map((r) => toRecord(tenantId, RowSchema.parse(r)));
  }

  /** Upserts the reference, merges the member, clears `stale`; returns the record as stored. Call inside a write transaction. */
  save(tk: number, tenantId: string, input: CheckedSave): ConversationRecord {
    const id = input.conversationId;
    const members = input.merge(this.get(tk, tenantId, id)?.members ?? []);
    this.s.upsert.run(tk, id, input.conversationType, JSON.stringify(input.reference), JSON.stringify(members), input.at);
    const stored = this.get(tk, tenantId, id);
    if (stored === null) throw new Error(`Conversation ${id} vanished while it was saved.`);
    return stored;
  }

  /** Call inside a write transaction. */
  remove(tk: number, id: string): void {
    this.s.remove.run(tk, id);
  }

  /** An unknown conversation is a no-op. Call inside a write transaction. */
  markStale(tk: number, id: string, reason: string, at: string): void {
    this.s.stale.run(at, reason, tk, id);
  }
}

function toRecord(tenantId: string, row: Row): ConversationRecord {
  if ((row.stale_at === null) !== (row.stale_reason === null)) throw new Error(`Stored conversation ${row.id} has half a stale flag.`);
  return {
    tenantId,
    conversationId: row.id,
    conversationType: row.conversation_type,
    reference: parseStored(StoredReferenceSchema, row.reference, `reference of conversation ${row.id}`),
    members: parseStored(StoredMembersSchema, row.members, `members of conversation ${row.id}`),
    updatedAt: row.updated_at,
    ...(row.stale_at !== null && row.stale_reason !== null ? { stale: { at: row.stale_at, reason: row.stale_reason } } : {}),
  };
}
