import { randomUUID } from "node:crypto";
import { isTerminal, type Job } from "../model/job";
import type { JobRecord } from "../model/job-record";
import { StoreConflictError } from "../model/store-error";
import { isTransientFailure, jobFailureText } from "./failure-text";
import type { EngineDeps, JobAttempt, JobHandlers, JobResult, WorkingState } from "./job-handler";
import { JobUpdater } from "./job-updater";

/** Lease and timing settings. */
export interface JobRunnerOptions {
  /** Identifies this process in leases; default a random id. */
  readonly owner?: string;
  /** How long a lease holds without renewal; another process may take the job after. Default 60 s. */
  readonly leaseMs?: number;
  /**
   * How long before its lease ends an attempt stops writing (`JobAttempt.assertLease`): room for clock skew
   * between processes and for the writes of one group. Default a quarter of the lease; it must leave more
   * than a heartbeat of lease.
   */
  readonly leaseMarginMs?: number;
  /** How often the lease is renewed, cancel looked for and progress saved. Default 5 s. */
  readonly heartbeatMs?: number;
  /** How often unclaimed or abandoned jobs are looked for. Default 30 s. */
  readonly pollMs?: number;
  /**
   * Attempts in a row without progress before a job that keeps dying with its process (or on Graph outages)
   * is closed as failed; an attempt that moved the job on starts the count again. Default 3.
   */
  readonly maxAttempts?: number;
  /** Wait before another attempt after a transient Graph failure. Default 60 s. */
  readonly retryAfterMs?: number;
}

/** Told when a job of this runner ends (alerts in Teams). */
export interface JobEvents {
  onFinished?(job: Job): void;
}

/** Why a running attempt was aborted. */
const CANCELED = "canceled";
const LEASE_LOST = "leaseLost";
const SHUTDOWN = "shutdown";

/**
 * Runs one tenant's jobs: claims one with a lease (compare-and-set, so of several processes exactly one runs
 * it), hands it to the handler of its kind, renews the lease on a heartbeat that also watches for cancel and
 * saves progress, and records how it ended. A job whose process died (lease lapsed) is claimed again and
 * resumed by its handler; after `maxAttempts` it is closed as failed. The one-job-per-tenant rule is the
 * Store's, applied when a job is created. Only the configured tenant's jobs are looked for or claimed: this
 * process holds that tenant's Graph credentials, and another tenant's job run with them would read and write
 * the wrong directory.
 */
export class JobRunner {
  private readonly owner: string;
  private readonly leaseMs: number;
  private readonly leaseMarginMs: number;
  private readonly heartbeatMs: number;
  private readonly pollMs: number;
  private readonly maxAttempts: number;
  private readonly retryAfterMs: number;
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private stopPolling: (() => void) | undefined;
  private stopped = true;

  constructor(
    private readonly deps: EngineDeps,
    /** The tenant whose jobs this runner runs (the deployment's TENANT_ID). */
    private readonly tenantId: string,
    private readonly handlers: JobHandlers,
    options: JobRunnerOptions = {},
    private readonly events: JobEvents = {},
  ) {
    this.owner = options.owner ?? randomUUID();
    this.leaseMs = options.leaseMs ?? 60_000;
    this.leaseMarginMs = options.leaseMarginMs ?? Math.floor(this.leaseMs / 4);
    this.heartbeatMs = options.heartbeatMs ?? 5_000;
    this.pollMs = options.pollMs ?? 30_000;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.retryAfterMs = options.retryAfterMs ?? 60_000;
    if (!(this.heartbeatMs < this.leaseMs - this.leaseMarginMs)) throw new RangeError("The heartbeat must be shorter than the lease less its margin.");
    if (tenantId.length === 0) throw new RangeError("A job runner needs its tenant id.");
  }

