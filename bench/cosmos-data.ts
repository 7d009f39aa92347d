/**
 * What the Cosmos benchmark writes. Backup objects come from the simulator's own generators (sim/tenant: the
 * users, groups and group memberships the Graph simulator serves) turned into records by the gateway's own
 * mapping (`toObjectRecord`, then capture's `toBatch`), without HTTP: the same properties and link chunks a
 * capture would hand the store, at no Graph cost, so only the store is timed. Changes are synthetic but shaped
 * like a difference report's (core/model/change.ts): catalog order, then id; updates with property deltas,
 * restores with incoming links, group member link changes, a few not recoverable.
 */
import { toBatch } from "../core/backup/capture";
import { toObjectRecord } from "../core/graph/graph-records";
import type { GraphObject } from "../core/graph/graph-schemas";
import type { BackupLinks } from "../core/model/backup";
import { OBJECT_TYPES, type ObjectType } from "../core/model/catalog";
import type { Change } from "../core/model/change";
import type { BackupBatch, DirectoryRecord } from "../core/ports";
import { TenantGenerator } from "../sim/tenant/generator";
import { refIndex, refKind } from "../sim/tenant/kinds";
import type { TenantSpec } from "../sim/types";

/** Objects per batch handed to addToBackup (the brief's ~500; a Graph page is up to 999). */
export const BATCH_OBJECTS = 500;
/** Link targets per link chunk (as Graph splits a long member list over delta pages). */
const TARGETS_PER_CHUNK = 1000;
/** Changes per putChanges call (the report handler writes one diff chunk of at most 500 compared objects). */
export const CHANGES_PER_PUT = 500;

/**
 * A tenant of `objects` users and groups in the large preset's proportions (100,000 users, 20,000 groups,
 * 1,000,000 member links): five users per group, ten links per user.
 */
export function tenantFor(objects: number, seed = 13): TenantSpec {
  const groups = Math.max(1, Math.round(objects / 6));
  const users = Math.max(6, objects - groups);
  return { seed, users, groups, links: users * 10, applications: 0, conditionalAccessPolicies: 0, namedLocations: 0 };
}

/** The tenant's users, then its groups with their members, as capture's batches of `BATCH_OBJECTS` objects. */
export function* backupBatches(spec: TenantSpec): Generator<BackupBatch> {
  const gen = new TenantGenerator(spec, false);
  const id = (kind: "user" | "group" | "servicePrincipal", i: number): string => gen.tenant.ids.id(kind, i);
  for (let from = 0; from < spec.users; from += BATCH_OBJECTS) {
    const records: DirectoryRecord[] = [];
    for (let i = from; i < Math.min(spec.users, from + BATCH_OBJECTS); i++) records.push(toObjectRecord("user", gen.object("user", i) as GraphObject));
    yield toBatch(records);
  }
  for (let from = 0; from < spec.groups; from += BATCH_OBJECTS) {
    const records: DirectoryRecord[] = [];
    for (let g = from; g < Math.min(spec.groups, from + BATCH_OBJECTS); g++) {
      records.push(toObjectRecord("group", gen.object("group", g) as GraphObject));
      const count = gen.links.memberCount(g);
      for (let j = 0; j < count; j += TARGETS_PER_CHUNK) {
        const targets = [];
        for (let k = j; k < Math.min(count, j + TARGETS_PER_CHUNK); k++) {
          const ref = gen.links.memberAt(g, k);
          const kind = refKind(ref) as "user" | "group" | "servicePrincipal";
          targets.push({ id: id(kind, refIndex(ref)), kind });
        }
        records.push({ kind: "links", type: "group", id: id("group", g), link: "members", targets });
      }
    }
    yield toBatch(records);
  }
}

/** Objects and link targets in a batch stream's batches (for the figures). */
export function batchSize(batch: BackupBatch): { objects: number; links: number; jsonBytes: number } {
  return { objects: batch.objects.length, links: batch.links.reduce((n, l: BackupLinks) => n + l.targets.length, 0), jsonBytes: JSON.stringify(batch).length };
}

