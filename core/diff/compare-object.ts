import type { BackupLinks, BackupObject } from "../model/backup";
import { canonicalJson } from "../model/canonical-json";
import { CATALOG, OBJECT_TYPES, writableProperties, type LinkName, type ObjectType } from "../model/catalog";
import { containedChanges } from "../model/contained";
import type { Change, CurrentState, LinkChange, NotRecoverableReason, PropertyChange, RecoveryAction } from "../model/change";

/** One object as a snapshot (a backup, or a job's read of the current state) holds it. */
export interface SnapshotEntry {
  readonly object: BackupObject;
  readonly links: ReadonlyArray<BackupLinks>;
}

/** A change before it is numbered in its job. */
export type UnnumberedChange = Omit<Change, "seq">;

/** Writable properties per type, looked up once: the compare runs for every object of the tenant. */
const WRITABLE = new Map<ObjectType, readonly string[]>(OBJECT_TYPES.map((t) => [t, writableProperties(t)]));

/**
 * Compares one object's backup with its current state (either may be missing) and returns the change that
 * would bring it back, or null when there is nothing to do. `attributes` narrows the property and link
 * comparison (restores and soft-deletes concern the whole object and are kept).
 *
 * - live then, live now: `update` when a writable property or a link differs.
 * - live then, soft-deleted now: `restore` (with property differences; memberships come back with the object).
 * - live or soft-deleted then, gone now: not recoverable (`hardDeleted`; `unsupported` for types Graph deletes
 *   permanently).
 * - absent or soft-deleted then, live now: `softDelete` (not recoverable for types without a soft delete).
 * - absent or soft-deleted then, soft-deleted now: nothing to do.
 * - synchronized from on-premises (`onPremisesSyncEnabled`): listed, not recoverable.
 */
export function compareObject(
  type: ObjectType,
  backup: SnapshotEntry | null,
  current: SnapshotEntry | null,
  attributes: ReadonlySet<string> | null,
): UnnumberedChange | null {
  const then = backup && !backup.object.deleted ? backup : null;
  const now = current && !current.object.deleted ? current : null;
  const currentState: CurrentState = current === null ? "hardDeleted" : current.object.deleted ? "softDeleted" : "active";
  const def = CATALOG[type];
  const id = (current ?? backup)?.object.id;
  if (id === undefined) return null;

  let action: RecoveryAction;
  let properties: PropertyChange[] = [];
  let links: LinkChange[] = [];
  if (then && now) {
    action = "update";
    properties = propertyChanges(type, then.object, now.object, attributes);
    links = linkChanges(type, then, now, attributes);
    if (properties.length === 0 && links.length === 0) return null;
  } else if (then) {
    action = "restore";
    if (current) properties = propertyChanges(type, then.object, current.object, attributes);
  } else if (now) {
    action = "softDelete";
  } else if (backup?.object.deleted && current === null) {
    action = "restore"; // soft-deleted then, purged since: listed so the admin knows it is gone for good
  } else {
    return null;
  }

  const reference = current ?? backup;
  const synced = reference?.object.properties["onPremisesSyncEnabled"] === true;
  let reason: NotRecoverableReason | undefined;
  let detail: string | undefined;
  if (synced) {
    reason = "synced";
    detail = "This object is synchronized from on-premises Active Directory; change it there (or in your sync rules).";
  } else if (currentState === "hardDeleted" && action === "restore") {
    if (def.deletedItems === null) {
      reason = "unsupported";
      detail = `A deleted ${type} cannot be restored: Microsoft Graph deletes it permanently. Re-create it from the backup's values.`;
    } else {
      reason = "hardDeleted";
      detail =
        type === "group" && isMailOnlyGroup(reference!)
          ? "Distribution lists and mail-enabled security groups are deleted permanently by Microsoft Graph, so it cannot be restored. Re-create it in Exchange from the backup's values."
          : "It was deleted permanently (or purged from deleted items after 30 days), so it cannot be restored.";
    }
  } else if (action === "softDelete" && def.deletedItems === null) {
    reason = "unsupported";
    detail = `A ${type} has no soft delete, and Rewind never deletes permanently. Remove it by hand if it should go.`;
  } else if (action === "softDelete" && type === "group" && isMailOnlyGroup(reference!)) {
    reason = "unsupported";
    detail = MAIL_GROUP_DETAIL;
  }
  const displayName = pickDisplayName(current, backup);
  return {
    id,
    entityTypeName: type,
    displayName,
    recoveryAction: action,
    deltaFromCurrent: { properties, links },
    currentState,
    recoverable: reason === undefined,
    ...(reason ? { notRecoverableReason: reason, notRecoverableDetail: detail } : {}),
  };
}

