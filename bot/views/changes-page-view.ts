import { renderChangesPageCard, type AdaptiveCard, type ChangeEntry, type OutcomeFilter } from "../../cards";
import type { ObjectType } from "../../core/model/catalog";
import type { Change, ChangeOutcome, RecoveryAction } from "../../core/model/change";
import type { Job } from "../../core/model/job";
import { changeEntry } from "./change-entry";
import { fitToBudget, type DetailLevel } from "./fit-budget";
import { formatCount } from "./format";
import { ACTION_NAME } from "./labels";
import { CHANGES_PER_PAGE, type ViewContext } from "./view-context";

/** What a changes page shows. */
export interface ChangesPageInput {
  readonly job: Job;
  readonly page: number;
  readonly hasNext: boolean;
  /** A report's changes... */
  readonly changes?: readonly Change[];
  /** ...or a recovery's outcomes. */
  readonly outcomes?: readonly ChangeOutcome[];
  readonly filters: { type?: ObjectType; action?: RecoveryAction; outcome?: OutcomeFilter };
}

/** Highest page a card can point to (the verb's limit). */
const MAX_PAGE = 100_000;

/**
 * A page of a report's changes or of a recovery's outcomes: each change with its properties (backup → now),
 * links and, for a recovery, its outcome and Graph's message. Previous/Next keep the filters.
 */
export function changesPageView(p: ChangesPageInput, _viewContext: ViewContext): AdaptiveCard {
  const recovery = p.outcomes !== undefined || p.job.kind === "recovery";
  const page = Math.min(Math.max(1, Math.floor(p.page) || 1), MAX_PAGE);
  const filters = {
    ...(p.filters.type ? { type: p.filters.type } : {}),
    ...(p.filters.action ? { action: p.filters.action } : {}),
    ...(p.filters.outcome ? { outcome: p.filters.outcome } : {}),
  };
  const filterText = [
    filters.type ? `type=${filters.type}` : "",
    filters.action ? `action=${ACTION_NAME[filters.action]}` : "",
    filters.outcome ? `outcome=${filters.outcome}` : "",
  ].filter((t) => t.length > 0);
  const count = recovery ? (p.outcomes ?? []).length : (p.changes ?? []).length;
  const subtitle = [
    `Backup ${p.job.backupId}`,
    `page ${formatCount(page)}`,
    filterText.length > 0 ? `filtered by ${filterText.join(", ")}` : "no filter",
    ...(count > 0 ? ["values: backup → now"] : []),
  ].join(" · ");
  const empty =
    count > 0
      ? ""
      : page > 1
        ? "Nothing more on this page: the list ended on an earlier page."
        : filterText.length > 0
          ? `No ${recovery ? "outcomes" : "changes"} match these filters.`
          : recovery
            ? "This recovery job has no outcomes yet."
            : "This difference report has no changes.";
  const entries = (level: DetailLevel): ChangeEntry[] =>
    recovery
      ? (p.outcomes ?? []).slice(0, CHANGES_PER_PAGE).map((o) => changeEntry(o.change, level, o))
      : (p.changes ?? []).slice(0, CHANGES_PER_PAGE).map((c) => changeEntry(c, level));
  return fitToBudget((level) =>
    renderChangesPageCard({
      title: recovery ? "Recovery job outcomes" : "Difference report changes",
      subtitle,
      empty,
      entries: entries(level),
      previous: page > 1 ? { jobId: p.job.id, page: page - 1, ...filters } : null,
      next: p.hasNext && page < MAX_PAGE ? { jobId: p.job.id, page: page + 1, ...filters } : null,
      summary: recovery ? null : { jobId: p.job.id },
      result: recovery ? { jobId: p.job.id } : null,
    }),
  );
}
