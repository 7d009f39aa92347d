import { timeKey } from "../../lib/time-key";
import type { ConversationRecord, PostedCard } from "./conversation";
import { mergeMembers } from "./conversation-members";
import type { ConversationBackend, ConversationStore, SaveConversationInput } from "./conversation-store";
import { requireId, StoredMembersSchema, StoredReferenceSchema, toStoredText } from "./stored-conversation";

/**
 * The ConversationStore's rules, once for every adapter: argument checks (ids never empty, times ISO and
 * normalized, a reference and members that read back as stored), the member merge, and the posted card's
 * compare-and-set rule (updatedAt only moves forward; a follower has no card to update). The adapter behind
 * it only stores.
 */
export class CheckedConversationStore implements ConversationStore {
  constructor(private readonly backend: ConversationBackend) {}

  async saveConversation(tenantId: string, input: SaveConversationInput): Promise<ConversationRecord> {
    requireId(tenantId, "A tenant id");
    const conversationId = requireId(input.conversationId, "A conversation id");
    const at = timeKey(input.at, "at");
    const reference = JSON.parse(toStoredText(StoredReferenceSchema, input.reference, `The reference of conversation ${conversationId}`)) as Record<string, unknown>;
    // The member is checked before anything is read, so a bad one stores nothing.
    const seen = input.member === undefined ? undefined : mergeMembers([], input.member)[0];
    return this.backend.saveConversation(tenantId, {
      conversationId,
      conversationType: input.conversationType,
      reference,
      at,
      merge: (current) => JSON.parse(toStoredText(StoredMembersSchema, mergeMembers(current, seen), `The members of conversation ${conversationId}`)) as ReturnType<typeof mergeMembers>,
    });
  }

  async getConversation(tenantId: string, conversationId: string): Promise<ConversationRecord | null> {
    if (tenantId.length === 0 || conversationId.length === 0) return null;
    return this.backend.getConversation(tenantId, conversationId);
  }

  async listConversations(tenantId: string): Promise<ConversationRecord[]> {
    if (tenantId.length === 0) return [];
    return this.backend.listConversations(tenantId);
  }

  async deleteConversation(tenantId: string, conversationId: string): Promise<void> {
    if (tenantId.length === 0 || conversationId.length === 0) return;
    await this.backend.deleteConversation(tenantId, conversationId);
  }

  async markConversationStale(tenantId: string, conversationId: string, reason: string, at: string): Promise<void> {
    const when = timeKey(at, "at");
    if (tenantId.length === 0 || conversationId.length === 0) return;
    await this.backend.markConversationStale(tenantId, conversationId, reason, when);
  }

  async addPostedCard(card: PostedCard): Promise<void> {
    requireId(card.tenantId, "A tenant id");
    requireId(card.subject, "A posted card's subject");
    requireId(card.conversationId, "A posted card's conversation id");
    if (card.activityId !== null) requireId(card.activityId, "A posted card's activity id (null for a follower)");
    await this.backend.addPostedCard({ ...card, postedAt: timeKey(card.postedAt, "postedAt"), updatedAt: timeKey(card.updatedAt, "updatedAt") });
  }

  async listPostedCards(tenantId: string, subject: string): Promise<PostedCard[]> {
    if (tenantId.length === 0 || subject.length === 0) return [];
    return this.backend.listPostedCards(tenantId, subject);
  }

  /**
   * The time only moves forward: a `next` not after `expected` is stored 1 ms after it. Were it written
   * unchanged, a second caller holding the same expected value would win too.
   */
  async touchPostedCard(
    tenantId: string,
    subject: string,
    conversationId: string,
    activityId: string,
    expectedUpdatedAt: string,
    next: { updatedAt: string; fingerprint: string },
  ): Promise<boolean> {
    const from = timeKey(expectedUpdatedAt, "expectedUpdatedAt");
    const wanted = timeKey(next.updatedAt, "updatedAt");
    if (tenantId.length === 0 || subject.length === 0 || conversationId.length === 0 || activityId.length === 0) return false;
    const to = wanted > from ? wanted : new Date(Date.parse(from) + 1).toISOString();
    return this.backend.swapPostedCard({ tenantId, subject, conversationId, activityId, from, to, fingerprint: next.fingerprint });
  }

  async claimAlert(tenantId: string, key: string, owner: string, at: string, staleBefore: string): Promise<boolean> {
    requireId(tenantId, "A tenant id");
    requireId(key, "An alert key");
    requireId(owner, "An alert claim's owner");
    return this.backend.claimAlert(tenantId, key, owner, timeKey(at, "at"), timeKey(staleBefore, "staleBefore"));
  }

  async completeAlert(tenantId: string, key: string, owner: string, at: string): Promise<void> {
    const when = timeKey(at, "at");
    if (tenantId.length === 0 || key.length === 0) return;
    await this.backend.completeAlert(tenantId, key, owner, when);
  }

  async releaseAlert(tenantId: string, key: string, owner: string): Promise<void> {
    if (tenantId.length === 0 || key.length === 0) return;
    await this.backend.releaseAlert(tenantId, key, owner);
  }

  async alertSent(tenantId: string, key: string): Promise<boolean> {
    if (tenantId.length === 0 || key.length === 0) return false;
    return this.backend.alertSent(tenantId, key);
  }

  async purgeConversationState(tenantId: string, before: string): Promise<number> {
    const cutoff = timeKey(before, "before");
    if (tenantId.length === 0) return 0;
    return this.backend.purgeConversationState(tenantId, cutoff);
  }
}
