import { OBJECT_TYPES, type ObjectType } from "../../model/catalog";
import type { BackupReadOptions } from "../../ports";

const KNOWN_TYPES: ReadonlySet<string> = new Set(OBJECT_TYPES);

/** Refuses a type outside the catalog before it is stored: such an object could never be read back in order. */
export function checkObjectType(type: ObjectType): ObjectType {
  if (!KNOWN_TYPES.has(type)) throw new TypeError(`Unknown object type "${String(type)}"; expected one of ${OBJECT_TYPES.join(", ")}.`);
  return type;
}

/** Ids in the order every store reads them: UTF-16 code units, as SQLite's and Cosmos' string comparisons. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The sorted union of link target lists, each target once: what a backup holds for one (object, link). */
export function sortedUnion(lists: Iterable<readonly string[]>): string[] {
  const all: string[] = [];
  for (const list of lists) for (const id of list) all.push(id);
  all.sort(compareIds);
  let n = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[n - 1]) all[n++] = all[i]!;
  all.length = n;
  return all;
}

/** A read's filters as every store applies them. */
interface ReadFilter {
  /** The types to read; null for every type. */
  readonly types: ReadonlySet<ObjectType> | null;
  /** The ids to read, sorted and each once; null for every id. */
  readonly ids: readonly string[] | null;
}

/** The filters of a backup (or comparison) read. */
export function readFilter(options: BackupReadOptions | undefined): ReadFilter {
  return {
    types: options?.types ? new Set(options.types) : null,
    ids: options?.ids ? [...new Set(options.ids)].sort(compareIds) : null,
  };
}
