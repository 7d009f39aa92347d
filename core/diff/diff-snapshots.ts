import type { BackupStore, ComparisonStore } from "../ports";
import type { Scope } from "../model/job";
import { compareObject, type SnapshotEntry, type UnnumberedChange } from "./compare-object";
import { EntryCursor } from "./entry-cursor";
import { foldLinkTargets, type FoldedLink } from "./fold-links";
import { scopeIds, scopeTypes } from "./scope";
import { flagSensitive, type PrivilegedGroup } from "./sensitive-changes";

/** A stretch of the compare: the changes found, and how many objects were compared to find them. */
export interface DiffChunk {
  readonly changes: UnnumberedChange[];
  readonly compared: number;
  /** Links left out of these changes because their target is restored (to record on the target's change). */
  readonly incoming: FoldedLink[];
}

/** What a comparison needs to know beyond the two snapshots. */
export interface DiffOptions {
  /** Groups that give Rewind's own roles: changes to their membership are flagged security-sensitive. */
  readonly roleGroups?: ReadonlySet<string>;
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
  store: BackupStore & ComparisonStore,
  tenantId: string,
  backupId: string,
  currentId: string,
  scope: Scope,
  signal?: AbortSignal,
  options: DiffOptions = {},
): AsyncIterable<DiffChunk> {
  const attributes = scope.attributes ? new Set(scope.attributes) : null;
  const roleGroups = options.roleGroups ?? new Set<string>();
  // Which changed groups are privileged, learnt from their entries during the merge; the flags are set after
  // folding, so a membership difference folded away flags nothing.
  const privileged = new Map<string, PrivilegedGroup>();
  const fold = async (changes: UnnumberedChange[]) => {
    const folded = await foldLinkTargets(store, tenantId, backupId, currentId, scope, changes);
    const flagged = folded.changes.map((c) => flagSensitive(c, privileged.get(c.id) ?? null));
    privileged.clear();
    return { ...folded, changes: flagged };
  };
  const note = (change: UnnumberedChange | null, a: SnapshotEntry | null, b: SnapshotEntry | null): void => {
    if (change?.entityTypeName !== "group") return;
    if (roleGroups.has(change.id)) privileged.set(change.id, "rewindRole");
    else if (a?.object.properties["isAssignableToRole"] === true || b?.object.properties["isAssignableToRole"] === true) privileged.set(change.id, "roleAssignable");
  };
  for (const type of scopeTypes(scope)) {
    const ids = scopeIds(scope, type);
    const options = { types: [type], ...(ids ? { ids } : {}) };
    const then = new EntryCursor(store.readBackup(tenantId, backupId, options));
    const now = new EntryCursor(store.readComparison(tenantId, currentId, options));
    try {
      let changes: UnnumberedChange[] = [];
      let compared = 0;
      for (;;) {
        const a = await then.peek();
        const b = await now.peek();
        if (a === null && b === null) break;
        // The entries of one object: the backup's, the current state's, or both.
        let pair: [SnapshotEntry | null, SnapshotEntry | null];
        if (b === null || (a !== null && a.object.id < b.object.id)) {
          then.take();
          pair = [a, null];
        } else if (a === null || b.object.id < a.object.id) {
          now.take();
          pair = [null, b];
        } else {
          then.take();
          now.take();
          pair = [a, b];
        }
        const change = compareObject(type, pair[0], pair[1], attributes);
        if (change) {
          note(change, pair[0], pair[1]);
          changes.push(change);
        }
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
