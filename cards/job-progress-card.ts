import { z } from "zod";
import type { AdaptiveCard } from "./adaptive-card";
import { factSchema, lineSchema, textColorSchema, textsSchema } from "./card-parts";
import { renderTemplate } from "./render-template";
import template from "./templates/job-progress.card.json";
import { VERB_DATA } from "./verbs";

/** A job as it runs (state, progress, estimated completion), or how it ended when there is no richer card. */
export const jobProgressCardSchema = z.strictObject({
  title: z.string().min(1),
  stateLabel: z.string().min(1),
  stateColor: textColorSchema,
  progressLine: z.string().min(1),
  etaLine: z.string(),
  /** Cancel requested, restarts, why it waits. */
  notes: z.array(lineSchema),
  /** Why the job failed, as plain text ("" when it did not). */
  error: z.string(),
  advice: textsSchema,
  facts: z.array(factSchema).min(1),
  refresh: VERB_DATA["job.refresh"],
  cancel: VERB_DATA["job.cancel"].nullable(),
  summary: VERB_DATA["report.summary"].nullable(),
  result: VERB_DATA["recovery.result"].nullable(),
});
export type JobProgressCardData = z.input<typeof jobProgressCardSchema>;

/** Renders a job's progress card. */
export function renderJobProgressCard(data: JobProgressCardData): AdaptiveCard {
  return renderTemplate({ name: "job-progress", template, schema: jobProgressCardSchema }, data);
}
