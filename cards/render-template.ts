import { GlobalSettings, Template } from "adaptivecards-templating";
import type { z } from "zod";
import { CARD_VERSION, type AdaptiveCard } from "./adaptive-card";

/** A card's template and the schema of its `$root` data. */
export interface CardDefinition<S extends z.ZodType> {
  readonly name: string;
  readonly template: object;
  readonly schema: S;
}

/** A template referred to data it was not given, or expanded into something that is not a 1.5 card. */
export class CardTemplateError extends Error {
  override readonly name = "CardTemplateError";
}

/**
 * Validates `data` with the card's schema and expands its template. Pure: no I/O, same data, same card.
 * By default the templating library leaves `${field}` in the card when a field is missing; here a missing
 * field (a template/schema mismatch, a bug) throws instead, so no card ever reaches Teams with `${` in it.
 */
export function renderTemplate<S extends z.ZodType>(card: CardDefinition<S>, data: z.input<S>): AdaptiveCard {
  const root = card.schema.parse(data);
  const missing: string[] = [];
  const previous = GlobalSettings.getUndefinedFieldValueSubstitutionString;
  // The library offers only a global hook; expansion is synchronous, so swapping it around one call is safe.
  GlobalSettings.getUndefinedFieldValueSubstitutionString = (path: string) => {
    missing.push(path);
    return `<missing ${path}>`;
  };
  let expanded: unknown;
  let warnings: string[];
  try {
    const template = new Template(card.template);
    expanded = template.expand({ $root: root });
    warnings = template.getLastTemplateExpansionWarnings();
  } finally {
    GlobalSettings.getUndefinedFieldValueSubstitutionString = previous;
  }
  if (missing.length > 0) throw new CardTemplateError(`Card "${card.name}" refers to missing data: ${missing.join(", ")}.`);
  // The library also warns "Unable to parse" for every `$when` that is simply false, so only a `$when` that is
  // not an expression at all counts; the card tests cover each `$when` both ways.
  const real = warnings.filter((w) => w.includes("is not an Adaptive Expression"));
  if (real.length > 0) throw new CardTemplateError(`Card "${card.name}" did not expand cleanly: ${real.join(" ")}`);
  if (!isCard(expanded)) throw new CardTemplateError(`Card "${card.name}" is not an Adaptive Card ${CARD_VERSION}.`);
  return dropNullMembers(expanded);
}

/**
 * A card-level member whose `$when` was false comes out as `null` (e.g. `refresh`), and a card whose buttons
 * all have false `$when`s has `actions: []`: leave both out.
 */
function dropNullMembers(card: AdaptiveCard): AdaptiveCard {
  const kept = Object.entries(card).filter(([key, value]) => value !== null && !(key === "actions" && Array.isArray(value) && value.length === 0));
  return Object.fromEntries(kept) as AdaptiveCard;
}

function isCard(value: unknown): value is AdaptiveCard {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return v["type"] === "AdaptiveCard" && v["version"] === CARD_VERSION;
}
