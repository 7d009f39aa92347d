import type { Logger } from "pino";
import type { CardJson } from "../proactive/proactive-sender";

/** Who acts in a turn: their Entra object id (roles are read for it), Teams id and name. */
export interface Who {
  readonly userId: string;
  readonly channelUserId: string;
  readonly name?: string;
}

/** One incoming message or card click, reduced to what the use cases need (no botbuilder types). */
export interface Turn {
  readonly who: Who;
  readonly conversationId: string;
  /** Display names of people seen in this conversation, by Entra object id. */
  readonly names: ReadonlyMap<string, string>;
  /** Teams ids of people seen in this conversation, by Entra object id (for card refresh). */
  readonly members: ReadonlyMap<string, string>;
  readonly log: Logger;
  /** Posts a card as a new message in this conversation; returns its activity id. */
  post(card: CardJson): Promise<string | null>;
}
