import { CATALOG } from "../core/model/catalog";
import type { Change } from "../core/model/change";
import type { JobStore } from "../core/ports";

/**
 * Graph's members@odata.bind carries up to 20 references per PATCH
 * (https://learn.microsoft.com/graph/api/group-post-members).
 */
const MEMBERS_PER_WRITE = 20;

/** The fewest Graph writes a recovery of these changes needs, by kind of write. */
export interface MinWrites {
  readonly total: number;
  readonly restores: number;
  readonly propertyPatches: number;
  readonly linkWrites: number;
  readonly softDeletes: number;
  /** Changes that need writes (recoverable ones). */
  readonly recoverableChanges: number;
  readonly notRecoverable: number;
}

/**
 * The fewest writes one change needs: a restore or soft-delete is one write; all changed properties
 * go in one PATCH; members are re-added 20 per PATCH; every other link target (owners, sponsors) is one write;
 * a manager is one write (a PUT replaces it); each link removal is one write. Links a restore brings back
 * need none (the report leaves them out of other objects' differences).
 */
export function minWritesOf(c: Change): { restores: number; propertyPatches: number; linkWrites: number; softDeletes: number } {
  const out = { restores: 0, propertyPatches: 0, linkWrites: 0, softDeletes: 0 };
  if (!c.recoverable) return out;
  if (c.recoveryAction === "softDelete") return { ...out, softDeletes: 1 };
  if (c.recoveryAction === "restore") out.restores = 1;
  if (c.deltaFromCurrent.properties.length > 0) out.propertyPatches = 1;
  for (const l of c.deltaFromCurrent.links) {
    const single = CATALOG[c.entityTypeName].links.find((d) => d.name === l.link)?.cardinality === "one";
    if (single) out.linkWrites += l.toAdd.length > 0 || l.toRemove.length > 0 ? 1 : 0;
    else if (l.link === "members") out.linkWrites += Math.ceil(l.toAdd.length / MEMBERS_PER_WRITE) + l.toRemove.length;
    else out.linkWrites += l.toAdd.length + l.toRemove.length;
  }
  return out;
}

/** Sums `minWritesOf` over every change of a job, read page by page. */
export async function minWritesOfJob(store: JobStore, tenantId: string, jobId: string): Promise<MinWrites> {
  const sum = { restores: 0, propertyPatches: 0, linkWrites: 0, softDeletes: 0, recoverableChanges: 0, notRecoverable: 0 };
  let afterSeq: number | undefined;
  for (;;) {
    const page = await store.readChanges(tenantId, jobId, { limit: 1000, ...(afterSeq !== undefined ? { afterSeq } : {}) });
    for (const c of page) {
      if (!c.recoverable) {
        sum.notRecoverable++;
        continue;
      }
      sum.recoverableChanges++;
      const w = minWritesOf(c);
      sum.restores += w.restores;
      sum.propertyPatches += w.propertyPatches;
      sum.linkWrites += w.linkWrites;
      sum.softDeletes += w.softDeletes;
    }
    if (page.length < 1000) break;
    afterSeq = page[page.length - 1]!.seq;
  }
  return { total: sum.restores + sum.propertyPatches + sum.linkWrites + sum.softDeletes, ...sum };
}
