import { z } from "zod";
import type { AdaptiveCard } from "./adaptive-card";
import { containerStyleSchema, factSchema, textsSchema } from "./card-parts";
import { renderTemplate } from "./render-template";
import template from "./templates/backup-result.card.json";
import { VERB_DATA } from "./verbs";

/** An on-demand backup: under way, done (with its counts), or failed (with why and what to do). */
export const backupResultCardSchema = z.strictObject({
  title: z.string().min(1),
  style: containerStyleSchema,
  summary: z.string().min(1),
  facts: z.array(factSchema),
  /** The failure, shown as plain text ("" when none). */
  error: z.string(),
  nextSteps: textsSchema,
  /** "Difference report" of the new backup, once it completed. */
  report: VERB_DATA["report.start"].nullable(),
});
export type BackupResultCardData = z.input<typeof backupResultCardSchema>;

/** Renders an on-demand backup's card. */
export function renderBackupResultCard(data: BackupResultCardData): AdaptiveCard {
  return renderTemplate({ name: "backup-result", template, schema: backupResultCardSchema }, data);
}
