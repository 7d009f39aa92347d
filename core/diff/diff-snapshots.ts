import type { BackupStore } from "../ports";
import type { Scope } from "../model/job";
import { compareObject, type UnnumberedChange } from "./compare-object";
import { EntryCursor } from "./entry-cursor";
import { foldLinkTargets, type FoldedLink } from "./fold-links";
import { scopeIds, scopeTypes } from "./scope";

/** A stretch of the compare: the changes found, and how many objects were compared to find them. */
export interface DiffChunk {
  readonly changes: UnnumberedChange[];
  readonly compared: number;
  /** Links left out of these changes because their target is restored (to record on the target's change). */
  readonly incoming: FoldedLink[];
}

/** Objects compared per chunk yielded (about one page of each snapshot). */
const CHUNK_OBJECTS = 500;

/**
 * Compares a backup with a comparison snapshot of the current state, type by type in catalog order: both
 * are read sorted by id and merged in one pass, so time grows linearly with the tenant and memory holds one
 * page of each. Changes come out in (type, id) order, with the link differences another change accounts for
 * left out (see `foldLinkTargets`).
 */
export async function* diffSnapshots(
  store: BackupStore,
  tenantId: string,
  backupId: string,
  currentId: string,
  scope: Scope,
  signal?: AbortSignal,
): AsyncIterable<DiffChunk> {
  const attributes = scope.attributes ? new Set(scope.attributes) : null;
  const fold = (changes: UnnumberedChange[]) => foldLinkTargets(store, tenantId, backupId, currentId, scope, changes);
  for (const type of scopeTypes(scope)) {
    const ids = scopeIds(scope, type);
    const options = { types: [type], ...(ids ? { ids } : {}) };
    const then = new EntryCursor(store.readBackup(tenantId, backupId, options));
    const now = new EntryCursor(store.readBackup(tenantId, currentId, options));
    try {
      let changes: UnnumberedChange[] = [];
      let compared = 0;
      for (;;) {
        const a = await then.peek();
        const b = await now.peek();
        if (a === null && b === null) break;
        let change: UnnumberedChange | null;
        if (b === null || (a !== null && a.object.id < b.object.id)) {
          then.take();
          change = compareObject(type, a, null, attributes);
        } else if (a === null || b.object.id < a.object.id) {
          now.take();
          change = compareObject(type, null, b, attributes);
        } else {
          then.take();
          now.take();
          change = compareObject(type, a, b, attributes);
        }
        if (change) changes.push(change);
        if (++compared >= CHUNK_OBJECTS) {
          signal?.throwIfAborted();
          yield { ...(await fold(changes)), compared };
          changes = [];
          compared = 0;
        }
      }
      if (compared > 0) yield { ...(await fold(changes)), compared };
    } finally {
      await Promise.all([then.close(), now.close()]);
    }
  }
}
