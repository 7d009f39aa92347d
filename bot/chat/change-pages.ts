import type { ObjectType } from "../../core/model/catalog";
import type { Change, ChangeOutcome, RecoveryAction } from "../../core/model/change";
import type { Actor, OutcomeFilter, Rewind } from "../../core/rewind";
import { CHANGES_PER_PAGE } from "../views";

/** Filters of a changes page, as the command and the card buttons give them. */
export interface ChangeFilters {
  readonly type?: ObjectType;
  readonly action?: RecoveryAction;
  readonly outcome?: OutcomeFilter;
}

/** Page `page` (from 1) of a report's changes: the engine skips to it on its index, reading only that page. */
export async function reportChangesPage(
  rewind: Rewind,
  actor: Actor,
  jobId: string,
  page: number,
  filters: ChangeFilters,
): Promise<{ changes: Change[]; hasNext: boolean }> {
  const query = { ...(filters.type ? { types: [filters.type] } : {}), ...(filters.action ? { actions: [filters.action] } : {}) };
  const skip = (page - 1) * CHANGES_PER_PAGE;
  const read = await rewind.getChanges(actor, jobId, { ...query, top: CHANGES_PER_PAGE, skip });
  return { changes: read.changes, hasNext: read.nextCursor !== null };
}

/** Page `page` (from 1) of a recovery's outcomes, all of them or one outcome only (the engine filters and skips). */
export async function recoveryOutcomesPage(
  rewind: Rewind,
  actor: Actor,
  jobId: string,
  page: number,
  outcome: OutcomeFilter | undefined,
): Promise<{ outcomes: ChangeOutcome[]; hasNext: boolean }> {
  const skip = (page - 1) * CHANGES_PER_PAGE;
  const read = await rewind.getRecoveryOutcomes(actor, jobId, { top: CHANGES_PER_PAGE, skip, ...(outcome ? { outcome } : {}) });
  return { outcomes: read.changes, hasNext: read.nextCursor !== null };
}
