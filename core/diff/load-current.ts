import { allOrStop } from "../backup/all-or-stop";
import { captureType, toObject } from "../backup/capture";
import type { ObjectType } from "../model/catalog";
import type { Scope } from "../model/job";
import type { BackupBatch, BackupStore, Directory } from "../ports";
import { scopeIds, scopeTypes } from "./scope";

/** The id of a job's snapshot of the current state (never a timestamp, so never a backup's id). */
export function comparisonIdFor(jobId: string): string {
  return `comparison-${jobId}`;
}

/** Objects read one by one at a time, for scopes that name ids. */
const BY_ID_CONCURRENCY = 8;

/** What loading the current state needs. */
export interface LoadCurrentRequest {
  readonly tenantId: string;
  readonly snapshotId: string;
  readonly startedAt: string;
  readonly scope: Scope;
  readonly signal?: AbortSignal;
  /** Called as objects are stored, with how many. */
  readonly onObjects?: (count: number) => void;
}

/**
 * Reads the tenant's current state for a scope into a comparison snapshot in the Store, replacing one a
 * previous attempt left. Whole types stream like a backup; objects named by id are read one by one (a
 * handful of objects in a large tenant should not cost a full read).
 */
export async function loadCurrentState(deps: { readonly directory: Directory; readonly store: BackupStore }, req: LoadCurrentRequest): Promise<void> {
  const { store } = deps;
  await dropComparison(store, req.tenantId, req.snapshotId);
  await store.beginBackup(req.tenantId, { id: req.snapshotId, trigger: "comparison", startedAt: req.startedAt });
  try {
    await allOrStop(
      req.signal,
      scopeTypes(req.scope).map((type) => (signal) => {
        const ids = scopeIds(req.scope, type);
        const one = { ...req, signal };
        return ids ? loadByIds(deps, one, type, ids) : captureType(deps, one, req.snapshotId, type, req.onObjects);
      }),
    );
    await store.completeBackup(req.tenantId, req.snapshotId, new Date().toISOString());
  } catch (err) {
    await dropComparison(store, req.tenantId, req.snapshotId).catch(() => undefined);
    throw err;
  }
}

/** Removes a comparison snapshot, finished or not; an unknown id is a no-op. */
export async function dropComparison(store: BackupStore, tenantId: string, snapshotId: string): Promise<void> {
  try {
    await store.abandonBackup(tenantId, snapshotId);
  } catch {
    await store.deleteBackup(tenantId, snapshotId); // it was completed
  }
}

async function loadByIds(deps: { directory: Directory; store: BackupStore }, req: LoadCurrentRequest, type: ObjectType, ids: readonly string[]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      req.signal?.throwIfAborted();
      const id = ids[next++]!;
      const batch = await readOne(deps.directory, type, id);
      if (batch) await deps.store.addToBackup(req.tenantId, req.snapshotId, batch);
      req.onObjects?.(1);
    }
  };
  await Promise.all(Array.from({ length: Math.min(BY_ID_CONCURRENCY, ids.length) }, worker));
}

async function readOne(directory: Directory, type: ObjectType, id: string): Promise<BackupBatch | null> {
  const live = await directory.getObject(type, id);
  if (live) {
    return {
      objects: [toObject(live.object, false)],
      links: live.links.filter((l) => l.targets.length > 0).map((l) => ({ type, id, link: l.link, targets: l.targets.map((t) => t.id) })),
    };
  }
  const deleted = await directory.getDeleted(type, id);
  return deleted ? { objects: [toObject(deleted, true)], links: [] } : null;
}
