import { renderBackupListCard, type AdaptiveCard } from "../../cards";
import type { BackupSummary } from "../../core/model/backup";
import type { BackupList } from "../../core/rewind";
import { countsLine } from "./backup-counts";
import { formatUtc, personName, plural } from "./format";
import { BACKUPS_PER_PAGE, type ViewContext } from "./view-context";

function triggerText(b: BackupSummary, viewContext: ViewContext): string {
  if (b.trigger === "onDemand") return `taken on demand${b.requestedBy ? ` by ${personName(viewContext, b.requestedBy)}` : ""}`;
  return "scheduled";
}

/**
 * A page of backups, newest first, each with "Difference report" and "Reports and recoveries". A page past
 * the end shows the last page. The engine's note (fewer backups than retention keeps is normal early on) is
 * shown as given.
 */
export function backupListView(list: BackupList, viewContext: ViewContext, opts: { page: number; notice?: string }): AdaptiveCard {
  const backups = [...list.backups].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const pages = Math.max(1, Math.ceil(backups.length / BACKUPS_PER_PAGE));
  const page = Math.min(Math.max(1, Math.floor(opts.page) || 1), pages);
  const shown = backups.slice((page - 1) * BACKUPS_PER_PAGE, page * BACKUPS_PER_PAGE);
  const kept = `kept ${plural(list.retentionDays, "day", "days")}`;
  const subtitle =
    backups.length === 0
      ? `Backups are ${kept}.`
      : `${plural(backups.length, "backup", "backups")}, ${kept}${pages > 1 ? ` · page ${page} of ${pages}` : ""}. Newest first.`;
  return renderBackupListCard({
    notice: opts.notice ?? "",
    title: "Backups",
    subtitle,
    note: list.note ?? "",
    empty:
      backups.length > 0 || list.note
        ? ""
        : "No backup has completed yet. The first one is taken when Rewind starts, then one every interval; a Backup Administrator can take one now with backup now.",
    backups: shown.map((b) => ({
      id: b.id,
      detail: `Completed ${formatUtc(b.completedAt)} · ${triggerText(b, viewContext)}`,
      counts: countsLine(b),
      report: { backupId: b.id },
      jobs: { backupId: b.id },
    })),
    previous: page > 1 ? { page: page - 1 } : null,
    next: page < pages ? { page: page + 1 } : null,
  });
}
