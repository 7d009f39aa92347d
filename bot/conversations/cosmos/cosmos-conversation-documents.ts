import { createHash } from "node:crypto";
import { z } from "zod";
import { StoredMembersSchema, StoredReferenceSchema } from "../stored-conversation";

/**
 * The three kinds of document the `conversations` container holds, per tenant (pk = tenantId): a conversation
 * reference, a posted card, an alert claim. Each kind has its own id prefix, so they never collide, and its
 * `kind` field, so queries pick one kind. Times are normalized with `toISOString`, so string order is time order
 * (queries compare them as strings). Cosmos adds `_etag`, `_ts` and the like; the schemas drop them, except
 * `_etag`, which the compare-and-set writes use.
 */

/** Six days, in seconds: the default Cosmos TTL of posted cards and alert claims (see `CosmosConversationStoreOptions`). */
export const DEFAULT_CONVERSATION_STATE_TTL_SECONDS = 6 * 24 * 60 * 60;

/** Characters a Cosmos id may not hold are '/', '\\', '?', '#'; this keeps plainly safe ids readable and hashes the rest. */
const SAFE_ID = /^[A-Za-z0-9:@._\-=+,;]{1,200}$/;

const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * The id of a conversation's document: `conv:<id>` when the conversation id is plainly safe for Cosmos, else
 * `convh:<sha-256>` (a different prefix, so a hashed id never equals a plain one).
 */
export function conversationDocId(conversationId: string): string {
  return SAFE_ID.test(conversationId) ? `conv:${conversationId}` : `convh:${sha256(conversationId)}`;
}

/** The id of a posted card's document: a hash of its key (subject, conversation, activity; null = follower), unambiguous as JSON. */
export function postedCardDocId(subject: string, conversationId: string, activityId: string | null): string {
  return `card:${sha256(JSON.stringify([subject, conversationId, activityId]))}`;
}

/** The id of an alert claim's document: a hash of the caller's key (any length, any characters). */
export function alertDocId(key: string): string {
  return `alert:${sha256(key)}`;
}

const Etag = z.string().min(1);

/** A stored conversation reference, with the people seen there (newest first, capped) and the stale flag. */
export const ConversationDocSchema = z.object({
  id: z.string(),
  pk: z.string(),
  kind: z.literal("conversation"),
  conversationId: z.string().min(1),
  conversationType: z.string(),
  reference: StoredReferenceSchema,
  members: StoredMembersSchema,
  updatedAt: z.string(),
  stale: z.object({ at: z.string(), reason: z.string() }).strict().nullable().optional(),
  _etag: Etag,
});
export type ConversationDoc = z.infer<typeof ConversationDocSchema>;

/** A card the bot posted (activityId null: a follower), with the Cosmos TTL it was written with. */
export const PostedCardDocSchema = z.object({
  id: z.string(),
  pk: z.string(),
  kind: z.literal("card"),
  subject: z.string().min(1),
  conversationId: z.string().min(1),
  activityId: z.string().min(1).nullable(),
  postedAt: z.string(),
  updatedAt: z.string(),
  fingerprint: z.string(),
  ttl: z.number().int().optional(),
  _etag: Etag,
});
export type PostedCardDoc = z.infer<typeof PostedCardDocSchema>;

/** An alert claim: who holds it since when, and when it was sent (null: not yet). */
export const AlertDocSchema = z.object({
  id: z.string(),
  pk: z.string(),
  kind: z.literal("alert"),
  key: z.string().min(1),
  owner: z.string().min(1),
  claimedAt: z.string(),
  sentAt: z.string().nullable(),
  ttl: z.number().int().optional(),
  _etag: Etag,
});
export type AlertDoc = z.infer<typeof AlertDocSchema>;

/** A document as written (Cosmos sets `_etag` itself). */
export type Unsaved<T> = Omit<T, "_etag">;
