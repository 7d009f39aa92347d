import { z } from "zod";
import type { AdaptiveCard } from "./adaptive-card";
import { renderTemplate } from "./render-template";
import template from "./templates/backup-list.card.json";
import { VERB_DATA } from "./verbs";

/** One page of backups, newest first, each with its difference report and job list buttons. */
export const backupListCardSchema = z.strictObject({
  notice: z.string(),
  title: z.string().min(1),
  subtitle: z.string().min(1),
  /** Why fewer backups are listed than retention keeps (normal in the first days). */
  note: z.string(),
  /** Shown instead of the list when there is no backup. */
  empty: z.string(),
  backups: z
    .array(
      z.strictObject({
        id: z.string().min(1),
        detail: z.string().min(1),
        counts: z.string().min(1),
        report: VERB_DATA["report.start"],
        jobs: VERB_DATA["jobs.list"],
      }),
    )
    .max(10),
  /** Paging: the newer page (lower number) and the older one, when they exist. */
  previous: VERB_DATA["backups.list"].nullable(),
  next: VERB_DATA["backups.list"].nullable(),
});
export type BackupListCardData = z.input<typeof backupListCardSchema>;

/** Renders a page of the backup list. */
export function renderBackupListCard(data: BackupListCardData): AdaptiveCard {
  return renderTemplate({ name: "backup-list", template, schema: backupListCardSchema }, data);
}
