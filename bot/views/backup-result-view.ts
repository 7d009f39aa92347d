import { renderBackupResultCard, type AdaptiveCard } from "../../cards";
import type { BackupSummary } from "../../core/model/backup";
import { countFacts } from "./backup-counts";
import { clip, formatUtc, personName } from "./format";
import type { ViewContext } from "./view-context";

/** An on-demand backup: under way, completed with its counts (and a "Difference report" button), or failed. */
export function backupResultView(
  r: { state: "running" | "completed" | "failed"; summary?: BackupSummary; error?: string; requestedBy: string },
  viewContext: ViewContext,
): AdaptiveCard {
  const by = personName(viewContext, r.requestedBy);
  if (r.state === "completed" && r.summary) {
    const s = r.summary;
    return renderBackupResultCard({
      title: `Backup ${s.id} completed`,
      style: "good",
      summary: `Taken on demand by ${by}. It is listed with the other backups; compare it with the tenant later to see what changed since now.`,
      facts: [
        ...countFacts(s),
        { title: "Started", value: formatUtc(s.startedAt) },
        { title: "Completed", value: formatUtc(s.completedAt) },
      ],
      error: "",
      nextSteps: [],
      report: { backupId: s.id },
    });
  }
  if (r.state === "completed") {
    return renderBackupResultCard({
      title: "Backup completed",
      style: "good",
      summary: `Taken on demand by ${by}. It is listed with the other backups.`,
      facts: [],
      error: "",
      nextSteps: [],
      report: null,
    });
  }
  if (r.state === "failed") {
    return renderBackupResultCard({
      title: "The backup failed",
      style: "attention",
      summary: `The backup ${by} asked for did not finish, so it is not listed: a partial backup would look like a mass deletion. The earlier backups are untouched.`,
      facts: [],
      error: clip(r.error ?? "No error message was given.", 2000),
      nextSteps: [
        "Try backup now again in a few minutes; scheduled backups go on as usual.",
        "If it fails again, check that Rewind can still read Microsoft Graph (its app permissions and credentials), and look at Rewind's logs.",
      ],
      report: null,
    });
  }
  return renderBackupResultCard({
    title: "Taking a backup now…",
    style: "default",
    summary: `Requested by ${by} at ${formatUtc(viewContext.now.toISOString())}. A large tenant takes a few minutes; this card updates when the backup is done.`,
    facts: [],
    error: "",
    nextSteps: [],
    report: null,
  });
}
