/** What every view needs besides the objects it shows. */
export interface ViewContext {
  /** The time cards are rendered at (relative times such as "about 4 min left" count from it). */
  readonly now: Date;
  /** Entra user id → display name; a missing name falls back to the id. */
  readonly names: ReadonlyMap<string, string>;
}

/** Changes (or recovery outcomes) per page: ten changes with their properties fit one card. */
export const CHANGES_PER_PAGE = 10;
/** Jobs per page of the job list. */
export const JOBS_PER_PAGE = 10;
/** Backups per page: retention has no upper limit, so the list is paged. */
export const BACKUPS_PER_PAGE = 10;
