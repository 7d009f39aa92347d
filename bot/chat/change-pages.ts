import type { ObjectType } from "../../core/model/catalog";
import type { RecoveryAction } from "../../core/model/change";
import type { Actor, OutcomeFilter, ResultsPage, Rewind } from "../../core/rewind";
import { CHANGES_PER_PAGE } from "../views";

/** Filters of a changes page, as the command and the card buttons give them. */
export interface ChangeFilters {
  readonly type?: ObjectType;
  readonly action?: RecoveryAction;
  readonly outcome?: OutcomeFilter;
}

/**
 * Page `page` (from 1) of a job's results as the card shows them, in one call to the engine: a report's changes
 * or a recovery's outcomes; the engine checks which filters apply and skips to the page on its index.
 */
export function resultsPage(rewind: Rewind, actor: Actor, jobId: string, page: number, filters: ChangeFilters): Promise<ResultsPage> {
  return rewind.viewResultsPage(actor, jobId, { ...filters, top: CHANGES_PER_PAGE, skip: (page - 1) * CHANGES_PER_PAGE });
}
