import type { ConversationMember, ConversationRecord, PostedCard } from "./conversation";

/** What a conversation is saved with: its reference (and type), the person seen, and when. */
export interface SaveConversationInput {
  readonly conversationId: string;
  readonly conversationType: string;
  readonly reference: Readonly<Record<string, unknown>>;
  readonly member?: ConversationMember;
  readonly at: string;
}

/**
 * What the Teams bot keeps: conversation references, the cards it posted, and which alerts it sent. Times are
 * ISO date-times and come back normalized (`toISOString`), so a time read back compares equal to itself.
 */
export interface ConversationStore {
  /**
   * Upserts a conversation's reference (and type) and, when given, merges the member (replacing the entry with
   * the same userId; keeping the newest `MAX_CONVERSATION_MEMBERS` by lastSeenAt); clears `stale`; sets
   * updatedAt = at. Returns the record as stored.
   */
  saveConversation(tenantId: string, input: SaveConversationInput): Promise<ConversationRecord>;
  getConversation(tenantId: string, conversationId: string): Promise<ConversationRecord | null>;
  /** The tenant's conversations, most recently updated first (stale ones included, flagged). */
  listConversations(tenantId: string): Promise<ConversationRecord[]>;
  /** Removes a conversation (the bot was uninstalled) and its posted cards; unknown is a no-op. */
  deleteConversation(tenantId: string, conversationId: string): Promise<void>;
  /** Flags a conversation stale (the bot was removed or blocked: a 403); unknown is a no-op. */
  markConversationStale(tenantId: string, conversationId: string, reason: string, at: string): Promise<void>;
  /**
   * Adds a posted card; the same (subject, conversationId, activityId) again replaces it. activityId null is a
   * distinct key value (one "follower" row per subject+conversation).
   */
  addPostedCard(card: PostedCard): Promise<void>;
  /** The cards posted about a subject, oldest first (by postedAt). */
  listPostedCards(tenantId: string, subject: string): Promise<PostedCard[]>;
  /**
   * Compare-and-set: records an update of one card only if its updatedAt is still `expectedUpdatedAt`; true
   * when this caller won (false when another won or the card is unknown). updatedAt only moves forward: a
   * `next.updatedAt` not after `expectedUpdatedAt` is stored as `expectedUpdatedAt` + 1 ms, so a second
   * caller holding the same expected value always loses.
   */
  touchPostedCard(
    tenantId: string,
    subject: string,
    conversationId: string,
    activityId: string,
    expectedUpdatedAt: string,
    next: { updatedAt: string; fingerprint: string },
  ): Promise<boolean>;
  /**
   * Claims sending one alert (key chosen by the caller, e.g. "job:<id>:finished:<conversationId>"): true when
   * the key was free, or when it was claimed before `staleBefore` and never sent (a process died mid-send);
   * then the claim moves to `owner`. Atomic across processes sharing the store.
   */
  claimAlert(tenantId: string, key: string, owner: string, at: string, staleBefore: string): Promise<boolean>;
  /** Marks a claimed alert sent (only if `owner` still holds the claim; otherwise a no-op). */
  completeAlert(tenantId: string, key: string, owner: string, at: string): Promise<void>;
  /** Releases a claim that failed to send, so another attempt may claim it at once (only by its owner). */
  releaseAlert(tenantId: string, key: string, owner: string): Promise<void>;
  /** Whether an alert was sent (completed). */
  alertSent(tenantId: string, key: string): Promise<boolean>;
  /**
   * Retention: removes a tenant's posted cards posted before `before` and its alert records claimed before
   * `before` (never another tenant's); returns how many rows went.
   */
  purgeConversationState(tenantId: string, before: string): Promise<number>;
}

/** A save as an adapter receives it: every argument checked, times normalized, the member merge to apply. */
export interface CheckedSave {
  readonly conversationId: string;
  readonly conversationType: string;
  /** The reference, checked to read back as a JSON object. */
  readonly reference: Record<string, unknown>;
  /** Normalized. */
  readonly at: string;
  /** The people to store, given the people stored now (checked to read back). */
  merge(current: readonly ConversationMember[]): ConversationMember[];
}

/** The card a compare-and-set names, and what it becomes when it wins. */
export interface CardSwap {
  readonly tenantId: string;
  readonly subject: string;
  readonly conversationId: string;
  /** Never a follower's: a follower has no card to update. */
  readonly activityId: string;
  /** The stored updatedAt this update expects (normalized). */
  readonly from: string;
  /** The updatedAt to store: always after `from`. */
  readonly to: string;
  readonly fingerprint: string;
}

/**
 * What an adapter (SQLite, Cosmos) does: storage primitives only. Arguments come checked and normalized by
 * `CheckedConversationStore`, which holds the rules both adapters share; ids are never empty here.
 */
export interface ConversationBackend {
  getConversation(tenantId: string, conversationId: string): Promise<ConversationRecord | null>;
  listConversations(tenantId: string): Promise<ConversationRecord[]>;
  /** Reads the stored members, applies `save.merge`, writes; atomic against a concurrent save of the same conversation. */
  saveConversation(tenantId: string, save: CheckedSave): Promise<ConversationRecord>;
  /** The conversation and its cards. */
  deleteConversation(tenantId: string, conversationId: string): Promise<void>;
  markConversationStale(tenantId: string, conversationId: string, reason: string, at: string): Promise<void>;
  /** Upsert by (subject, conversation, activity); times normalized. */
  addPostedCard(card: PostedCard): Promise<void>;
  listPostedCards(tenantId: string, subject: string): Promise<PostedCard[]>;
  /** Writes `to` and the fingerprint only if the stored updatedAt is `from`, atomically; true when it did. */
  swapPostedCard(swap: CardSwap): Promise<boolean>;
  /** See `ConversationStore.claimAlert`: the check and the claim are one atomic step. */
  claimAlert(tenantId: string, key: string, owner: string, at: string, staleBefore: string): Promise<boolean>;
  completeAlert(tenantId: string, key: string, owner: string, at: string): Promise<void>;
  releaseAlert(tenantId: string, key: string, owner: string): Promise<void>;
  alertSent(tenantId: string, key: string): Promise<boolean>;
  /** Cards posted and alerts claimed before `before` (normalized); how many went. */
  purgeConversationState(tenantId: string, before: string): Promise<number>;
}
