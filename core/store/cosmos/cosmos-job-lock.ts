import type { Container } from "@azure/cosmos";
import type { Logger } from "pino";
import { z } from "zod";
import { parseStored } from "../../../lib/stored-json";
import { isTerminal } from "../../model/job";
import { jobRules } from "../shared/job-rules";
import { hasStatus } from "../../../lib/cosmos-calls";
import { ACTIVE_JOB_LOCK_ID, CosmosJobDocSchema } from "./cosmos-job-documents";

/**
 * How long a lock naming a job that does not exist is still honoured by default: the process that took it is
 * between taking it and creating the job document. Past this, the process is taken to have died there, and the
 * lock is free. Measured on the server's `_ts` (seconds) against this process's clock, so it allows for skew.
 */
const MISSING_JOB_GRACE_SECONDS = 60;

/** Attempts at freeing a lock while others keep rewriting it (each attempt re-reads it). */
const RELEASE_ATTEMPTS = 5;

const LockDocSchema = z.object({
  id: z.literal(ACTIVE_JOB_LOCK_ID),
  pk: z.string(),
  docType: z.literal("lock"),
  /** The job holding the tenant, or null when free. */
  jobId: z.string().nullable(),
  _etag: z.string(),
  _ts: z.number().optional(),
});
type LockDoc = z.infer<typeof LockDocSchema>;

/**
 * The one-job-per-tenant lock across processes: a document per tenant in `jobs` (id "active-job",
 * pk = tenantId) naming the tenant's non-terminal job. It is taken with a create (409 when another process
 * created it first) or a replace with `IfMatch` on the etag just read (412 when another process changed it
 * first), before the job document is created, so of any number of concurrent starts exactly one gets past it.
 * A lock naming a terminal job, or (after a grace period) a job that does not exist, is free: a process died
 * between the steps of finishing, deleting or creating a job, and the lock heals itself on the next start.
 */
export class ActiveJobLock {
  constructor(
    private readonly jobs: Container,
    private readonly log: Logger,
    private readonly missingJobGraceSeconds = MISSING_JOB_GRACE_SECONDS,
  ) {}

  /**
   * Gives `tenantId`'s lock to `jobId`; `StoreConflictError` naming the holder when it is held, or when another
   * process changed it meanwhile. Returns the lock's new etag (for `releaseIf`).
   */
  async take(tenantId: string, jobId: string): Promise<string> {
    const lock = await this.read(tenantId);
    const body = { id: ACTIVE_JOB_LOCK_ID, pk: tenantId, docType: "lock", jobId };
    try {
      if (lock === null) {
        const { etag } = await this.jobs.items.create(body);
        return etag;
      }
      if (lock.jobId !== null && (await this.holds(tenantId, lock.jobId, lock._ts))) {
        throw jobRules.tenantBusy(lock.jobId);
      }
      if (lock.jobId !== null) this.log.warn({ tenantId, jobId: lock.jobId }, "active-job lock left by an ended or missing job taken over");
      const { etag } = await this.jobs.item(ACTIVE_JOB_LOCK_ID, tenantId).replace(body, { accessCondition: { type: "IfMatch", condition: lock._etag } });
      return etag;
    } catch (err) {
      if (hasStatus(err, 409) || hasStatus(err, 412)) throw jobRules.tenantBusy();
      throw err;
    }
  }

  /** Frees `tenantId`'s lock if it names `jobId` (a job that ended or was deleted); otherwise leaves it. */
  async release(tenantId: string, jobId: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const lock = await this.read(tenantId);
      if (lock === null || lock.jobId !== jobId) return;
      try {
        await this.jobs.item(ACTIVE_JOB_LOCK_ID, tenantId).replace({ id: ACTIVE_JOB_LOCK_ID, pk: tenantId, docType: "lock", jobId: null }, { accessCondition: { type: "IfMatch", condition: lock._etag } });
        return;
      } catch (err) {
        // Changed meanwhile: read again (it may name another job by now, then it is not ours to free).
        if (!hasStatus(err, 412) || attempt >= RELEASE_ATTEMPTS) throw err;
      }
    }
  }

  /** Frees the lock only if it is still exactly as this caller wrote it (`etag`): undoes a `take` whose job was not created. */
  async releaseIf(tenantId: string, etag: string): Promise<void> {
    try {
      await this.jobs.item(ACTIVE_JOB_LOCK_ID, tenantId).replace({ id: ACTIVE_JOB_LOCK_ID, pk: tenantId, docType: "lock", jobId: null }, { accessCondition: { type: "IfMatch", condition: etag } });
    } catch (err) {
      if (!hasStatus(err, 412) && !hasStatus(err, 404)) throw err;
    }
  }

  private async read(tenantId: string): Promise<LockDoc | null> {
    const { resource, statusCode } = await this.jobs.item(ACTIVE_JOB_LOCK_ID, tenantId).read();
    if (statusCode === 404 || resource === undefined) return null;
    return parseStored(LockDocSchema, resource, `active-job lock of tenant ${tenantId}`);
  }

  /** Whether the job a lock names still holds it: it exists and has not ended, or the lock is too new to judge. */
  private async holds(tenantId: string, jobId: string, takenAt: number | undefined): Promise<boolean> {
    const { resource, statusCode } = await this.jobs.item(jobId, tenantId).read();
    if (statusCode === 404 || resource === undefined) {
      const age = takenAt === undefined ? Infinity : Date.now() / 1000 - takenAt;
      return age < this.missingJobGraceSeconds;
    }
    return !isTerminal(parseStored(CosmosJobDocSchema, resource, `job ${jobId}`).state);
  }
}
