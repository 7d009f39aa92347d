import type { Database, Statement } from "better-sqlite3";
import { z } from "zod";
import { MAX_CONVERSATION_MEMBERS, type ConversationMember, type ConversationRecord } from "../../model/conversation";
import { StoredMembersSchema, StoredReferenceSchema } from "./conversation-documents";
import { parseStored } from "./stored-json";
import { timeKey } from "./time-key";

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

/** The `conversations` table: one stored reference per conversation, with the people seen there. */
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

  list(tk: number, tenantId: string): ConversationRecord[] {
    return this.s.list.all(tk).map((r) => toRecord(tenantId, RowSchema.parse(r)));
  }

  /** Upserts and merges the member. Call inside a write transaction. */
  save(
    tk: number,
    tenantId: string,
    input: { conversationId: string; conversationType: string; reference: Readonly<Record<string, unknown>>; member?: ConversationMember; at: string },
  ): ConversationRecord {
    if (input.conversationId.length === 0) throw new RangeError("A conversation id cannot be empty.");
    const at = timeKey(input.at, "at");
    const previous = this.get(tk, tenantId, input.conversationId);
    let members = previous ? [...previous.members] : [];
    if (input.member) {
      if (input.member.userId.length === 0) throw new RangeError("A member's user id cannot be empty.");
      members = [{ ...input.member, lastSeenAt: timeKey(input.member.lastSeenAt, "lastSeenAt") }, ...members.filter((m) => m.userId !== input.member!.userId)];
    }
    members.sort((a, b) => (a.lastSeenAt < b.lastSeenAt ? 1 : a.lastSeenAt > b.lastSeenAt ? -1 : 0));
    members = members.slice(0, MAX_CONVERSATION_MEMBERS);
    this.s.upsert.run(tk, input.conversationId, input.conversationType, JSON.stringify(input.reference), JSON.stringify(members), at);
    return this.get(tk, tenantId, input.conversationId)!;
  }

  /** Call inside a write transaction. */
  remove(tk: number, id: string): void {
    this.s.remove.run(tk, id);
  }

  /** Call inside a write transaction. */
  markStale(tk: number, id: string, reason: string, at: string): void {
    this.s.stale.run(timeKey(at, "at"), reason, tk, id);
  }
}

function toRecord(tenantId: string, row: Row): ConversationRecord {
  return {
    tenantId,
    conversationId: row.id,
    conversationType: row.conversation_type,
    reference: parseStored(StoredReferenceSchema, row.reference, `reference of conversation ${row.id}`),
    members: parseStored(StoredMembersSchema, row.members, `members of conversation ${row.id}`),
    updatedAt: row.updated_at,
    ...(row.stale_at !== null ? { stale: { at: row.stale_at, reason: row.stale_reason ?? "" } } : {}),
  };
}
