import type { Container } from "@azure/cosmos";
import type { Logger } from "pino";
import type { AuditEntry } from "../../model/audit";
import type { Change, StepOutcome } from "../../model/change";
import { isTerminal, type ChangeQuery, type Job, type JobFilter } from "../../model/job";
import type { JobRecord } from "../../model/job-record";
import type { RecoveryRequest } from "../../model/recovery-request";
import type { AuditStore, JobStore, RecoveryRequestStore } from "../../ports";
import { timeKey } from "../../../lib/time-key";
import { checkLimit } from "../shared/arguments";
import { changePage, nthChange } from "../shared/change-query";
import { ACTIVE_JOB_STATES, jobRules, TERMINAL_JOB_STATES } from "../shared/job-rules";
import { CosmosAuditTrail } from "./cosmos-audit-trail";
import { ChangeItems } from "./cosmos-change-items";
import { hasStatus } from "../../../lib/cosmos-calls";
import type { CosmosContainers } from "./cosmos-containers";
import { queryPartition } from "../../../lib/cosmos-calls";
import { ACTIVE_JOB_LOCK_ID, fromJobDoc, newestFirst, toJobDoc, ttlSeconds, type CosmosJobDoc, type CosmosJobStoreOptions } from "./cosmos-job-documents";
import { jobItemsPk, JobItems } from "./cosmos-job-items";
import { ActiveJobLock } from "./cosmos-job-lock";
import { OutcomeItems } from "./cosmos-outcome-items";
import { CosmosRequests } from "./cosmos-request-store";

/** Attempts at a job write that loses its etag to a write that left the version alone (a cancel request). */
const ETAG_ATTEMPTS = 5;

/**
 * Jobs with their changes and outcomes, recovery requests and the audit trail on Azure Cosmos DB (containers
 * `jobs`, `jobItems`, `requests`, `audit`; see cosmos-containers.ts).
 *
 * - One non-terminal job per tenant across processes: `ActiveJobLock`, a per-tenant lock document taken with
 *   etag concurrency before the job document is created, and freed by the update that finishes the job.
 * - `updateJob` is compare-and-set on the job's `version`, enforced by `IfMatch` on the etag read in the same
 *   call (412 → `StoreConflictError`); `requestCancel` sets its flag the same way without a version bump.
 * - Changes and outcomes are upserted with bulk operations; every failed operation fails the call.
 * - 429 (throttling) is retried by the SDK as the client's `connectionPolicy.retryOptions` say (by default 9
 *   attempts within 30 s, honouring `x-ms-retry-after-ms`), for point operations, queries and each bulk
 *   operation; what is still throttled after that fails the call, never drops a write.
 * - TTL: finished jobs and their items, and audit entries, carry `ttl` (retention + a margin); the explicit
 *   sweeps (`listJobsCompletedBefore` + `deleteJob`, `purgeAudit`) remain the rule, by queries.
 */
export class CosmosJobStore implements JobStore, RecoveryRequestStore, AuditStore {
  private readonly jobs: Container;
  private readonly lock: ActiveJobLock;
  private readonly items: JobItems;
  private readonly changes: ChangeItems;
  private readonly outcomes: OutcomeItems;
  private readonly requests: CosmosRequests;
  private readonly auditTrail: CosmosAuditTrail;
  private readonly finishedTtl: number;
  /** `ttl` of items written while their job runs, and the run time it allows for (seconds). */
  private readonly itemTtlRunning: number;
  private readonly itemRunSeconds: number;

  constructor(
    containers: CosmosContainers,
    private readonly log: Logger,
    options: CosmosJobStoreOptions = {},
  ) {
    const ttl = ttlSeconds(options);
    this.finishedTtl = ttl.finishedJob;
    this.itemTtlRunning = ttl.jobItem;
    this.itemRunSeconds = ttl.itemRun;
    this.jobs = containers.jobs;
    this.lock = new ActiveJobLock(containers.jobs, log, options.missingJobGraceSeconds);
    this.items = new JobItems(containers.jobItems);
    this.changes = new ChangeItems(containers.jobItems);
    this.outcomes = new OutcomeItems(containers.jobItems);
    this.requests = new CosmosRequests(containers.requests);
    this.auditTrail = new CosmosAuditTrail(containers.audit, ttl.auditEntry);
  }