  /** Takes up jobs left unclaimed or abandoned by a dead process now, then every `pollMs`. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.poll();
  }

  /**
   * Stops taking jobs and aborts the attempts under way at their next safe point without closing their jobs
   * (a recovery finishes and records the group of writes under way), then releases their leases, so another
   * process resumes them at once rather than after the lease time.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopPolling?.();
    for (const r of this.running.values()) r.abort.abort(SHUTDOWN);
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** Starts a job just created or asked to cancel (without waiting for the next poll); another tenant's job is refused. */
  submit(record: JobRecord): void {
    if (this.stopped) return; // the next process to start picks it up
    void this.tryRun(record);
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    try {
      const now = this.deps.clock.now().getTime();
      for (const record of await this.deps.store.listActiveJobs(this.tenantId)) {
        const { lease } = record.run;
        if (!this.running.has(record.job.id) && (!lease || Date.parse(lease.expiresAt) <= now)) void this.tryRun(record);
      }
    } catch (err) {
      this.deps.log.error({ err }, "could not look for jobs to run");
    }
    if (!this.stopped) this.stopPolling = this.deps.clock.setTimer(this.pollMs, () => void this.poll());
  }

  private async tryRun(record: JobRecord): Promise<void> {
    const { job } = record;
    if (job.tenantId !== this.tenantId) {
      this.deps.log.error({ jobId: job.id, jobTenantId: job.tenantId, tenantId: this.tenantId }, "refused to run another tenant's job");
      return;
    }
    if (this.running.has(job.id)) return;
    const abort = new AbortController();
    let finish!: () => void;
    const done = new Promise<void>((r) => (finish = r));
    this.running.set(job.id, { abort, done });
    try {
      const claimed = await this.claim(record);
      if (claimed) await this.execute(claimed, abort);
    } catch (err) {
      this.deps.log.error({ err, jobId: job.id }, "job attempt ended with an error");
    } finally {
      this.running.delete(job.id);
      finish();
    }
  }

  /** Takes the lease if the job is free; null when another process holds it or it has ended. */
  private async claim(record: JobRecord): Promise<JobRecord | null> {
    const { job, run } = record;
    const now = this.deps.clock.now();
    if (isTerminal(job.state) || (run.lease && Date.parse(run.lease.expiresAt) > now.getTime() && run.lease.owner !== this.owner)) return null;
    // The previous attempt made progress when the job no longer stands where that attempt found it.
    const stalled = run.resume !== undefined && run.resume.state === job.state && run.resume.done === job.progress.done;
    const resume = { state: job.state, done: job.progress.done, stalls: stalled && run.resume ? run.resume.stalls + 1 : 0 };
    try {
      return await this.deps.store.updateJob({
        job: { ...job, startedAt: job.startedAt ?? now.toISOString() },
        run: {
          ...run,
          attempts: run.attempts + 1,
          resume,
          lease: { owner: this.owner, expiresAt: new Date(now.getTime() + this.leaseMs).toISOString() },
        },
      });
    } catch (err) {
      if (err instanceof StoreConflictError) return null; // someone else claimed or changed it first
      throw err;
    }
  }

  private async execute(record: JobRecord, abort: AbortController): Promise<void> {
    const { deps } = this;
    const { job: claimed, run } = record;
    const log = deps.log.child({ jobId: claimed.id, tenantId: claimed.tenantId, kind: claimed.kind, attempt: run.attempts });
    const updater = new JobUpdater(deps.store, record, deps.clock, () => abort.abort(LEASE_LOST));
    if (abort.signal.aborted) return this.release(updater, log); // stopped while claiming
    if (claimed.cancelRequested) return this.finish(updater, log, { state: "canceled" });
    const stalls = run.resume?.stalls ?? 0;
    if (stalls >= this.maxAttempts) {
      return this.finish(updater, log, {
        state: "failed",
        error: `The job stopped ${stalls} times in a row without making progress (its process ended, or Microsoft Graph was unavailable, each time).`,
      });
    }
    const resumed = run.attempts > 1;
    log.info({ resumed }, "job attempt started");
    const heartbeat = this.heartbeat(updater, abort, log);
    let result: JobResult | { state: "canceled" } | null;
    try {
      const attempt: Omit<JobAttempt, "job"> = {
        resumed,
        deps,
        log,
        signal: abort.signal,
        enter: (state: WorkingState, total: number | null) => updater.enter(state, total).then(() => undefined),
        progress: (done: number, total?: number | null) => updater.progress(done, total),
        update: (patch) => updater.patch(patch).then(() => undefined),
        assertLease: () => this.assertLease(updater, abort),
      };
      result =
        claimed.kind === "differenceReport"
          ? await this.handlers.differenceReport.run({ ...attempt, job: claimed })
          : await this.handlers.recovery.run({ ...attempt, job: claimed });
      if (abort.signal.aborted) result = this.abortedResult(abort.signal.reason);
    } catch (err) {
      if (abort.signal.aborted) result = this.abortedResult(abort.signal.reason);
      else if (isTransientFailure(err) && stalls + 1 < this.maxAttempts) {
        // Keep the lease until the retry time: then this process's poll (or another's) resumes the job.
        log.warn({ err, retryInMs: this.retryAfterMs }, "job attempt hit a Graph outage; it will be resumed");
        const until = new Date(deps.clock.now().getTime() + this.retryAfterMs).toISOString();
        await updater.renew(this.owner, until).catch(() => null);
        result = null;
      } else {
        result = { state: "failed", error: jobFailureText(err, log) };
      }
    } finally {
      heartbeat();
    }
    if (result === null) {
      log.info({ reason: abort.signal.reason }, "job attempt stopped; another attempt will resume it");
      if (abort.signal.reason === SHUTDOWN) await this.release(updater, log);
      return;
    }
    if (result.state === "canceled" && claimed.kind === "differenceReport") await deps.store.clearChanges(claimed.tenantId, claimed.id);
    await this.finish(updater, log, result);
  }

