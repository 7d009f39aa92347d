import type { ChangeSummary } from "../model/change";
import type { Job, JobProgress, RecoveryCounts } from "../model/job";
import type { JobRecord, JobRun } from "../model/job-record";
import { StoreConflictError, StoreNotFoundError } from "../model/store-error";
import type { Clock, JobStore } from "../ports";
import type { JobResult, WorkingState } from "./job-handler";

/**
 * Writes one attempt's changes to its job record, one at a time (each is a compare-and-set on the version this
 * attempt last wrote). Progress is kept in memory and saved with the next heartbeat, so a handler may report
 * it as often as it likes. A conflict means another process took the job over: `onLost` is called.
 */
export class JobUpdater {
  private current: JobRecord;
  private chain: Promise<unknown> = Promise.resolve();
  private progressNow: JobProgress;
  private stateStartedAt: number;

  constructor(
    private readonly store: JobStore,
    claimed: JobRecord,
    private readonly clock: Clock,
    private readonly onLost: () => void,
  ) {
    this.current = claimed;
    this.progressNow = claimed.job.progress;
    this.stateStartedAt = clock.now().getTime();
  }

  enter(state: WorkingState, total: number | null): Promise<JobRecord> {
    return this.serial((job) => {
      this.stateStartedAt = this.clock.now().getTime();
      this.progressNow = { done: 0, total, estimatedCompletionAt: null };
      return { ...job, state, progress: this.progressNow };
    });
  }

  /** Notes progress in memory, with a linear estimate of when the current state ends. */
  progress(done: number, total?: number | null): void {
    const t = total === undefined ? this.progressNow.total : total;
    const now = this.clock.now().getTime();
    const elapsed = Math.max(1, now - this.stateStartedAt); // work reported within the same millisecond
    let eta: string | null = null;
    if (t !== null && done > 0) eta = new Date(now + Math.max(0, t - done) * (elapsed / done)).toISOString();
    this.progressNow = { done, total: t, estimatedCompletionAt: eta };
  }

  /** Persists a summary (any job) or outcome counts (a recovery's only). */
  patch(patch: { summary?: ChangeSummary; outcomes?: RecoveryCounts }): Promise<JobRecord> {
    return this.serial((job) => withResults({ ...job, progress: this.progressNow }, patch));
  }

  /** Renews the lease and saves progress; null when the job is no longer this process's to run. */
  async renew(owner: string, expiresAt: string): Promise<JobRecord | null> {
    try {
      return await this.serial((job) => ({ ...job, progress: this.progressNow }), { lease: { owner, expiresAt } });
    } catch (err) {
      if (err instanceof StoreConflictError || err instanceof StoreNotFoundError) return null;
      throw err;
    }
  }

  /** When the lease this attempt last stored ends (ms since the epoch), or null when it holds none. */
  leaseExpiresAt(): number | null {
    const lease = this.current.run.lease;
    return lease ? Date.parse(lease.expiresAt) : null;
  }

  /** Records the end of the job and releases the lease. */
  finish(result: JobResult | { state: "canceled" }): Promise<JobRecord> {
    return this.serial(
      (job) => {
        const r = result as Partial<JobResult>;
        const progress: JobProgress =
          result.state === "canceled" || result.state === "failed"
            ? { ...this.progressNow, estimatedCompletionAt: null }
            : { done: this.progressNow.total ?? this.progressNow.done, total: this.progressNow.total ?? this.progressNow.done, estimatedCompletionAt: null };
        const ended = { ...job, state: result.state, completedAt: this.clock.now().toISOString(), progress, ...(r.error ? { error: r.error } : {}) };
        return withResults(ended, { ...(r.summary ? { summary: r.summary } : {}), ...(r.outcomes ? { outcomes: r.outcomes } : {}) });
      },
      { lease: undefined },
    );
  }

  /**
   * Writes the next version of the job (from the one last written) and, when given, of the run: `lease`
   * undefined drops the lease.
   */
  private serial(next: (job: Job) => Job, run: { lease: JobRun["lease"] } | null = null): Promise<JobRecord> {
    const write = this.chain.then(async () => {
      try {
        const { lease: held, ...kept } = this.current.run;
        const lease = run === null ? held : run.lease;
        this.current = await this.store.updateJob({ job: next(this.current.job), run: { ...kept, ...(lease !== undefined ? { lease } : {}) } });
        return this.current;
      } catch (err) {
        if (err instanceof StoreConflictError || err instanceof StoreNotFoundError) this.onLost();
        throw err;
      }
    });
    this.chain = write.catch(() => undefined);
    return write;
  }
}

/** A job with a summary and, on a recovery, outcome counts laid over it (a report has no outcomes to record). */
function withResults(job: Job, results: { summary?: ChangeSummary; outcomes?: RecoveryCounts }): Job {
  const { summary, outcomes } = results;
  const withSummary = summary ? { ...job, summary } : job;
  if (outcomes === undefined) return withSummary;
  if (withSummary.kind !== "recovery") throw new Error(`Job ${job.id} is a difference report; it has no recovery outcomes.`);
  return { ...withSummary, outcomes };
}