/** A GUID-shaped id, scrambled so id order is not index order. */
function guid(n: number, kind: number): string {
  const scrambled = ((n * 2654435761) >>> 0).toString(16).padStart(8, "0");
  return `${scrambled}-${kind.toString(16).padStart(4, "0")}-4000-8000-${n.toString(16).padStart(12, "0")}`;
}

/** How a report's changes split over types: mostly users, then groups, a few service principals. */
const TYPE_SHARE: ReadonlyArray<readonly [ObjectType, number]> = [
  ["user", 0.8],
  ["group", 0.18],
  ["servicePrincipal", 0.02],
];

/** Changes per type for `total` changes (the rest goes to users). */
export function changeCounts(total: number): Array<[ObjectType, number]> {
  const counts = TYPE_SHARE.map(([t, share]) => [t, Math.floor(total * share)] as [ObjectType, number]);
  counts[0]![1] += total - counts.reduce((n, [, c]) => n + c, 0);
  return counts.sort((a, b) => OBJECT_TYPES.indexOf(a[0]) - OBJECT_TYPES.indexOf(b[0]));
}

/** One report's `total` changes in seq order (catalog order, then id), built lazily in putChanges-sized pages. */
export function* reportChanges(total: number): Generator<Change[]> {
  let seq = 0;
  let page: Change[] = [];
  for (const [type, count] of changeCounts(total)) {
    const kind = OBJECT_TYPES.indexOf(type);
    const ids = Array.from({ length: count }, (_, i) => guid(i + 1, kind)).sort();
    for (const id of ids) {
      page.push(changeFor(++seq, type, id));
      if (page.length === CHANGES_PER_PUT) {
        yield page;
        page = [];
      }
    }
  }
  if (page.length > 0) yield page;
}

function changeFor(seq: number, type: ObjectType, id: string): Change {
  const h = (seq * 2654435761) >>> 0;
  const roll = h % 100;
  const name = `${type === "user" ? "Employee" : type === "group" ? "Team" : "App"} ${seq}`;
  if (roll < 12) {
    // Soft-deleted since the backup: restore, with the links others held to it.
    return {
      seq,
      id,
      entityTypeName: type,
      displayName: name,
      recoveryAction: "restore",
      deltaFromCurrent: { properties: [], links: [] },
      currentState: "softDeleted",
      recoverable: true,
      incomingLinks: Array.from({ length: h % 4 }, (_, k) => ({ type: "group" as const, id: guid(seq * 7 + k, 1), link: "members" as const })),
    };
  }
  if (roll < 20) {
    // Created since the backup: soft-delete it.
    return {
      seq,
      id,
      entityTypeName: type,
      displayName: name,
      recoveryAction: "softDelete",
      deltaFromCurrent: { properties: [], links: [] },
      currentState: "active",
      recoverable: true,
    };
  }
  const synced = roll >= 97;
  const properties =
    type === "user"
      ? [
          { name: "jobTitle", backupValue: "Senior Engineer", currentValue: "Principal Engineer" },
          { name: "department", backupValue: "Research", currentValue: "Sales" },
          { name: "officeLocation", backupValue: `Building ${h % 40}`, currentValue: `Building ${(h >>> 8) % 40}` },
        ].slice(0, 1 + (h % 3))
      : [{ name: "description", backupValue: `${name}: project team`, currentValue: null }];
  const links =
    type === "group"
      ? [{ link: "members" as const, toAdd: Array.from({ length: 1 + (h % 5) }, (_, k) => guid(seq * 11 + k, 0)), toRemove: Array.from({ length: h % 3 }, (_, k) => guid(seq * 13 + k, 0)) }]
      : type === "user" && h % 7 === 0
        ? [{ link: "manager" as const, toAdd: [guid(seq + 1, 0)], toRemove: [guid(seq + 2, 0)] }]
        : [];
  return {
    seq,
    id,
    entityTypeName: type,
    displayName: name,
    recoveryAction: "update",
    deltaFromCurrent: { properties, links },
    currentState: "active",
    recoverable: !synced,
    ...(synced
      ? { notRecoverableReason: "synced" as const, notRecoverableDetail: "This object is synced from on-premises Active Directory; change it there." }
      : {}),
  };
}