  /** Throws (and aborts the attempt as a lost lease) once the lease is within its margin of ending. */
  private assertLease(updater: JobUpdater, abort: AbortController): void {
    if (abort.signal.aborted && abort.signal.reason === LEASE_LOST) throw new Error("This process lost the job's lease; it stops writing for the job.");
    const expiresAt = updater.leaseExpiresAt();
    if (expiresAt !== null && this.deps.clock.now().getTime() < expiresAt - this.leaseMarginMs) return;
    abort.abort(LEASE_LOST);
    throw new Error("This process's lease on the job has lapsed or is about to; it stops writing for the job.");
  }

  /**
   * Ends this process's lease now (compare-and-set, like every job write), so another process may resume the
   * job at once; a job another process took over meanwhile is left alone.
   */
  private async release(updater: JobUpdater, log: JobAttempt["log"]): Promise<void> {
    try {
      const released = await updater.renew(this.owner, this.deps.clock.now().toISOString());
      log.info({ released: released !== null }, "job lease released");
    } catch (err) {
      log.warn({ err }, "job lease not released; it lapses on its own");
    }
  }

  private abortedResult(reason: unknown): { state: "canceled" } | null {
    return reason === CANCELED ? { state: "canceled" } : null;
  }

  private async finish(updater: JobUpdater, log: JobAttempt["log"], result: JobResult | { state: "canceled" }): Promise<void> {
    const { job } = await updater.finish(result);
    log.info({ state: job.state, outcomes: job.kind === "recovery" ? job.outcomes : undefined, changes: job.summary?.total }, "job finished");
    await this.deps.store
      .appendAudit([
        {
          tenantId: job.tenantId,
          at: this.deps.clock.now().toISOString(),
          actor: "system",
          action: "jobFinished",
          target: job.id,
          details: { kind: job.kind, state: job.state, backupId: job.backupId, error: job.error ?? null },
        },
      ])
      .catch((err: unknown) => log.error({ err }, "could not audit the end of a job"));
    try {
      this.events.onFinished?.(job);
    } catch (err) {
      log.error({ err }, "a job-finished listener failed");
    }
  }

  /** Renews the lease, saves progress and watches for cancel until the returned function is called. */
  private heartbeat(updater: JobUpdater, abort: AbortController, log: JobAttempt["log"]): () => void {
    let cancelTimer: (() => void) | undefined;
    let stopped = false;
    const beat = async (): Promise<void> => {
      try {
        const now = this.deps.clock.now().getTime();
        const renewed = await updater.renew(this.owner, new Date(now + this.leaseMs).toISOString());
        if (renewed === null) abort.abort(LEASE_LOST);
        else if (renewed.job.cancelRequested) abort.abort(CANCELED);
      } catch (err) {
        log.warn({ err }, "heartbeat failed");
      }
      if (!stopped && !abort.signal.aborted) cancelTimer = this.deps.clock.setTimer(this.heartbeatMs, () => void beat());
    };
    cancelTimer = this.deps.clock.setTimer(this.heartbeatMs, () => void beat());
    return () => {
      stopped = true;
      cancelTimer?.();
    };
  }
}
