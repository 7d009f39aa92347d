import { CATALOG, OBJECT_TYPES, selectFor, type LinkName, type ObjectType } from "../model/catalog";
import type { DirectoryRecord, LinkTarget, LinkTargetKind, ObjectRecord } from "../ports";
import { GraphRefListSchema, parseGraph, RemovedSchema, type GraphObject } from "./graph-schemas";

const TARGET_KINDS: ReadonlySet<string> = new Set(["user", "group", "servicePrincipal", "device", "orgContact"]);

/** `#microsoft.graph.user` → `user`; anything we do not model → `other`. */
export function targetKind(odataType: string | undefined): LinkTargetKind {
  const name = odataType?.replace(/^#?microsoft\.graph\./, "") ?? "";
  return TARGET_KINDS.has(name) ? (name as LinkTargetKind) : "other";
}

/** The object type of a deleted item from its `@odata.type`, or undefined when it is not a supported type. */
export function typeOfDeletedItem(odataType: unknown): ObjectType | undefined {
  if (typeof odataType !== "string") return undefined;
  const cast = odataType.replace(/^#/, "");
  return (Object.values(CATALOG).find((d) => d.deletedItemsCast === cast)?.type) ?? undefined;
}

/** Keys that are annotations or link payloads, not properties. `@odata.type` stays: some writes need it. */
function isPropertyKey(key: string): boolean {
  if (key === "id" || key === "@odata.type") return false;
  return !key.startsWith("@") && !key.includes("@");
}

/** Whether a delta item carries properties (a continuation item holds only its id and more links). */
export function hasProperties(item: GraphObject): boolean {
  return Object.keys(item).some(isPropertyKey);
}

/**
 * An object record from a Graph object: the selected properties only (Graph may send more than asked, and
 * unsupported properties must never reach a report), annotations and link payloads left out.
 */
export function toObjectRecord(type: ObjectType, item: GraphObject, extra: { partial?: boolean } = {}): ObjectRecord {
  const selected = SELECTED[type];
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if ((isPropertyKey(key) && selected.has(key)) || key === "@odata.type") properties[key] = value;
  }
  const deleted = typeof item.deletedDateTime === "string" ? { deletedDateTime: item.deletedDateTime } : {};
  return { kind: "object", type, id: item.id, properties, ...deleted, ...(extra.partial ? { partial: true } : {}) };
}

/** Per type, the properties a record may carry: the catalog's selection and a deletion time. */
const SELECTED: Readonly<Record<ObjectType, ReadonlySet<string>>> = Object.fromEntries(
  OBJECT_TYPES.map((t) => [t, new Set([...selectFor(t), "deletedDateTime"])]),
) as Record<ObjectType, ReadonlySet<string>>;

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
  if (hasProperties(item)) yield toObjectRecord(type, item, { partial: incremental });
  const links = new Set<string>(CATALOG[type].links.map((l) => l.name));
  for (const [key, value] of Object.entries(item)) {
    if (!key.endsWith("@delta")) continue;
    const link = key.slice(0, -"@delta".length);
    if (!links.has(link)) continue;
    const refs = parseGraph(GraphRefListSchema, value, `${type} ${item.id} ${key}`);
    const targets: LinkTarget[] = [];
    const gone: LinkTarget[] = [];
    for (const r of refs) (r["@removed"] ? gone : targets).push({ id: r.id, kind: targetKind(r["@odata.type"]) });
    yield { kind: "links", type, id: item.id, link: link as LinkName, targets, ...(gone.length > 0 ? { removed: gone } : {}) };
  }
}
