import { CATALOG, OBJECT_TYPES, selectFor, type LinkName, type ObjectType } from "../model/catalog";
import type { DirectoryRecord, LinkTarget, LinkTargetKind, ObjectRecord } from "../ports";
import { GraphRefListSchema, parseGraph, RemovedSchema, type GraphObject } from "./graph-schemas";

/** `#microsoft.graph.user` (with or without `#`) → `user`: a lookup, as it runs once per link entry. */
const TARGET_KINDS: ReadonlyMap<string, LinkTargetKind> = new Map(
  (["user", "group", "servicePrincipal", "device", "orgContact"] as const).flatMap((k) => [
    [`#microsoft.graph.${k}`, k],
    [`microsoft.graph.${k}`, k],
  ]),
);

/** The kind of a link target from its `@odata.type`; anything we do not model → `other`. */
export function targetKind(odataType: string | undefined): LinkTargetKind {
  return (odataType && TARGET_KINDS.get(odataType)) || "other";
}

/**
 * Whether a deleted item read from `type`'s container is of that type: a container shared by several types
 * (`/directory/deletedItems`) tells them apart by `@odata.type`; a container of its own holds only the type.
 */
export function isDeletedItemOf(type: ObjectType, odataType: unknown): boolean {
  const cast = CATALOG[type].deletedItems?.cast;
  if (cast === undefined) return false;
  return cast === null || (typeof odataType === "string" && odataType.replace(/^#/, "") === cast);
}

/** Per type, the properties a record may carry: the catalog's selection (id aside), its contained list, a deletion time. */
const PROPERTY_KEYS: Readonly<Record<ObjectType, readonly string[]>> = Object.fromEntries(
  OBJECT_TYPES.map((t) => {
    const contained = CATALOG[t].contained;
    return [t, [...selectFor(t).filter((k) => k !== "id"), ...(contained ? [contained.name] : []), "deletedDateTime", "@odata.type"]];
  }),
) as unknown as Record<ObjectType, readonly string[]>;

/** Link payload keys of a type's delta items (`members@delta`), by link. */
const DELTA_KEYS: Readonly<Record<ObjectType, ReadonlyArray<readonly [LinkName, string]>>> = Object.fromEntries(
  OBJECT_TYPES.map((t) => [t, CATALOG[t].links.map((l) => [l.name, `${l.name}@delta`] as const)]),
) as unknown as Record<ObjectType, ReadonlyArray<readonly [LinkName, string]>>;

/** Whether a delta item carries properties (a continuation item holds only its id and more links). */
export function hasProperties(type: ObjectType, item: GraphObject): boolean {
  for (const key of PROPERTY_KEYS[type]) if (key !== "@odata.type" && key in item) return true;
  return false;
}

/**
 * An object record from a Graph object: the catalog's properties only (Graph may send more than asked, and
 * unsupported properties must never reach a report); annotations and link payloads left out, except
 * `@odata.type`, which some writes need.
 */
export function toObjectRecord(type: ObjectType, item: GraphObject, extra: { partial?: boolean } = {}): ObjectRecord {
  const properties: Record<string, unknown> = {};
  for (const key of PROPERTY_KEYS[type]) if (key in item) properties[key] = item[key];
  // A live object read without $select (named locations) carries deletedDateTime: null; only deletions count.
  if (properties["deletedDateTime"] === null) delete properties["deletedDateTime"];
  const deleted = typeof item.deletedDateTime === "string" ? { deletedDateTime: item.deletedDateTime } : {};
  return { kind: "object", type, id: item.id, properties, ...deleted, ...(extra.partial ? { partial: true } : {}) };
}

/** Link targets of a reference list (`$expand` or navigation answer). */
export function toTargets(refs: unknown, what: string): LinkTarget[] {
  const list = parseGraph(GraphRefListSchema, refs, what);
  return list.map((r) => ({ id: r.id, kind: targetKind(r["@odata.type"]) }));
}

/** The records one delta item stands for: removed, object (unless a continuation) and link chunks. */
export function* deltaItemRecords(type: ObjectType, item: GraphObject, incremental: boolean): Generator<DirectoryRecord> {
  const removed = item["@removed"];
  if (removed !== undefined) {
    const { reason } = parseGraph(RemovedSchema, removed, `${type} ${item.id} @removed`);
    yield { kind: "removed", type, id: item.id, reason };
    return;
  }
  if (hasProperties(type, item)) yield toObjectRecord(type, item, { partial: incremental });
  for (const [link, key] of DELTA_KEYS[type]) {
    const value = item[key];
    if (value === undefined) continue;
    const refs = parseGraph(GraphRefListSchema, value, `${type} ${item.id} ${key}`);
    const targets: LinkTarget[] = [];
    const gone: LinkTarget[] = [];
    for (const r of refs) (r["@removed"] ? gone : targets).push({ id: r.id, kind: targetKind(r["@odata.type"]) });
    yield { kind: "links", type, id: item.id, link, targets, ...(gone.length > 0 ? { removed: gone } : {}) };
  }
}

/** The Graph path of one object of a type (a singleton's own path). */
export function objectPath(type: ObjectType, id: string): string {
  const def = CATALOG[type];
  return def.singleton ? def.path : `${def.path}/${encodeURIComponent(id)}`;
}
