import type { ObjectType } from "../model/catalog";
import { NAMED_TARGETS, type IncomingLink, type LinkChange } from "../model/change";
import type { Scope } from "../model/job";
import type { BackupStore, ComparisonStore } from "../ports";
import { compareObject, type SnapshotEntry, type UnnumberedChange } from "./compare-object";
import { scopeIds, scopeTypes } from "./scope";

/**
 * Leaves out link differences that another change already accounts for, so a deleted user is one change
 * (restore), not one per group it belonged to:
 * - a target gone since the backup (soft-deleted: restoring it brings its links back; deleted for good: it is
 *   listed on its own as not recoverable, and a link to it cannot be re-added);
 * - a target created (or restored) since the backup whose soft delete is recoverable (that removes its links).
 * Only targets of types the comparison read in full are judged; others (devices, contacts, types out of
 * scope) keep their link differences. An update left with no difference is dropped. The links left out for a
 * restored target are returned, to be recorded on that target's change (recovery checks them after restoring).
 * The targets' entries are read here anyway, so each link difference also gets its first targets' names.
 */
export async function foldLinkTargets(
  store: BackupStore & ComparisonStore,
  tenantId: string,
  backupId: string,
  currentId: string,
  scope: Scope,
  changes: readonly UnnumberedChange[],
): Promise<FoldResult> {
  const targets = new Set<string>();
  for (const c of changes) for (const l of c.deltaFromCurrent.links) for (const t of [...l.toAdd, ...l.toRemove]) targets.add(t);
  if (targets.size === 0) return { changes: [...changes], incoming: [] };

  const covered = new Set<ObjectType>(scopeTypes(scope).filter((t) => scopeIds(scope, t) === null));
  const types = LINK_TARGET_TYPES.filter((t) => covered.has(t));
  if (types.length === 0) return { changes: [...changes], incoming: [] };
  const ids = [...targets].sort();
  const read = { ids, types };
  const [then, now] = await Promise.all([entriesById(store.readBackup(tenantId, backupId, read)), entriesById(store.readComparison(tenantId, currentId, read))]);
  const accounted = new Set<string>();
  const restored = new Set<string>();
  for (const id of ids) {
    const type = (now.get(id) ?? then.get(id))?.object.type;
    if (type === undefined || !covered.has(type)) continue;
    const own = compareObject(type, then.get(id) ?? null, now.get(id) ?? null, null);
    if (own && (own.recoveryAction === "restore" || (own.recoveryAction === "softDelete" && own.recoverable))) accounted.add(id);
    if (own?.recoveryAction === "restore") restored.add(id);
  }
  const nameOf = (id: string): string | undefined => {
    const name = (now.get(id) ?? then.get(id))?.object.properties.displayName;
    return typeof name === "string" && name.length > 0 ? name : undefined;
  };

  const out: UnnumberedChange[] = [];
  const incoming: FoldedLink[] = [];
  for (const c of changes) {
    const links: LinkChange[] = [];
    const name = c.displayName ? { name: c.displayName } : {};
    for (const l of c.deltaFromCurrent.links) {
      for (const t of l.toAdd) if (restored.has(t)) incoming.push({ targetId: t, from: { type: c.entityTypeName, id: c.id, link: l.link, ...name } });
      const toAdd = l.toAdd.filter((t) => !accounted.has(t));
      const toRemove = l.toRemove.filter((t) => !accounted.has(t));
      if (toAdd.length > 0 || toRemove.length > 0) links.push(withNames({ link: l.link, toAdd, toRemove }, nameOf));
    }
    if (c.recoveryAction === "update" && links.length === 0 && c.deltaFromCurrent.properties.length === 0) continue;
    out.push({ ...c, deltaFromCurrent: { ...c.deltaFromCurrent, links } });
  }
  return { changes: out, incoming };
}

/** The link difference with the names of its first targets, where known. */
function withNames(link: LinkChange, nameOf: (id: string) => string | undefined): LinkChange {
  const names: Record<string, string> = {};
  for (const id of [...link.toAdd.slice(0, NAMED_TARGETS), ...link.toRemove.slice(0, NAMED_TARGETS)]) {
    const name = nameOf(id);
    if (name !== undefined) names[id] = name;
  }
  return Object.keys(names).length > 0 ? { ...link, names } : link;
}

/** A link left out of its source's change because its target is restored. */
export interface FoldedLink {
  readonly targetId: string;
  readonly from: IncomingLink;
}

/** The changes with folded links left out, and the links left out for restored targets. */
export interface FoldResult {
  readonly changes: UnnumberedChange[];
  readonly incoming: FoldedLink[];
}

/** The types a link can point at among those backed up (members, owners, manager, sponsors). */
const LINK_TARGET_TYPES: readonly ObjectType[] = ["user", "group", "servicePrincipal"];

async function entriesById(batches: AsyncIterable<ReadonlyArray<SnapshotEntry>>): Promise<Map<string, SnapshotEntry>> {
  const out = new Map<string, SnapshotEntry>();
  for await (const batch of batches) for (const e of batch) out.set(e.object.id, e);
  return out;
}
