import { CARD_BUDGET_BYTES, cardBytes, type AdaptiveCard } from "../../cards";

/** How much of each change a card shows; lists step down these levels until the card fits its budget. */
export interface DetailLevel {
  /** Characters of a property value (backup and current each). */
  readonly valueChars: number;
  /** Properties listed per change before "and N more". */
  readonly properties: number;
  /** Link target ids listed per direction. */
  readonly linkIds: number;
  /** Characters of a Graph message or a not-recoverable explanation. */
  readonly messageChars: number;
  /** Characters of a display name. */
  readonly nameChars: number;
}

/** From the most detail (8 properties of ~120 characters) to the least. */
export const DETAIL_LEVELS: readonly DetailLevel[] = [
  { valueChars: 120, properties: 8, linkIds: 3, messageChars: 400, nameChars: 120 },
  { valueChars: 80, properties: 6, linkIds: 2, messageChars: 300, nameChars: 100 },
  { valueChars: 60, properties: 5, linkIds: 2, messageChars: 200, nameChars: 80 },
  { valueChars: 40, properties: 4, linkIds: 1, messageChars: 160, nameChars: 64 },
  { valueChars: 24, properties: 3, linkIds: 0, messageChars: 120, nameChars: 48 },
];

/**
 * Renders at each level in turn and returns the first card within the budget (or the last level's card).
 * Ten changes with 33 long properties each would not fit one card at full detail; most pages do.
 */
export function fitToBudget(render: (level: DetailLevel) => AdaptiveCard, levels: readonly DetailLevel[] = DETAIL_LEVELS): AdaptiveCard {
  let card: AdaptiveCard | undefined;
  for (const level of levels) {
    card = render(level);
    if (cardBytes(card) <= CARD_BUDGET_BYTES) return card;
  }
  if (!card) throw new Error("fitToBudget needs at least one level");
  return card;
}
