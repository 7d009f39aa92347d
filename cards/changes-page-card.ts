import { z } from "zod";
import type { AdaptiveCard } from "./adaptive-card";
import { factSchema, textColorSchema, textsSchema } from "./card-parts";
import { renderTemplate } from "./render-template";
import template from "./templates/changes-page.card.json";
import { VERB_DATA } from "./verbs";

/** One change (or one change's recovery outcome) as listed on a page. */
export const changeEntrySchema = z.strictObject({
  name: z.string().min(1),
  /** Type, action, current state and id. */
  detail: z.string().min(1),
  /** Recoverable or why not; for a recovery, the outcome and Graph's message ("" to show nothing). */
  status: z.string(),
  statusColor: textColorSchema,
  /** Changed properties: name → "backup → current". */
  properties: z.array(factSchema),
  /** "and 25 more properties", link changes, incoming links. */
  lines: textsSchema,
});
export type ChangeEntry = z.infer<typeof changeEntrySchema>;

/** A page of a report's changes or of a recovery's outcomes, with paging that keeps the filters. */
export const changesPageCardSchema = z.strictObject({
  title: z.string().min(1),
  subtitle: z.string().min(1),
  empty: z.string(),
  entries: z.array(changeEntrySchema).max(10),
  previous: VERB_DATA["changes.page"].nullable(),
  next: VERB_DATA["changes.page"].nullable(),
  /** Back to the report's summary, or to the recovery's result (exactly one is set). */
  summary: VERB_DATA["report.summary"].nullable(),
  result: VERB_DATA["recovery.result"].nullable(),
});
export type ChangesPageCardData = z.input<typeof changesPageCardSchema>;

/** Renders a page of changes or outcomes. */
export function renderChangesPageCard(data: ChangesPageCardData): AdaptiveCard {
  return renderTemplate({ name: "changes-page", template, schema: changesPageCardSchema }, data);
}
