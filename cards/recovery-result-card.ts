import { z } from "zod";
import type { AdaptiveCard } from "./adaptive-card";
import { factSchema, lineSchema, textColorSchema, textsSchema } from "./card-parts";
import { renderTemplate } from "./render-template";
import template from "./templates/recovery-result.card.json";
import { VERB_DATA } from "./verbs";

/** A failed change with Graph's message. */
const failedSchema = z.strictObject({ name: z.string().min(1), detail: z.string().min(1), message: z.string().min(1) });

/** A recovery job's result: outcome counts, failed changes with Graph's messages, and what to do next. */
export const recoveryResultCardSchema = z.strictObject({
  title: z.string().min(1),
  stateLabel: z.string().min(1),
  stateColor: textColorSchema,
  countsLine: z.string().min(1),
  notes: z.array(lineSchema),
  /** Why the job failed, as plain text ("" when it did not). */
  error: z.string(),
  advice: textsSchema,
  facts: z.array(factSchema).min(1),
  failedTitle: z.string().min(1),
  failed: z.array(failedSchema).max(10),
  moreFailed: z.string(),
  failedChanges: VERB_DATA["changes.page"].nullable(),
  skipped: VERB_DATA["changes.page"].nullable(),
  all: VERB_DATA["changes.page"],
  /** While the recovery still runs. */
  refresh: VERB_DATA["job.refresh"].nullable(),
});
export type RecoveryResultCardData = z.input<typeof recoveryResultCardSchema>;

/** Renders a recovery job's result card. */
export function renderRecoveryResultCard(data: RecoveryResultCardData): AdaptiveCard {
  return renderTemplate({ name: "recovery-result", template, schema: recoveryResultCardSchema }, data);
}
