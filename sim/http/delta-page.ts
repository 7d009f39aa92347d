/**
 * Builds one delta page from a sequence of items, splitting member lists so that a page carries at most
 * `memberBudget` member entries: a group whose members did not fit is emitted again at the start of the
 * next page with the rest (only `id` and `members@delta`), as Graph does. Rounds follow Graph's delta query
 * (https://learn.microsoft.com/graph/delta-query-overview): `@odata.nextLink` pages, then an `@odata.deltaLink`.
 */

import type { Ref } from "../tenant/kinds";

/** The log entries of an incremental round folded per object, in order of first change. */
export interface DeltaChanges {
  order: number[];
  /** Objects whose properties or existence changed. */
  objects: Set<number>;
  /** Per group, the members whose link changed. */
  links: Map<number, Ref[]>;
  /** Per user, the manager before the first change of the round. */
  previousManager: Map<number, Ref>;
}

/** One delta item: its JSON without members, and optionally its member entries (JSON texts). */
export interface DeltaItem {
  /** Full JSON object text of the item (properties or `@removed`), without `members@delta`. */
  json: string;
  id: string;
  /** The link name the entries go under (`members@delta`). */
  linkKey?: string;
  entries?: { length: number; at(j: number): string | undefined };
}

export interface DeltaCursor {
  /** Position of the next item. */
  pos: number;
  /** Entry offset inside the item at `pos` (> 0 when its members were split). */
  mo: number;
}

export interface DeltaPageResult {
  items: string[];
  /** Where the next page starts, or undefined when this was the last page. */
  next: DeltaCursor | undefined;
}

function withEntries(json: string, key: string, entries: readonly string[]): string {
  const body = json.slice(0, -1);
  const sep = body.length > 1 ? "," : "";
  return `${body}${sep}${JSON.stringify(key)}:[${entries.join(",")}]}`;
}

export function buildDeltaPage(
  length: number,
  itemAt: (pos: number) => DeltaItem | undefined,
  start: DeltaCursor,
  pageSize: number,
  memberBudget: number,
): DeltaPageResult {
  const items: string[] = [];
  let budget = memberBudget;
  let { pos, mo } = start;
  while (pos < length) {
    const item = itemAt(pos);
    if (!item) {
      pos++;
      mo = 0;
      continue;
    }
    if (items.length >= pageSize || (budget <= 0 && item.entries && item.entries.length > mo)) return { items, next: { pos, mo } };
    if (!item.entries || !item.linkKey) {
      items.push(item.json);
      pos++;
      mo = 0;
      continue;
    }
    const out: string[] = [];
    let j = mo;
    for (; j < item.entries.length && out.length < budget; j++) {
      const e = item.entries.at(j);
      if (e !== undefined) out.push(e);
    }
    // Skip trailing hidden entries so a finished list is not reported as split.
    while (j < item.entries.length && item.entries.at(j) === undefined) j++;
    budget -= out.length;
    items.push(mo === 0 ? withEntries(item.json, item.linkKey, out) : withEntries(`{"id":${JSON.stringify(item.id)}}`, item.linkKey, out));
    if (j < item.entries.length) return { items, next: { pos, mo: j } };
    pos++;
    mo = 0;
  }
  return { items, next: undefined };
}
