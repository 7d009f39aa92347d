import type { Container } from "@azure/cosmos";
import type { Logger } from "pino";
import type { ConversationMember, ConversationRecord, PostedCard } from "../../model/conversation";
import type { ConversationStore } from "../../ports";
import { requireId } from "../sqlite/conversation-documents";
import type { CosmosContainers } from "./cosmos-containers";
import { CosmosConversationAlerts } from "./cosmos-conversation-alerts";
import { CosmosConversationCards } from "./cosmos-conversation-cards";
import { DEFAULT_CONVERSATION_STATE_TTL_SECONDS } from "./cosmos-conversation-documents";
import { CosmosConversationReferences } from "./cosmos-conversation-references";
import { purgeConversationDocs } from "./cosmos-conversation-retention";

/** Options of a `CosmosConversationStore`. */
export interface CosmosConversationStoreOptions {
  /**
   * The Cosmos TTL of posted cards and alert claims, in seconds (default six days: the default job retention,
   * five days, plus the one day `purgeConversationState` is called with). Keep it at least as long as that
   * retention: an alert claim that expired early could let a finished job's alert be sent again.
   */
  readonly stateTtlSeconds?: number;
}

/**
 * The ConversationStore port on the Cosmos `conversations` container (pk = tenantId): conversation references
 * (`conv:` ids), posted cards (`card:` ids) and alert claims (`alert:` ids). Safe for several replicas sharing
 * the database: member merges retry on a changed etag, card updates and alert takeovers, completions and
 * releases are IfMatch writes, and a free alert key is claimed by a create.
 */
export class CosmosConversationStore implements ConversationStore {
  private readonly log: Logger;
  private readonly container: Container;
  private readonly references: CosmosConversationReferences;
  private readonly cards: CosmosConversationCards;
  private readonly alerts: CosmosConversationAlerts;

  constructor(containers: CosmosContainers, logger: Logger, options: CosmosConversationStoreOptions = {}) {
    const ttl = options.stateTtlSeconds ?? DEFAULT_CONVERSATION_STATE_TTL_SECONDS;
    if (!Number.isInteger(ttl) || ttl <= 0) throw new RangeError(`stateTtlSeconds must be a positive whole number of seconds (got ${ttl}).`);
    this.log = logger.child({ component: "cosmos-conversation-store" });
    this.container = containers.conversations;
    this.references = new CosmosConversationReferences(this.container, this.log);
    this.cards = new CosmosConversationCards(this.container, ttl);
    this.alerts = new CosmosConversationAlerts(this.container, ttl, this.log);
  }

  async saveConversation(
    tenantId: string,
    input: { conversationId: string; conversationType: string; reference: Readonly<Record<string, unknown>>; member?: ConversationMember; at: string },
  ): Promise<ConversationRecord> {
    requireId(tenantId, "A tenant id");
    return this.references.save(tenantId, input);
  }

  async getConversation(tenantId: string, conversationId: string): Promise<ConversationRecord | null> {
    if (tenantId.length === 0 || conversationId.length === 0) return null;
    return this.references.get(tenantId, conversationId);
  }

  async listConversations(tenantId: string): Promise<ConversationRecord[]> {
    return this.references.list(tenantId);
  }

  /** The cards go first, then the conversation: an interrupted delete, called again, finishes the job. */
  async deleteConversation(tenantId: string, conversationId: string): Promise<void> {
    if (tenantId.length === 0 || conversationId.length === 0) return;
    await this.cards.removeConversation(tenantId, conversationId);
    await this.references.remove(tenantId, conversationId);
  }

  async markConversationStale(tenantId: string, conversationId: string, reason: string, at: string): Promise<void> {
    if (tenantId.length === 0 || conversationId.length === 0) return;
    await this.references.markStale(tenantId, conversationId, reason, at);
  }

  async addPostedCard(card: PostedCard): Promise<void> {
    await this.cards.add(card);
  }

  async listPostedCards(tenantId: string, subject: string): Promise<PostedCard[]> {
    return this.cards.list(tenantId, subject);
  }

  async touchPostedCard(
    tenantId: string,
    subject: string,
    conversationId: string,
    activityId: string,
    expectedUpdatedAt: string,
    next: { updatedAt: string; fingerprint: string },
  ): Promise<boolean> {
    return this.cards.touch(tenantId, subject, conversationId, activityId, expectedUpdatedAt, next);
  }

  async claimAlert(tenantId: string, key: string, owner: string, at: string, staleBefore: string): Promise<boolean> {
    return this.alerts.claim(tenantId, key, owner, at, staleBefore);
  }

  async completeAlert(tenantId: string, key: string, owner: string, at: string): Promise<void> {
    await this.alerts.complete(tenantId, key, owner, at);
  }

  async releaseAlert(tenantId: string, key: string, owner: string): Promise<void> {
    await this.alerts.release(tenantId, key, owner);
  }

  async alertSent(tenantId: string, key: string): Promise<boolean> {
    return this.alerts.isSent(tenantId, key);
  }

  /** An explicit sweep of the tenant's partition (Cosmos TTL backs it up in production; the emulator never expires documents). */
  async purgeConversationState(tenantId: string, before: string): Promise<number> {
    const removed = await purgeConversationDocs(this.container, tenantId, before);
    if (removed > 0) this.log.info({ tenantId, before, removed }, "posted cards and alert records purged");
    return removed;
  }
}
