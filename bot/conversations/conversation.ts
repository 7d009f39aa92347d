/** Most people a conversation record remembers (the most recently seen are kept). */
export const MAX_CONVERSATION_MEMBERS = 100;

/** A person seen in a conversation (to address card refreshes and to show names). */
export interface ConversationMember {
  /** Entra object id (Teams `from.aadObjectId`). */
  readonly userId: string;
  /** Teams id (`from.id`, "29:…"): what a card's refresh names. */
  readonly channelUserId: string;
  /** Display name, to show people as the conversation knows them. */
  readonly name?: string;
  /** When the person was last seen here (ISO): the newest are the ones kept. */
  readonly lastSeenAt: string;
}

/** Where the bot can post: a stored conversation reference, opaque JSON to the engine. */
export interface ConversationRecord {
  readonly tenantId: string;
  readonly conversationId: string;
  /** "personal", "groupChat", "channel", or whatever the channel said, kept as given. */
  readonly conversationType: string;
  /** The Bot Framework conversation reference, as JSON. */
  readonly reference: Readonly<Record<string, unknown>>;
  /** Newest `lastSeenAt` first, at most `MAX_CONVERSATION_MEMBERS`. */
  readonly members: readonly ConversationMember[];
  /** When the reference was last saved (ISO). */
  readonly updatedAt: string;
  /** Set when Teams refused a send (the bot was removed or blocked): nothing more is sent there. */
  readonly stale?: { readonly at: string; readonly reason: string };
}

/** A card the bot posted about a subject (a job or a recovery request), updated in place as the subject changes. */
export interface PostedCard {
  readonly tenantId: string;
  /** "job:<id>" or "request:<id>". */
  readonly subject: string;
  readonly conversationId: string;
  /** Null: the conversation only follows the subject (it gets the final alert); there is no card to update. */
  readonly activityId: string | null;
  /** When it was posted (ISO): listing order and retention. */
  readonly postedAt: string;
  /** When it was last updated (ISO): what `touchPostedCard` compares, so two processes do not both update it. */
  readonly updatedAt: string;
  /** What the card last showed, so an unchanged subject is not re-sent. */
  readonly fingerprint: string;
}
