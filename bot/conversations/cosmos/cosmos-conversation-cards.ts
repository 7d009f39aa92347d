import type { Container } from "@azure/cosmos";
import { queryPartition, readDoc, wonRace } from "../../../lib/cosmos-calls";
import { parseStored } from "../../../lib/stored-json";
import type { PostedCard } from "../conversation";
import type { CardSwap } from "../conversation-store";
import { PostedCardDocSchema, postedCardDocId, type PostedCardDoc, type Unsaved } from "./cosmos-conversation-documents";

/**
 * Posted cards in the `conversations` container, one document per (tenant, subject, conversation, activity),
 * its id a hash of that key. An update is a compare-and-set: the stored `updatedAt` must be the one expected,
 * and the replace carries the etag read (IfMatch), so of two processes holding the same expected value only
 * one wins (the other gets 412). Each document carries a Cosmos `ttl` (counted from its last write).
 */
export class CosmosConversationCards {
  constructor(
    private readonly container: Container,
    private readonly ttlSeconds: number,
  ) {}

  /** Inserts, or replaces the card with the same key (times normalized). */
  async add(card: PostedCard): Promise<void> {
    const tenantId = card.tenantId;
    const doc: Unsaved<PostedCardDoc> = {
      id: postedCardDocId(card.subject, card.conversationId, card.activityId),
      pk: tenantId,
      kind: "card",
      subject: card.subject,
      conversationId: card.conversationId,
      activityId: card.activityId,
      postedAt: card.postedAt,
      updatedAt: card.updatedAt,
      fingerprint: card.fingerprint,
      ttl: this.ttlSeconds,
    };
    await this.container.items.upsert(doc);
  }

  /** Oldest first (by postedAt, then conversation and activity, a follower before the conversation's cards). */
  async list(tenantId: string, subject: string): Promise<PostedCard[]> {
    const resources = await queryPartition<unknown>(this.container, tenantId, {
      query: "SELECT * FROM c WHERE c.pk = @pk AND c.kind = 'card' AND c.subject = @subject",
      parameters: [
        { name: "@pk", value: tenantId },
        { name: "@subject", value: subject },
      ],
    });
    const cards = resources.map((r) => toCard(tenantId, parseStored(PostedCardDocSchema, r, `posted card of ${subject}`)));
    const order = (c: PostedCard): [string, string, string] => [c.postedAt, c.conversationId, c.activityId ?? ""];
    return cards.sort((a, b) => {
      const [x, y] = [order(a), order(b)];
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
      return 0;
    });
  }

  /** Compare-and-set on `updatedAt` (and the etag read); true when this call changed the card. */
  async swap(swap: CardSwap): Promise<boolean> {
    const { tenantId, subject, conversationId, activityId } = swap;
    const id = postedCardDocId(subject, conversationId, activityId);
    const doc = await readDoc(this.container, id, tenantId, PostedCardDocSchema, `posted card of ${subject}`);
    if (doc === null || doc.updatedAt !== swap.from) return false;
    const { _etag, ...rest } = doc;
    const changed: Unsaved<PostedCardDoc> = { ...rest, updatedAt: swap.to, fingerprint: swap.fingerprint, ttl: this.ttlSeconds };
    return wonRace(() => this.container.item(id, tenantId).replace(changed, { accessCondition: { type: "IfMatch", condition: _etag } }), [404, 412]);
  }

  /** Removes every card posted in a conversation (a query, then a delete each: the emulator has no batch). */
  async removeConversation(tenantId: string, conversationId: string): Promise<void> {
    const resources = await queryPartition<{ id: string }>(this.container, tenantId, {
      query: "SELECT c.id FROM c WHERE c.pk = @pk AND c.kind = 'card' AND c.conversationId = @conversationId",
      parameters: [
        { name: "@pk", value: tenantId },
        { name: "@conversationId", value: conversationId },
      ],
    });
    for (const { id } of resources) await wonRace(() => this.container.item(id, tenantId).delete(), [404]);
  }
}

function toCard(tenantId: string, doc: PostedCardDoc): PostedCard {
  return {
    tenantId,
    subject: doc.subject,
    conversationId: doc.conversationId,
    activityId: doc.activityId,
    postedAt: doc.postedAt,
    updatedAt: doc.updatedAt,
    fingerprint: doc.fingerprint,
  };
}
