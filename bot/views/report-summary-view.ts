import { renderReportSummaryCard, type AdaptiveCard } from "../../cards";
import type { Change } from "../../core/model/change";
import type { Job } from "../../core/model/job";
import { changeName, notRecoverableText, sensitiveText } from "./change-entry";
import { fitToBudget } from "./fit-budget";
import { formatCount, formatUtc, personName, plural } from "./format";
import { jobProgressView } from "./job-progress-view";
import { ACTION_NAME, TYPES_IN_ORDER, describeScope, excludedLines, typeLabel, typePluralHeading } from "./labels";
import type { ViewContext } from "./view-context";

/** Changes the summary shows as a teaser of the list. */
const FIRST_CHANGES = 5;

const count = (n: number | undefined): string => (n && n > 0 ? formatCount(n) : "—");

/**
 * A finished difference report: totals, a type × action table, what cannot be recovered and why, the first
 * changes, and "Show changes" / "Recover…". A report that has not succeeded has no summary: its progress
 * card (state, error, advice) is shown instead.
 */
export function reportSummaryView(job: Job, first: readonly Change[], viewContext: ViewContext, opts: { canRecover: boolean }): AdaptiveCard {
  const summary = job.summary;
  if (job.kind !== "differenceReport" || job.state !== "succeeded" || !summary) return jobProgressView(job, viewContext, { canCancel: false });
  const recoverable = summary.total - summary.notRecoverable;
  const totals =
    summary.total === 0
      ? "No changes"
      : `${plural(summary.total, "change", "changes")}: ${formatCount(recoverable)} can be recovered, ${formatCount(summary.notRecoverable)} cannot` +
        (summary.links > 0 ? `. ${plural(summary.links, "link change", "link changes")} (members, owners, manager, sponsors).` : ".");
  const explanation =
    summary.total === 0
      ? [
          `There are no differences between backup ${job.backupId} and the tenant now, within this report's scope.`,
          "Expected a change? Check that its object type and property are supported, and that it changed after the backup was taken.",
        ]
      : [
          "Recovering writes the backup's values back. Permanently deleted objects are listed but cannot be restored.",
          ...((summary.sensitive ?? 0) > 0
            ? [
                `${plural(summary.sensitive!, "change is", "changes are")} security-sensitive (an account re-enabled, a policy turned off, wider permissions, a privileged group's members…): each is marked in the list and on the recovery request.`,
              ]
            : []),
        ];
  const rows = TYPES_IN_ORDER.flatMap((type) => {
    const a = summary.byType[type];
    if (!a) return [];
    const total = (a.restore ?? 0) + (a.update ?? 0) + (a.softDelete ?? 0);
    if (total === 0) return [];
    return [{ type: typePluralHeading(type), restore: count(a.restore), update: count(a.update), softDelete: count(a.softDelete), total: formatCount(total) }];
  });
  const shown = first.slice(0, FIRST_CHANGES);
  return fitToBudget((level) =>
    renderReportSummaryCard({
      title: `Difference report of backup ${job.backupId}`,
      subtitle: `Completed ${formatUtc(job.completedAt)} · requested by ${personName(viewContext, job.requestedBy)}`,
      totals,
      explanation,
      rows,
      excludedTitle: `Cannot be recovered: ${formatCount(summary.notRecoverable)}`,
      excluded: excludedLines(summary),
      examplesTitle: `First ${plural(shown.length, "change", "changes")} of ${formatCount(summary.total)}`,
      examples: shown.map((c) => ({
        name: changeName(c, level),
        detail: `${typeLabel(c.entityTypeName)} · ${ACTION_NAME[c.recoveryAction]} · ${plural(c.deltaFromCurrent.properties.length, "property", "properties")}, ${plural(c.deltaFromCurrent.links.length, "link", "links")}`,
        flag: notRecoverableText(c, level) || sensitiveText(c, level),
      })),
      facts: [
        { title: "Scope", value: describeScope(job.scope) },
        { title: "Backup", value: job.backupId },
        { title: "Report job id", value: job.id },
      ],
      changes: summary.total > 0 ? { jobId: job.id } : null,
      recover: opts.canRecover && recoverable > 0 ? { reportId: job.id } : null,
      jobs: { backupId: job.backupId },
    }),
  );
}
