/**
 * The argument checks every store makes before it touches its data, one wording each. A bad argument is a
 * caller's bug, not an empty answer: it fails with a RangeError.
 */

/** Page sizes are whole numbers; a negative or fractional one is a caller's bug, not an empty page. */
export function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer (got ${limit}).`);
}

/** A position counted from 1. */
export function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer (got ${count}).`);
}
