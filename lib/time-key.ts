/**
 * A time as stored in an indexed column: normalized with `toISOString`, so text order is time order even when
 * callers write the same instant with and without milliseconds (`…:00Z` would sort after `…:00.000Z`).
 * Documents keep the caller's own text; only the columns are normalized.
 */
export function timeKey(iso: string, what: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`${what} must be an ISO date-time (got "${iso}").`);
  return new Date(ms).toISOString();
}
