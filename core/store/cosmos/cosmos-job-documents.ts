import { z } from "zod";
import { isTerminal, JOB_STATES } from "../../model/job";
import type { JobRecord } from "../../model/job-record";
import { StoredJobSchema, type StoredJob } from "../documents/stored-documents";
import { parseStored } from "../../../lib/stored-json";
import { jobRules, type StoreOwnedJob } from "../shared/job-rules";
import { timeKey } from "../../../lib/time-key";

/** Seconds in a day, for `ttl` values. */
export const DAY_SECONDS = 24 * 60 * 60;

/**
 * Retention the job store stamps on documents as Cosmos `ttl` (seconds). TTL is a safety net only: the engine's
 * retention sweep (`listJobsCompletedBefore` + `deleteJob`, `purgeAudit`) removes the same documents by explicit
 * queries first, and stays the rule wherever TTL is absent (the test emulator stores `ttl` but never expires).
 */
export interface CosmosRetention {
  /** Days a finished job (and its changes and outcomes) is kept after it finished; default 5 (JOB_RETENTION_DAYS). */
  readonly jobRetentionDays?: number;
  /** Days an audit entry is kept after it was written; default 365 (AUDIT_RETENTION_DAYS). */
  readonly auditRetentionDays?: number;
  /** Days TTL waits beyond the retention, so the explicit sweep always goes first; default 1. */
  readonly marginDays?: number;
  /**
   * Days a job is expected to run at most; default 1. A job's changes and outcomes carry `ttl` from their write
   * (the finished job's ttl plus this), so finishing a job rewrites none of them; a job that ran longer has its
   * items stamped again when it ends, so none expires before the job does.
   */
  readonly itemRunDays?: number;
}

/** Options of a `CosmosJobStore`. */
export interface CosmosJobStoreOptions extends CosmosRetention {
  /**
   * Seconds a tenant's lock naming a job that does not exist is still honoured (its taker is between taking it
   * and creating the job); past this the taker is taken to have died. Default 60.
   */
  readonly missingJobGraceSeconds?: number;
}

/** `ttl` values (seconds) from a retention. */
export function ttlSeconds(retention: CosmosRetention = {}): { finishedJob: number; jobItem: number; itemRun: number; auditEntry: number } {
  const margin = retention.marginDays ?? 1;
  const finishedJob = Math.round(((retention.jobRetentionDays ?? 5) + margin) * DAY_SECONDS);
  const itemRun = Math.round((retention.itemRunDays ?? 1) * DAY_SECONDS);
  return {
    finishedJob,
    jobItem: finishedJob + itemRun,
    itemRun,
    auditEntry: Math.round(((retention.auditRetentionDays ?? 365) + margin) * DAY_SECONDS),
  };
}

/** The id of a tenant's one-active-job lock document in `jobs` (job documents use the job id). */
export const ACTIVE_JOB_LOCK_ID = "active-job";

/**
 * A job document in `jobs` (pk = tenantId, id = job id). The job itself (without the store-owned fields, with
 * its run's attempts, resume point and lease) sits under `job`, apart from Cosmos' own fields, and is parsed by
 * kind; `version` and the cancel flag are store-owned and live beside it,
 * as do the normalized times and the fields queries filter on. `ttl` is set once the job has finished.
 */
export const CosmosJobDocSchema = z.object({
  id: z.string(),
  pk: z.string(),
  docType: z.literal("job"),
  state: z.enum(JOB_STATES),
  kind: z.string(),
  backupId: z.string(),
  /** `createdAt` normalized (`toISOString`), so text order is time order. */
  createdKey: z.string(),
  /** `completedAt` normalized; absent while the job has none. */
  completedKey: z.string().optional(),
  version: z.number().int(),
  cancelRequested: z.boolean(),
  cancelRequestedBy: z.string().optional(),
  job: StoredJobSchema,
  ttl: z.number().int().optional(),
  _etag: z.string(),
});
export type CosmosJobDoc = z.infer<typeof CosmosJobDocSchema>;

/** What is written for a job (Cosmos adds `_etag` and its other system fields). */
export type CosmosJobDocInput = Omit<CosmosJobDoc, "_etag" | "job"> & { readonly job: StoredJob };

/**
 * The document for a job record with the given store-owned fields. `ttl` is set when the job is terminal
 * (Cosmos counts it from this write, which is the one that finished the job).
 */
export function toJobDoc(record: JobRecord, owned: StoreOwnedJob, finishedTtl: number): CosmosJobDocInput {
  const { job } = record;
  const { doc: stored } = jobRules.split(record);
  return {
    id: job.id,
    pk: job.tenantId,
    docType: "job",
    state: job.state,
    kind: job.kind,
    backupId: job.backupId,
    createdKey: timeKey(job.createdAt, "createdAt"),
    ...(job.completedAt !== undefined ? { completedKey: timeKey(job.completedAt, "completedAt") } : {}),
    version: owned.version,
    cancelRequested: owned.cancelRequested,
    ...(owned.cancelRequestedBy !== undefined ? { cancelRequestedBy: owned.cancelRequestedBy } : {}),
    job: stored,
    ...(isTerminal(job.state) ? { ttl: finishedTtl } : {}),
  };
}

/** The job record a document holds, with its store-owned fields laid over it. */
export function fromJobDoc(raw: unknown): { record: JobRecord; doc: CosmosJobDoc } {
  const doc = parseStored(CosmosJobDocSchema, raw, "job");
  return { record: jobRules.join({ tenantId: doc.pk, id: doc.id }, doc.job, doc), doc };
}

/** Newest first, by `createdAt` (as an instant), then id. */
export function newestFirst(a: CosmosJobDoc, b: CosmosJobDoc): number {
  if (a.createdKey !== b.createdKey) return a.createdKey < b.createdKey ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
