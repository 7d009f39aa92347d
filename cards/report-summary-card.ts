import { z } from "zod";
import type { AdaptiveCard } from "./adaptive-card";
import { factSchema, textsSchema } from "./card-parts";
import { renderTemplate } from "./render-template";
import template from "./templates/report-summary.card.json";
import { VERB_DATA } from "./verbs";

/** One row of the counts table: a type and its changes per recovery action. */
const rowSchema = z.strictObject({
  type: z.string().min(1),
  restore: z.string(),
  update: z.string(),
  softDelete: z.string(),
  total: z.string().min(1),
});

/** One of the first changes, as a teaser of the list. */
const exampleSchema = z.strictObject({ name: z.string().min(1), detail: z.string().min(1), flag: z.string() });

/** A finished difference report: totals, counts by type and action, what cannot be recovered, first changes. */
export const reportSummaryCardSchema = z.strictObject({
  title: z.string().min(1),
  subtitle: z.string().min(1),
  totals: z.string().min(1),
  /** Sentences under the totals (for no changes: what that means and what to check). */
  explanation: textsSchema,
  rows: z.array(rowSchema).max(20),
  excludedTitle: z.string().min(1),
  excluded: textsSchema,
  examplesTitle: z.string().min(1),
  examples: z.array(exampleSchema).max(5),
  facts: z.array(factSchema).min(1),
  /** "Show changes": absent when there is none to show. */
  changes: VERB_DATA["report.changes"].nullable(),
  /** "Recover…": only for those who may ask, and when something can be recovered. */
  recover: VERB_DATA["recovery.request"].nullable(),
  jobs: VERB_DATA["jobs.list"],
});
export type ReportSummaryCardData = z.input<typeof reportSummaryCardSchema>;

/** Renders a difference report's summary card. */
export function renderReportSummaryCard(data: ReportSummaryCardData): AdaptiveCard {
  return renderTemplate({ name: "report-summary", template, schema: reportSummaryCardSchema }, data);
}