  /** Takes the tenant's lock (non-terminal jobs), then creates the job document; a failed create gives the lock back. */
  async createJob(job: Job): Promise<JobRecord> {
    if (job.id === ACTIVE_JOB_LOCK_ID) throw new RangeError(`"${ACTIVE_JOB_LOCK_ID}" is reserved and cannot be a job id.`);
    const record = jobRules.created(job);
    const doc = toJobDoc(record, jobRules.split(record).owned, this.finishedTtl);
    if ((await this.readJob(job.tenantId, job.id)) !== null) throw jobRules.taken(job.id);
    const lockEtag = isTerminal(job.state) ? undefined : await this.lock.take(job.tenantId, job.id);
    try {
      await this.jobs.items.create(doc);
    } catch (err) {
      if (lockEtag !== undefined) await this.lock.releaseIf(job.tenantId, lockEtag);
      if (hasStatus(err, 409)) throw jobRules.taken(job.id);
      throw err;
    }
    this.log.debug({ tenantId: job.tenantId, jobId: job.id, kind: job.kind }, "job created");
    return record;
  }

  async getJob(tenantId: string, jobId: string): Promise<JobRecord | null> {
    return (await this.readJob(tenantId, jobId))?.record ?? null;
  }

  async listJobs(tenantId: string, filter?: JobFilter): Promise<Job[]> {
    const parameters = [{ name: "@pk", value: tenantId }];
    let where = 'c.pk = @pk AND c.docType = "job"';
    if (filter?.backupId !== undefined) {
      where += " AND c.backupId = @backupId";
      parameters.push({ name: "@backupId", value: filter.backupId });
    }
    if (filter?.kind !== undefined) {
      where += " AND c.kind = @kind";
      parameters.push({ name: "@kind", value: filter.kind });
    }
    // Sorted here: two ORDER BY fields would need a composite index, and a tenant has few jobs (retention).
    const found = (await queryPartition<unknown>(this.jobs, tenantId, { query: `SELECT * FROM c WHERE ${where}`, parameters })).map(fromJobDoc);
    return found.sort((a, b) => newestFirst(a.doc, b.doc)).map((f) => f.record.job);
  }

  /** The tenant's unfinished jobs, oldest first: a query within its partition. */
  async listActiveJobs(tenantId: string): Promise<JobRecord[]> {
    const found = (
      await queryPartition<unknown>(this.jobs, tenantId, {
        query: 'SELECT * FROM c WHERE c.pk = @pk AND c.docType = "job" AND ARRAY_CONTAINS(@active, c.state)',
        parameters: [
          { name: "@pk", value: tenantId },
          { name: "@active", value: ACTIVE_JOB_STATES },
        ],
      })
    ).map(fromJobDoc);
    return found.sort((a, b) => -newestFirst(a.doc, b.doc)).map((f) => f.record);
  }

  async updateJob(record: JobRecord): Promise<JobRecord> {
    const { job } = record;
    for (let attempt = 1; ; attempt++) {
      const found = await this.readJob(job.tenantId, job.id);
      if (found === null) throw jobRules.missing(job.id);
      const stored = found.doc;
      jobRules.checkUpdate(stored, record);
      const next = toJobDoc(
        record,
        { version: stored.version + 1, cancelRequested: stored.cancelRequested, ...(stored.cancelRequestedBy !== undefined ? { cancelRequestedBy: stored.cancelRequestedBy } : {}) },
        this.finishedTtl,
      );
      let written: unknown;
      try {
        written = (await this.jobs.item(job.id, job.tenantId).replace(next, { accessCondition: { type: "IfMatch", condition: stored._etag } })).resource;
      } catch (err) {
        // Another write came between the read and this one: if it bumped the version, the re-read refuses.
        if (hasStatus(err, 412) && attempt < ETAG_ATTEMPTS) continue;
        if (hasStatus(err, 412)) throw jobRules.lostRace(job.id);
        if (hasStatus(err, 404)) throw jobRules.missing(job.id);
        throw err;
      }
      if (isTerminal(job.state)) await this.afterFinish(job);
      return fromJobDoc(written).record;
    }
  }

