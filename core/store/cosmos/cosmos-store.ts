import type { Logger } from "pino";
import type { AuditStore, BackupStore, ComparisonStore, JobStore, RecoveryRequestStore, Store } from "../../ports";

/** The parts a Cosmos store is made of, one per concern (each with its own containers). */
export interface CosmosStoreParts {
  /** Backups and the comparison snapshots (both sealed into sorted slices the same way). */
  readonly backups: BackupStore & ComparisonStore;
  readonly jobs: JobStore & RecoveryRequestStore & AuditStore;
}

/**
 * Each port's methods. `satisfies Record<keyof Port, true>` makes the compiler insist on every method of the
 * port and nothing else, so a method added to a port fails the type check here until it is routed.
 */
const BACKUP_METHODS = {
  beginBackup: true, addToBackup: true, completeBackup: true, abandonBackup: true, listBackups: true, getBackup: true,
  listUnfinishedBackups: true, readBackup: true, deleteBackup: true, backupStorageBytes: true,
} as const satisfies Record<keyof BackupStore, true>;
const COMPARISON_METHODS = {
  beginComparison: true, addToComparison: true, finishComparison: true, readComparison: true, dropComparison: true, dropComparisonsBegunBefore: true,
} as const satisfies Record<keyof ComparisonStore, true>;
const JOB_METHODS = {
  createJob: true, getJob: true, listJobs: true, listActiveJobs: true, updateJob: true, requestCancel: true, deleteJob: true,
  listJobsCompletedBefore: true, putChanges: true, readChanges: true, nthChangeSeq: true, getChanges: true, clearChanges: true,
  putOutcomes: true, readOutcomes: true, failedSeqs: true,
} as const satisfies Record<keyof JobStore, true>;
const REQUEST_METHODS = { createRecoveryRequest: true, getRecoveryRequest: true, listRecoveryRequests: true, updateRecoveryRequest: true } as const satisfies Record<keyof RecoveryRequestStore, true>;
const AUDIT_METHODS = { appendAudit: true, listAudit: true, purgeAudit: true } as const satisfies Record<keyof AuditStore, true>;

/** The named methods of `part`, bound to it: the port's surface and nothing more (no private helpers). */
function bound<T extends object>(part: T, methods: Record<keyof T & string, true>): T {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(methods)) {
    const member = (part as Record<string, unknown>)[name];
    if (typeof member !== "function") throw new Error(`The Cosmos store part has no method ${name}.`);
    out[name] = (member as (...args: unknown[]) => unknown).bind(part);
  }
  return out as T;
}

/** The Store port over Cosmos DB: each call goes to the part that owns it. */
export function composeCosmosStore(parts: CosmosStoreParts, log: Logger): Store & { close(): Promise<void> } {
  return {
    ...bound<BackupStore>(parts.backups, BACKUP_METHODS),
    ...bound<ComparisonStore>(parts.backups, COMPARISON_METHODS),
    ...bound<JobStore>(parts.jobs, JOB_METHODS),
    ...bound<RecoveryRequestStore>(parts.jobs, REQUEST_METHODS),
    ...bound<AuditStore>(parts.jobs, AUDIT_METHODS),
    close: async () => log.debug("cosmos store closed"),
  };
}
