/**
 * Differences inside a contained collection (the authentication methods policy's method configurations),
 * named `<collection>/<itemId>/<property>`: how such a name reads, resolves and is written back.
 */
import { canonicalJson } from "./canonical-json";
import { CATALOG, type ContainedDef, type ObjectType } from "./catalog";
import type { PropertyChange } from "./change";

/** A property change name inside a contained collection, taken apart. */
export interface ContainedName {
  readonly itemId: string;
  readonly property: string;
}

/** The change name of one property of one item of `type`'s contained collection. */
export function containedName(type: ObjectType, itemId: string, property: string): string {
  return `${CATALOG[type].contained!.name}/${itemId}/${property}`;
}

/** The item and property a change name points at, or null when it is a property of the object itself. */
export function parseContainedName(type: ObjectType, name: string): ContainedName | null {
  const c = CATALOG[type].contained;
  if (!c || !name.startsWith(`${c.name}/`)) return null;
  const rest = name.slice(c.name.length + 1);
  const slash = rest.indexOf("/");
  if (slash <= 0 || slash === rest.length - 1) return null;
  return { itemId: rest.slice(0, slash), property: rest.slice(slash + 1) };
}

/** The attribute (as a scope names it) a change name belongs to: its collection for a contained item's property. */
export function attributeOf(type: ObjectType, name: string): string {
  return parseContainedName(type, name) ? CATALOG[type].contained!.name : name;
}

/** "Microsoft Authenticator: state" for a contained item's property; other names as they are. */
export function propertyLabel(type: ObjectType, name: string): string {
  const parsed = parseContainedName(type, name);
  if (!parsed) return name;
  const label = knownItem(CATALOG[type].contained!, parsed.itemId)?.label ?? parsed.itemId;
  return `${label}: ${parsed.property}`;
}

/** The value a change name stands for in an object's properties (a contained item's property included). */
export function propertyValue(type: ObjectType, properties: Readonly<Record<string, unknown>>, name: string): unknown {
  const parsed = parseContainedName(type, name);
  if (!parsed) return properties[name];
  return itemsById(properties[CATALOG[type].contained!.name]).get(parsed.itemId)?.[parsed.property];
}

/** The items of a contained list, by id (items without a string id are left out). */
function itemsById(list: unknown): Map<string, Readonly<Record<string, unknown>>> {
  const out = new Map<string, Readonly<Record<string, unknown>>>();
  if (!Array.isArray(list)) return out;
  for (const item of list) {
    if (typeof item === "object" && item !== null && typeof (item as Record<string, unknown>)["id"] === "string") {
      out.set((item as Record<string, string>)["id"]!, item as Record<string, unknown>);
    }
  }
  return out;
}

/** What the catalog knows of an item, by id; Graph's ids are case-insensitive (`QRCodePin`, `qrCodePin`). */
function knownItem(c: ContainedDef, itemId: string): ContainedDef["items"][string] | undefined {
  const lower = itemId.toLowerCase();
  for (const [id, item] of Object.entries(c.items)) if (id.toLowerCase() === lower) return item;
  return undefined;
}

/** Item keys that are not properties to compare: identity and OData annotations. */
function isItemProperty(key: string): boolean {
  return key !== "id" && !key.includes("@");
}

/**
 * The differences between a backup's and the current contained list, per known item and property (items
 * Rewind does not know the derived type of cannot be written back, so they are not reported). Empty when
 * the type has no contained collection.
 */
export function containedChanges(type: ObjectType, then: Readonly<Record<string, unknown>>, now: Readonly<Record<string, unknown>>): PropertyChange[] {
  const c = CATALOG[type].contained;
  if (!c) return [];
  const before = itemsById(then[c.name]);
  const after = itemsById(now[c.name]);
  const out: PropertyChange[] = [];
  for (const [itemId, old] of [...before].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const cur = after.get(itemId);
    if (!cur || knownItem(c, itemId) === undefined) continue;
    const keys = [...new Set([...Object.keys(old), ...Object.keys(cur)])].filter((k) => isItemProperty(k) && !c.notWritten.includes(k)).sort();
    for (const property of keys) {
      const backupValue = old[property] ?? null;
      const currentValue = cur[property] ?? null;
      if (canonicalJson(backupValue) === canonicalJson(currentValue)) continue;
      out.push({ name: containedName(type, itemId, property), backupValue, currentValue });
    }
  }
  return out;
}

/** One item's PATCH: its path, and a body of its derived type with the properties to write. */
export interface ItemWrite {
  readonly path: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/**
 * An update's properties split into the object's own (one PATCH of the object, without the collection)
 * and one PATCH per contained item that changed, carrying only that item's changed properties.
 */
export function splitContained(type: ObjectType, properties: Readonly<Record<string, unknown>>): { own: Record<string, unknown>; items: ItemWrite[] } {
  const c = CATALOG[type].contained;
  const own: Record<string, unknown> = {};
  const byItem = new Map<string, Record<string, unknown>>();
  for (const [name, value] of Object.entries(properties)) {
    const parsed = parseContainedName(type, name);
    if (!parsed) {
      own[name] = value;
      continue;
    }
    const known = knownItem(c!, parsed.itemId);
    if (!known) throw new Error(`${type} has no known ${c!.name} item ${parsed.itemId}.`);
    const body = byItem.get(parsed.itemId) ?? { "@odata.type": known.odataType };
    body[parsed.property] = value;
    byItem.set(parsed.itemId, body);
  }
  const items = [...byItem].map(([itemId, body]) => ({ path: `${c!.path}/${encodeURIComponent(itemId)}`, body }));
  return { own, items };
}
