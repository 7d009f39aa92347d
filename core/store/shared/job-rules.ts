import { isTerminal, JOB_STATES, type Job, type JobState } from "../../model/job";
import { StoreConflictError, StoreNotFoundError } from "../../model/store-error";
import type { StoreOwnedJobFields } from "../documents/stored-documents";

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
  checkUpdate(stored: { readonly version: number; readonly state: JobState }, job: Job): void {
    if (stored.version !== job.version) throw new StoreConflictError(`Job ${job.id} changed since it was read (version ${stored.version}, not ${job.version}).`);
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

  /** A job as a document without the store-owned fields, and those fields. */
  split(job: Job): { doc: Omit<Job, StoreOwnedJobFields>; owned: StoreOwnedJob } {
    const { version, cancelRequested, cancelRequestedBy, ...doc } = job;
    return { doc, owned: { version, cancelRequested, ...(cancelRequestedBy !== undefined ? { cancelRequestedBy } : {}) } };
  },

  /** A stored job put back together; the key it was stored under decides whose job it is. */
  join(key: { readonly tenantId: string; readonly id: string }, doc: Omit<Job, StoreOwnedJobFields>, owned: StoreOwnedJob): Job {
    if (doc.id !== key.id || doc.tenantId !== key.tenantId) throw new Error(`Stored job ${key.id} holds the document of another job (${doc.id}).`);
    return { ...doc, cancelRequested: owned.cancelRequested, ...(owned.cancelRequestedBy !== undefined ? { cancelRequestedBy: owned.cancelRequestedBy } : {}), version: owned.version };
  },
} as const;
