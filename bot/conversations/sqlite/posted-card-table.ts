import type { Database, Statement } from "better-sqlite3";
import { z } from "zod";
import type { PostedCard } from "../conversation";
import type { CardSwap } from "../conversation-store";

const RowSchema = z.object({
  subject: z.string(),
  conversation_id: z.string(),
  activity_id: z.string(),
  posted_at: z.string(),
  updated_at: z.string(),
  fingerprint: z.string(),
});

/** A follower row (no card to update) keeps '' in the key column, which cannot be NULL. */
const FOLLOWER = "";

/**
 * The `posted_cards` table: cards the bot posted about a subject, to update them in place, keyed by (tenant,
 * subject, conversation, activity). Times come normalized: `updated_at` is what the compare-and-set
 * compares, so the value a caller read back always matches. Methods run inside the caller's transaction.
 */
export class PostedCardTable {
  private readonly s: {
    readonly upsert: Statement<[number, string, string, string, string, string, string]>;
    readonly list: Statement<[number, string], unknown>;
    readonly touch: Statement<[string, string, number, string, string, string, string]>;
    readonly removeConversation: Statement<[number, string]>;
    readonly purge: Statement<[number, string]>;
  };

  constructor(db: Database) {
    this.s = {
      upsert: db.prepare(
        `INSERT INTO posted_cards (tk, subject, conversation_id, activity_id, posted_at, updated_at, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (tk, subject, conversation_id, activity_id) DO UPDATE SET posted_at = excluded.posted_at,
           updated_at = excluded.updated_at, fingerprint = excluded.fingerprint`,
      ),
      list: db.prepare("SELECT subject, conversation_id, activity_id, posted_at, updated_at, fingerprint FROM posted_cards WHERE tk = ? AND subject = ? ORDER BY posted_at, conversation_id, activity_id"),
      touch: db.prepare(
        "UPDATE posted_cards SET updated_at = ?, fingerprint = ? WHERE tk = ? AND subject = ? AND conversation_id = ? AND activity_id = ? AND updated_at = ?",
      ),
      removeConversation: db.prepare("DELETE FROM posted_cards WHERE tk = ? AND conversation_id = ?"),
      purge: db.prepare("DELETE FROM posted_cards WHERE tk = ? AND posted_at < ?"),
    };
  }

  /** Inserts, or replaces the card with the same key. Call inside a write transaction. */
  add(tk: number, card: PostedCard): void {
    this.s.upsert.run(tk, card.subject, card.conversationId, card.activityId ?? FOLLOWER, card.postedAt, card.updatedAt, card.fingerprint);
  }

  /** Oldest first (by postedAt). */
  list(tk: number, tenantId: string, subject: string): PostedCard[] {
    return this.s.list.all(tk, subject).map((r) => {
      const row = RowSchema.parse(r);
      return {
        tenantId,
        subject: row.subject,
        conversationId: row.conversation_id,
        activityId: row.activity_id === FOLLOWER ? null : row.activity_id,
        postedAt: row.posted_at,
        updatedAt: row.updated_at,
        fingerprint: row.fingerprint,
      };
    });
  }

  /** Compare-and-set on `updated_at`; true when this call changed the row. Call inside a write transaction. */
  swap(tk: number, swap: CardSwap): boolean {
    return this.s.touch.run(swap.to, swap.fingerprint, tk, swap.subject, swap.conversationId, swap.activityId, swap.from).changes === 1;
  }

  /** Removes every card posted in a conversation. Call inside a write transaction. */
  removeConversation(tk: number, conversationId: string): void {
    this.s.removeConversation.run(tk, conversationId);
  }

  /** Removes tenant `tk`'s cards posted before `before` (a normalized time key); returns how many. Call inside a write transaction. */
  purge(tk: number, before: string): number {
    return this.s.purge.run(tk, before).changes;
  }
}