  async requestCancel(tenantId: string, jobId: string, by: string): Promise<JobRecord | null> {
    for (let attempt = 1; ; attempt++) {
      const found = await this.readJob(tenantId, jobId);
      if (found === null) return null;
      if (!jobRules.cancelTakesEffect(found.doc)) return found.record;
      const { _etag, ...rest } = found.doc;
      try {
        const { resource } = await this.jobs
          .item(jobId, tenantId)
          .replace({ ...rest, cancelRequested: true, cancelRequestedBy: by }, { accessCondition: { type: "IfMatch", condition: _etag } });
        return fromJobDoc(resource).record;
      } catch (err) {
        if (hasStatus(err, 412) && attempt < ETAG_ATTEMPTS) continue;
        if (hasStatus(err, 404)) return null;
        throw err;
      }
    }
  }

  /**
   * Removes the job's items, then the job, then sweeps its items again (a `putChanges` that read the job before
   * it went may have written meanwhile), then frees the tenant if the job held it.
   */
  async deleteJob(tenantId: string, jobId: string): Promise<void> {
    if ((await this.readJob(tenantId, jobId)) === null) return;
    const pk = jobItemsPk(tenantId, jobId);
    await this.items.removeAll(pk);
    try {
      await this.jobs.item(jobId, tenantId).delete();
    } catch (err) {
      if (!hasStatus(err, 404)) throw err;
    }
    await this.items.removeAll(pk);
    await this.lock.release(tenantId, jobId);
    this.log.debug({ tenantId, jobId }, "job deleted");
  }

  /** The retention sweep, within the tenant's partition; real Cosmos' TTL backs it up (the emulator never expires). */
  async listJobsCompletedBefore(tenantId: string, before: string): Promise<Array<{ tenantId: string; id: string }>> {
    const rows = await queryPartition<{ pk: string; id: string; completedKey: string }>(this.jobs, tenantId, {
      query: 'SELECT c.pk, c.id, c.completedKey FROM c WHERE c.pk = @pk AND c.docType = "job" AND ARRAY_CONTAINS(@terminal, c.state) AND c.completedKey < @before',
      parameters: [
        { name: "@pk", value: tenantId },
        { name: "@terminal", value: TERMINAL_JOB_STATES },
        { name: "@before", value: timeKey(before, "before") },
      ],
    });
    return rows.sort((a, b) => (a.completedKey < b.completedKey ? -1 : a.completedKey > b.completedKey ? 1 : 0)).map((r) => ({ tenantId: r.pk, id: r.id }));
  }

  async putChanges(tenantId: string, jobId: string, changes: readonly Change[]): Promise<void> {
    const job = await this.requireJob(tenantId, jobId);
    if (changes.length > 0) await this.changes.put(jobItemsPk(tenantId, jobId), changes, this.itemTtl(job));
  }

  /** An empty `types` or `actions` list filters nothing, like an absent one. Nothing for an unknown job (no items). */
  async readChanges(tenantId: string, jobId: string, query: ChangeQuery): Promise<Change[]> {
    return this.changes.read(jobItemsPk(tenantId, jobId), changePage(query));
  }

  async nthChangeSeq(tenantId: string, jobId: string, query: Omit<ChangeQuery, "limit">, count: number): Promise<number | null> {
    return this.changes.nthSeq(jobItemsPk(tenantId, jobId), nthChange(query, count));
  }

  async getChanges(tenantId: string, jobId: string, seqs: readonly number[]): Promise<Change[]> {
    if (seqs.length === 0) return [];
    return this.changes.getMany(jobItemsPk(tenantId, jobId), seqs);
  }

  async clearChanges(tenantId: string, jobId: string): Promise<void> {
    await this.items.removeAll(jobItemsPk(tenantId, jobId));
  }

