import type { Container, ContainerDefinition, Database } from "@azure/cosmos";
import type { Logger } from "pino";
import { CheckedConversationStore } from "../checked-conversation-store";
import type { ConversationRecord, PostedCard } from "../conversation";
import type { CardSwap, CheckedSave, ConversationBackend, ConversationStore } from "../conversation-store";
import { CosmosConversationAlerts } from "./cosmos-conversation-alerts";
import { CosmosConversationCards } from "./cosmos-conversation-cards";
import { DEFAULT_CONVERSATION_STATE_TTL_SECONDS } from "./cosmos-conversation-documents";
import { CosmosConversationReferences } from "./cosmos-conversation-references";
import { purgeConversationDocs } from "./cosmos-conversation-retention";

/**
 * The bot's container: conversation references, posted cards and alert claims, per tenant (pk = tenantId).
 * The same container (name, key, TTL switched on) a database from before the split already has.
 */
const CONVERSATIONS_CONTAINER = { id: "conversations", partitionKey: { paths: ["/pk"] }, defaultTtl: -1 } as const satisfies ContainerDefinition;

/** Options of the Cosmos conversation store. */
export interface CosmosConversationStoreOptions {
  /**
   * The Cosmos TTL of posted cards and alert claims, in seconds (default six days: the default job retention,
   * five days, plus the one day the bot's clean-up adds). Keep it at least as long as that retention: an alert
   * claim that expired early could let a finished job's alert be sent again.
   */
  readonly stateTtlSeconds?: number;
}

/**
 * The ConversationStore's storage on the Cosmos `conversations` container (pk = tenantId): conversation
 * references (`conv:` ids), posted cards (`card:` ids) and alert claims (`alert:` ids). Safe for several
 * replicas sharing the database: member merges retry on a changed etag, card updates and alert takeovers,
 * completions and releases are IfMatch writes, and a free alert key is claimed by a create.
 */
class CosmosConversationBackend implements ConversationBackend {
  private readonly log: Logger;
  private readonly references: CosmosConversationReferences;
  private readonly cards: CosmosConversationCards;
  private readonly alerts: CosmosConversationAlerts;

  constructor(
    private readonly container: Container,
    logger: Logger,
    options: CosmosConversationStoreOptions = {},
  ) {
    const ttl = options.stateTtlSeconds ?? DEFAULT_CONVERSATION_STATE_TTL_SECONDS;
    if (!Number.isInteger(ttl) || ttl <= 0) throw new RangeError(`stateTtlSeconds must be a positive whole number of seconds (got ${ttl}).`);
    this.log = logger.child({ component: "cosmos-conversation-store" });
    this.references = new CosmosConversationReferences(container, this.log);
    this.cards = new CosmosConversationCards(container, ttl);
    this.alerts = new CosmosConversationAlerts(container, ttl, this.log);
  }

  saveConversation(tenantId: string, save: CheckedSave): Promise<ConversationRecord> {
    return this.references.save(tenantId, save);
  }

  getConversation(tenantId: string, conversationId: string): Promise<ConversationRecord | null> {
    return this.references.get(tenantId, conversationId);
  }

  listConversations(tenantId: string): Promise<ConversationRecord[]> {
    return this.references.list(tenantId);
  }

  /** The cards go first, then the conversation: an interrupted delete, called again, finishes the job. */
  async deleteConversation(tenantId: string, conversationId: string): Promise<void> {
    await this.cards.removeConversation(tenantId, conversationId);
    await this.references.remove(tenantId, conversationId);
  }

  markConversationStale(tenantId: string, conversationId: string, reason: string, at: string): Promise<void> {
    return this.references.markStale(tenantId, conversationId, reason, at);
  }

  addPostedCard(card: PostedCard): Promise<void> {
    return this.cards.add(card);
  }

  listPostedCards(tenantId: string, subject: string): Promise<PostedCard[]> {
    return this.cards.list(tenantId, subject);
  }

  swapPostedCard(swap: CardSwap): Promise<boolean> {
    return this.cards.swap(swap);
  }

  claimAlert(tenantId: string, key: string, owner: string, at: string, staleBefore: string): Promise<boolean> {
    return this.alerts.claim(tenantId, key, owner, at, staleBefore);
  }

  completeAlert(tenantId: string, key: string, owner: string, at: string): Promise<void> {
    return this.alerts.complete(tenantId, key, owner, at);
  }

  releaseAlert(tenantId: string, key: string, owner: string): Promise<void> {
    return this.alerts.release(tenantId, key, owner);
  }

  alertSent(tenantId: string, key: string): Promise<boolean> {
    return this.alerts.isSent(tenantId, key);
  }

  /** An explicit sweep of the tenant's partition (Cosmos TTL backs it up in production; the emulator never expires documents). */
  async purgeConversationState(tenantId: string, before: string): Promise<number> {
    const removed = await purgeConversationDocs(this.container, tenantId, before);
    if (removed > 0) this.log.info({ tenantId, before, removed }, "posted cards and alert records purged");
    return removed;
  }
}

/** The conversation store on an opened container. */
function cosmosConversationStore(container: Container, log: Logger, options: CosmosConversationStoreOptions = {}): ConversationStore {
  return new CheckedConversationStore(new CosmosConversationBackend(container, log, options));
}

/** Opens the conversation store in a Cosmos database, creating its container when missing (idempotent). */
export async function openCosmosConversationStore(database: Database, log: Logger, options: CosmosConversationStoreOptions = {}): Promise<ConversationStore & { readonly container: Container }> {
  const { container } = await database.containers.createIfNotExists(CONVERSATIONS_CONTAINER);
  return Object.assign(cosmosConversationStore(container, log, options), { container });
}
