/** The Adaptive Card JSON Rewind sends: schema 1.5, the version Teams' Universal Actions (Action.Execute) ask for. */
export type AdaptiveCard = Record<string, unknown> & { type: "AdaptiveCard"; version: "1.5" };

/** The card schema version of every Rewind card. */
export const CARD_VERSION = "1.5";

/** The hard limit every card stays under (Teams refuses cards over 28 KB: keep them well under), in UTF-8 bytes of its JSON. */
export const MAX_CARD_BYTES = 28 * 1024;

/** What views aim for, leaving room for the activity around the card. */
export const CARD_BUDGET_BYTES = 24 * 1024;

/** A card's size as sent: the UTF-8 bytes of its JSON. */
export function cardBytes(card: unknown): number {
  return Buffer.byteLength(JSON.stringify(card), "utf8");
}