  async putOutcomes(tenantId: string, jobId: string, outcomes: readonly StepOutcome[]): Promise<void> {
    const job = await this.requireJob(tenantId, jobId);
    if (outcomes.length > 0) await this.outcomes.put(jobItemsPk(tenantId, jobId), outcomes, this.itemTtl(job));
  }

  async readOutcomes(tenantId: string, jobId: string, fromSeq: number, toSeq: number): Promise<StepOutcome[]> {
    return this.outcomes.read(jobItemsPk(tenantId, jobId), fromSeq, toSeq);
  }

  async failedSeqs(tenantId: string, jobId: string, afterSeq: number, limit: number): Promise<number[]> {
    checkLimit(limit);
    return this.outcomes.failedSeqs(jobItemsPk(tenantId, jobId), afterSeq, limit);
  }

  async createRecoveryRequest(request: RecoveryRequest): Promise<void> {
    await this.requests.create(request);
  }

  async getRecoveryRequest(tenantId: string, requestId: string): Promise<RecoveryRequest | null> {
    return this.requests.get(tenantId, requestId);
  }

  async listRecoveryRequests(tenantId: string, options?: { pendingOnly?: boolean }): Promise<RecoveryRequest[]> {
    return this.requests.list(tenantId, options?.pendingOnly === true);
  }

  async updateRecoveryRequest(request: RecoveryRequest): Promise<RecoveryRequest> {
    return this.requests.update(request);
  }

  async appendAudit(entries: readonly AuditEntry[]): Promise<void> {
    await this.auditTrail.append(entries);
  }

  async listAudit(tenantId: string, options: { since?: string; limit: number }): Promise<AuditEntry[]> {
    checkLimit(options.limit);
    return this.auditTrail.list(tenantId, options.since, options.limit);
  }

  async purgeAudit(tenantId: string, before: string): Promise<number> {
    const removed = await this.auditTrail.purge(tenantId, before);
    if (removed > 0) this.log.info({ tenantId, before, removed }, "audit entries purged");
    return removed;
  }

  /**
   * What follows the write that finished a job: the tenant's lock is freed, and, if the job ran longer than its
   * items' `ttl` allows for, its items are stamped again. Both are repairs a failure here leaves safe (a lock
   * naming an ended job is free; the retention sweep removes the items), so they are logged, not thrown: the
   * job did finish.
   */
  private async afterFinish(job: Job): Promise<void> {
    try {
      await this.lock.release(job.tenantId, job.id);
    } catch (err) {
      this.log.warn({ tenantId: job.tenantId, jobId: job.id, err }, "active-job lock not freed; the next start takes it over");
    }
    // A finished job without an end time is taken to have run long: its items are stamped again.
    const ranMs = job.completedAt === undefined ? Infinity : Date.parse(job.completedAt) - Date.parse(job.createdAt);
    if (!(ranMs < this.itemRunSeconds * 1000)) await this.restampItems(job);
  }

  private async restampItems(job: Job): Promise<void> {
    try {
      await this.items.expireAll(jobItemsPk(job.tenantId, job.id), this.finishedTtl);
    } catch (err) {
      this.log.warn({ tenantId: job.tenantId, jobId: job.id, err }, "ttl not set on the finished job's items; the retention sweep removes them");
    }
  }

  /** `ttl` for items written to `job`: the finished job's once it has ended, else that plus the run allowance. */
  private itemTtl(job: Job): number {
    return isTerminal(job.state) ? this.finishedTtl : this.itemTtlRunning;
  }

  private async readJob(tenantId: string, jobId: string): Promise<{ record: JobRecord; doc: CosmosJobDoc } | null> {
    if (jobId === ACTIVE_JOB_LOCK_ID) return null;
    const { resource, statusCode } = await this.jobs.item(jobId, tenantId).read();
    return statusCode === 404 || resource === undefined ? null : fromJobDoc(resource);
  }

  private async requireJob(tenantId: string, jobId: string): Promise<Job> {
    const found = await this.readJob(tenantId, jobId);
    if (found === null) throw jobRules.missing(jobId);
    return found.record.job;
  }
}
