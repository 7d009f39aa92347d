import type { ObjectType } from "../../core/model/catalog";
import type { Change, ChangeOutcome, RecoveryAction } from "../../core/model/change";
import type { Actor } from "../../core/rewind-settings";
import type { Rewind } from "../../core/rewind";
import { CHANGES_PER_PAGE } from "../views";

/** Filters of a changes page, as the command and the card buttons give them. */
export interface ChangeFilters {
  readonly type?: ObjectType;
  readonly action?: RecoveryAction;
  readonly outcome?: "applied" | "failed" | "skipped";
}

/** The largest page the engine reads at once; used to walk to a far page quickly. */
const WALK = 999;

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

/**
 * Page `page` of a recovery's outcomes: all of them, only the failed ones (the engine's own list), or only the
 * applied or skipped ones (filtered here while walking).
 */
export async function recoveryOutcomesPage(
  rewind: Rewind,
  actor: Actor,
  jobId: string,
  page: number,
  outcome: ChangeFilters["outcome"],
): Promise<{ outcomes: ChangeOutcome[]; hasNext: boolean }> {
  const skip = (page - 1) * CHANGES_PER_PAGE;
  const read = (cursor: string | null, top: number) =>
    outcome === "failed"
      ? rewind.getFailedChanges(actor, jobId, { top, ...(cursor ? { cursor } : {}) })
      : rewind.getRecoveryOutcomes(actor, jobId, { top, ...(cursor ? { cursor } : {}) });
  const keep = (o: ChangeOutcome) => outcome === undefined || outcome === "failed" || o.outcome === outcome;
  const wanted: ChangeOutcome[] = [];
  let seen = 0;
  let cursor: string | null = null;
  for (;;) {
    const top = seen + wanted.length < skip ? WALK : CHANGES_PER_PAGE + 1;
    const result = await read(cursor, top);
    for (const o of result.changes) {
      if (!keep(o)) continue;
      if (seen < skip) seen++;
      else wanted.push(o);
    }
    if (wanted.length > CHANGES_PER_PAGE) return { outcomes: wanted.slice(0, CHANGES_PER_PAGE), hasNext: true };
    if (result.nextCursor === null) return { outcomes: wanted, hasNext: false };
    cursor = result.nextCursor;
  }
}
