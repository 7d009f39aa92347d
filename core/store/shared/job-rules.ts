import { isTerminal, JOB_STATES, type Job, type JobState } from "../../model/job";
import { NEW_JOB_RUN, type JobRecord } from "../../model/job-record";
import { StoreConflictError, StoreNotFoundError } from "../../model/store-error";
import type { StoredJob } from "../documents/stored-documents";

/** Job states that hold the tenant's one job slot. */
export const ACTIVE_JOB_STATES: readonly JobState[] = JOB_STATES.filter((s) => !isTerminal(s));
/** Job states that free it (a job in one of them never changes again). */
export const TERMINAL_JOB_STATES: readonly JobState[] = JOB_STATES.filter((s) => isTerminal(s));

/** The fields of a job the store keeps beside its document. */
export interface StoreOwnedJob {
  readonly version: number;
  readonly cancelRequested: boolean;
  readonly cancelRequestedBy?: string | undefined;
}

/**
 * The job rules every store applies, with one message each: the one-job-per-tenant conflict, the
 * compare-and-set of `updateJob`, the cancel request, and how a job splits into its document and the fields the
 * store owns (and is put back together, refusing a document that names another job).
 */
export const jobRules = {
  /** The record `createJob` stores for a new job: a fresh run. */
  created(job: Job): JobRecord {
    return { job, run: NEW_JOB_RUN };
  },

  /** `createJob` with an id the tenant already has. */
  taken(jobId: string): StoreConflictError {
    return new StoreConflictError(`Job ${jobId} already exists.`);
  },

  /** A write to a job the tenant does not have. */
  missing(jobId: string): StoreNotFoundError {
    return new StoreNotFoundError(`No job ${jobId}.`);
  },

  /** The tenant's job slot is held (by `holder` when known). */
  tenantBusy(holder?: string): StoreConflictError {
    return new StoreConflictError(holder === undefined ? "Another job of the tenant started at the same time." : `The tenant already has a job in progress (${holder}).`);
  },

  /** `updateJob`'s compare-and-set: the stored version must be the caller's, and an ended job never changes. */
  checkUpdate(stored: { readonly version: number; readonly state: JobState }, record: JobRecord): void {
    const { job, run } = record;
    if (stored.version !== run.version) throw new StoreConflictError(`Job ${job.id} changed since it was read (version ${stored.version}, not ${run.version}).`);
    if (isTerminal(stored.state)) throw new StoreConflictError(`Job ${job.id} has ended (${stored.state}); it does not change any more.`);
  },

  /** The write of a checked update lost a race after all. */
  lostRace(jobId: string): StoreConflictError {
    return new StoreConflictError(`Job ${jobId} changed since it was read.`);
  },

  /** `requestCancel` sets the flag only on a running job not yet asked to stop (the first requester is kept). */
  cancelTakesEffect(stored: { readonly state: JobState; readonly cancelRequested: boolean }): boolean {
    return !isTerminal(stored.state) && !stored.cancelRequested;
  },

  /**
   * A job record as its document (the job without the store-owned fields, with the run beside them: the shape
   * documents have always had) and the fields the store owns (the version and the cancel request).
   */
  split(record: JobRecord): { doc: StoredJob; owned: StoreOwnedJob } {
    const { cancelRequested, cancelRequestedBy, ...job } = record.job;
    const { version, ...run } = record.run;
    return { doc: { ...job, ...run }, owned: { version, cancelRequested, ...(cancelRequestedBy !== undefined ? { cancelRequestedBy } : {}) } };
  },

  /**
   * A stored job put back together into its record; the key it was stored under decides whose job it is. The
   * document was parsed by kind (`StoredJobSchema`), so a recovery without its report never gets this far.
   */
  join(key: { readonly tenantId: string; readonly id: string }, doc: StoredJob, owned: StoreOwnedJob): JobRecord {
    if (doc.id !== key.id || doc.tenantId !== key.tenantId) throw new Error(`Stored job ${key.id} holds the document of another job (${doc.id}).`);
    const { attempts, resume, lease, ...fields } = doc;
    const cancel = { cancelRequested: owned.cancelRequested, ...(owned.cancelRequestedBy !== undefined ? { cancelRequestedBy: owned.cancelRequestedBy } : {}) };
    return {
      job: { ...fields, ...cancel },
      run: { attempts, ...(resume !== undefined ? { resume } : {}), ...(lease !== undefined ? { lease } : {}), version: owned.version },
    };
  },
} as const;
