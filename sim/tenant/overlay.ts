import { KINDS, type Kind, type Ref } from "./kinds";
import { LinkList } from "./link-list";
import type { JsonObject } from "./json";

/** A deleted object: soft (restorable for 30 days from `deletedAtMs`) or hard (gone for good). */
export interface Tombstone {
  deletedAtMs: number;
  hard: boolean;
}

function perKind<T>(): Record<Kind, Map<number, T>> {
  const out = {} as Record<Kind, Map<number, T>>;
  for (const k of KINDS) out[k] = new Map<number, T>();
  return out;
}

/**
 * Everything that differs from the generated tenant, and nothing else: property patches, created objects,
 * tombstones, and link lists materialized only for the objects whose links were written.
 */
export class Overlay {
  readonly patches = perKind<JsonObject>();
  readonly created = perKind<JsonObject>();
  readonly tombstones = perKind<Tombstone>();
  /** Group index → its whole member list, once any member of that group was written. */
  readonly members = new Map<number, LinkList>();
  readonly owners = new Map<number, LinkList>();
  /** User index → manager (null: removed). */
  readonly managers = new Map<number, Ref | null>();
  readonly sponsors = new Map<number, LinkList>();
  readonly mfa = new Map<number, string>();
  readonly singletons = new Map<string, JsonObject>();
  /** Whether any object was deleted (lets the hot read path skip tombstone lookups entirely). */
  anyTombstone = false;
}
