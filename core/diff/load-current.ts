import { forEachConcurrent } from "../../lib/pool";
import { allOrStop } from "../backup/all-or-stop";
import { captureType, toObject } from "../backup/capture";
import type { ObjectType } from "../model/catalog";
import type { Scope } from "../model/job";
import type { BackupBatch, Clock, ComparisonStore, Directory } from "../ports";
import { scopeIds, scopeTypes } from "./scope";

/** The id of a job's comparison snapshot. */
export function comparisonIdFor(jobId: string): string {
  return `comparison-${jobId}`;
}

/** Objects read one by one at a time, for scopes that name ids. */
const BY_ID_CONCURRENCY = 8;

/** What loading the current state needs. */
export interface LoadCurrentDeps {
  readonly directory: Directory;
  readonly store: ComparisonStore;
  readonly clock: Clock;
}

/** What to load, and where. */
export interface LoadCurrentRequest {
  readonly tenantId: string;
  readonly snapshotId: string;
  readonly scope: Scope;
  readonly signal?: AbortSignal;
  /** Called as objects are stored, with how many. */
  readonly onObjects?: (count: number) => void;
}

/**
 * Reads the tenant's current state for a scope into a comparison snapshot in the Store, replacing one a
 * previous attempt left, and finishes it (readable, sorted). Whole types stream like a backup; objects named by
 * id are read one by one (a handful of objects in a large tenant should not cost a full read). On failure the
 * snapshot is dropped; its job drops it once compared.
 */
export async function loadCurrentState(deps: LoadCurrentDeps, req: LoadCurrentRequest): Promise<void> {
  const { store } = deps;
  await store.dropComparison(req.tenantId, req.snapshotId);
  await store.beginComparison(req.tenantId, req.snapshotId, deps.clock.now().toISOString());
  const write = (batch: BackupBatch): Promise<void> => store.addToComparison(req.tenantId, req.snapshotId, batch);
  try {
    await allOrStop(
      req.signal,
      scopeTypes(req.scope).map((type) => (signal) => {
        const ids = scopeIds(req.scope, type);
        const one = { ...req, signal };
        return ids ? loadByIds(deps.directory, one, write, type, ids) : captureType(deps, one, write, type, req.onObjects);
      }),
    );
    await store.finishComparison(req.tenantId, req.snapshotId);
  } catch (err) {
    await store.dropComparison(req.tenantId, req.snapshotId).catch(() => undefined);
    throw err;
  }
}

async function loadByIds(
  directory: Directory,
  req: LoadCurrentRequest,
  write: (batch: BackupBatch) => Promise<void>,
  type: ObjectType,
  ids: readonly string[],
): Promise<void> {
  await forEachConcurrent(
    ids,
    BY_ID_CONCURRENCY,
    async (id) => {
      const batch = await readOne(directory, type, id);
      if (batch) await write(batch);
      req.onObjects?.(1);
    },
    req.signal ? { signal: req.signal } : {},
  );
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
