import type { ChangeSummary } from "../model/change";
import type { Job, JobProgress, RecoveryCounts } from "../model/job";
import { StoreConflictError, StoreNotFoundError } from "../model/store-error";
import type { Clock, JobStore } from "../ports";
import type { JobResult, WorkingState } from "./job-handler";

/**
 * Writes one attempt's changes to its job, one at a time (each is a compare-and-set on the version this
 * attempt last wrote). Progress is kept in memory and saved with the next heartbeat, so a handler may report
 * it as often as it likes. A conflict means another process took the job over: `onLost` is called.
 */
export class JobUpdater {
  private current: Job;
  private chain: Promise<unknown> = Promise.resolve();
  private progressNow: JobProgress;
  private stateStartedAt: number;

  constructor(
    private readonly store: JobStore,
    job: Job,
    private readonly clock: Clock,
    private readonly onLost: () => void,
  ) {
    this.current = job;
    this.progressNow = job.progress;
    this.stateStartedAt = clock.now().getTime();
  }

  enter(state: WorkingState, total: number | null): Promise<Job> {
    return this.serial(() => {
      this.stateStartedAt = this.clock.now().getTime();
      this.progressNow = { done: 0, total, estimatedCompletionAt: null };
      return { ...this.current, state, progress: this.progressNow };
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

  patch(patch: { summary?: ChangeSummary; outcomes?: RecoveryCounts }): Promise<Job> {
    return this.serial(() => ({ ...this.current, ...patch, progress: this.progressNow }));
  }

  /** Renews the lease and saves progress; null when the job is no longer this process's to run. */
  async renew(owner: string, expiresAt: string): Promise<Job | null> {
    try {
      return await this.serial(() => ({ ...this.current, lease: { owner, expiresAt }, progress: this.progressNow }));
    } catch (err) {
      if (err instanceof StoreConflictError || err instanceof StoreNotFoundError) return null;
      throw err;
    }
  }

  /** When the lease this attempt last stored ends (ms since the epoch), or null when it holds none. */
  leaseExpiresAt(): number | null {
    const lease = this.current.lease;
    return lease ? Date.parse(lease.expiresAt) : null;
  }

  /** Records the end of the job and releases the lease. */
  finish(result: JobResult | { state: "canceled" }): Promise<Job> {
    return this.serial(() => {
      const { lease: _released, ...rest } = this.current;
      const r = result as Partial<JobResult>;
      const progress: JobProgress =
        result.state === "canceled" || result.state === "failed"
          ? { ...this.progressNow, estimatedCompletionAt: null }
          : { done: this.progressNow.total ?? this.progressNow.done, total: this.progressNow.total ?? this.progressNow.done, estimatedCompletionAt: null };
      return {
        ...rest,
        state: result.state,
        completedAt: this.clock.now().toISOString(),
        progress,
        ...(r.summary ? { summary: r.summary } : {}),
        ...(r.outcomes ? { outcomes: r.outcomes } : {}),
        ...(r.error ? { error: r.error } : {}),
      };
    });
  }

  private serial(next: () => Job): Promise<Job> {
    const run = this.chain.then(async () => {
      try {
        this.current = await this.store.updateJob(next());
        return this.current;
      } catch (err) {
        if (err instanceof StoreConflictError || err instanceof StoreNotFoundError) this.onLost();
        throw err;
      }
    });
    this.chain = run.catch(() => undefined);
    return run;
  }
}