/**
 * Distribution lists and mail-enabled security groups: Graph deletes them for good (they never reach deleted
 * items), so a soft delete cannot be offered and a deleted one cannot be restored.
 */
function isMailOnlyGroup(entry: SnapshotEntry): boolean {
  const p = entry.object.properties;
  const types = Array.isArray(p["groupTypes"]) ? (p["groupTypes"] as unknown[]) : [];
  return p["mailEnabled"] === true && !types.includes("Unified");
}

const MAIL_GROUP_DETAIL =
  "Distribution lists and mail-enabled security groups are deleted permanently by Microsoft Graph (they never reach deleted items), so Rewind does not delete them. Remove it in Exchange if it should go.";

function pickDisplayName(current: SnapshotEntry | null, backup: SnapshotEntry | null): string | null {
  for (const e of [current, backup]) {
    const name = e?.object.properties["displayName"];
    if (typeof name === "string" && name.length > 0) return name;
  }
  return null;
}

function propertyChanges(type: ObjectType, then: BackupObject, now: BackupObject, attributes: ReadonlySet<string> | null): PropertyChange[] {
  const out: PropertyChange[] = [];
  for (const name of WRITABLE.get(type) ?? []) {
    if (attributes && !attributes.has(name)) continue;
    const backupValue = then.properties[name] ?? null;
    const currentValue = now.properties[name] ?? null;
    if (backupValue === currentValue) continue;
    if (typeof backupValue === "object" || typeof currentValue === "object") {
      if (canonicalJson(backupValue) === canonicalJson(currentValue)) continue;
    }
    out.push({ name, backupValue, currentValue });
  }
  const contained = CATALOG[type].contained;
  if (contained && (!attributes || attributes.has(contained.name))) out.push(...containedChanges(type, then.properties, now.properties));
  return out;
}

/** Dynamic groups compute their members from a rule: there is nothing to write back. */
function isDynamic(entry: SnapshotEntry): boolean {
  const rule = entry.object.properties["membershipRule"];
  return typeof rule === "string" && rule.length > 0;
}

function linkChanges(type: ObjectType, then: SnapshotEntry, now: SnapshotEntry, attributes: ReadonlySet<string> | null): LinkChange[] {
  const out: LinkChange[] = [];
  for (const def of CATALOG[type].links) {
    if (attributes && !attributes.has(def.name)) continue;
    if (def.name === "members" && (isDynamic(then) || isDynamic(now))) continue;
    const [toAdd, toRemove] = sortedDifference(targetsOf(then, def.name), targetsOf(now, def.name));
    if (toAdd.length > 0 || toRemove.length > 0) out.push({ link: def.name, toAdd, toRemove });
  }
  return out;
}

function targetsOf(entry: SnapshotEntry, link: LinkName): readonly string[] {
  const targets: string[] = [];
  for (const l of entry.links) if (l.link === link) targets.push(...l.targets);
  return targets.length > 1 && !isSorted(targets) ? [...new Set(targets)].sort() : targets;
}

function isSorted(a: readonly string[]): boolean {
  for (let i = 1; i < a.length; i++) if (a[i - 1]! >= a[i]!) return false;
  return true;
}

/** [in a only, in b only] for two sorted, duplicate-free lists: one linear pass. */
function sortedDifference(a: readonly string[], b: readonly string[]): [string[], string[]] {
  const onlyA: string[] = [];
  const onlyB: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      i++;
      j++;
    } else if (x < y) {
      onlyA.push(x);
      i++;
    } else {
      onlyB.push(y);
      j++;
    }
  }
  while (i < a.length) onlyA.push(a[i++]!);
  while (j < b.length) onlyB.push(b[j++]!);
  return [onlyA, onlyB];
}
