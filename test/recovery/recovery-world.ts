import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { DifferenceReportHandler } from "../../core/diff/report-handler";
import { createEngine, type Engine } from "../../core/engine";
import { engineConfigFromEnv } from "../../app/settings/section-readers";
import type { JobAttempt, JobHandler, JobHandlers, JobResult, WorkingState } from "../../core/jobs/job-handler";
import { JobRunner } from "../../core/jobs/job-runner";
import type { Change, StepOutcome } from "../../core/model/change";
import type { Job, RecoveryJob, ReportJob, Scope } from "../../core/model/job";
import type { Directory, Store } from "../../core/ports";
import type { Actor } from "../../core/rewind-settings";
import { RecoveryHandler, type RecoveryHandlerOptions } from "../../core/recovery/recovery-handler";
import { SqliteStore } from "../../core/store/sqlite/sqlite-store";
import { DEMO_TENANT_ID } from "../../sim/index";
import { DriftClient } from "../../sim/drift";
import { ManualClock } from "../backup/manual-clock";
import { startFixture, type Fixture } from "../graph/gateway-fixture";
import { TrippingDirectory, type ProcessDied } from "./tripping-directory";

export const TENANT = DEMO_TENANT_ID;
/** Ada Admin and Ben Second, the demo tenant's Backup Administrators: Ada asks for recoveries, Ben approves them. */
export const ADA = "0a0a0a0a-0000-4000-8000-000000000001";
export const BEN = "0a0a0a0a-0000-4000-8000-000000000002";
const asActor = (userId: string): Actor => ({ userId });

/** How often a process's runner renews its lease and looks for a cancel (the runner's default). */
const HEARTBEAT_MS = 5_000;

/** How one attempt went: the job as stored afterwards, what the handler threw (or the death that ended it), and the states it entered. */
export interface AttemptResult<J extends Job = Job> {
  readonly job: J;
  /** Times a process took the job up, this attempt included (the runner's count). */
  readonly attempts: number;
  readonly error?: unknown;
  /** Every working state the attempt entered, in order. */
  readonly states: WorkingState[];
}

/** Options of one attempt: the process's own Graph gateway (a wrapped one) and its recovery handler's options. */
export interface AttemptOptions {
  readonly directory?: Directory;
  readonly handler?: RecoveryHandlerOptions;
}

/** What one attempt's handler was seen to do: the states it entered, what it threw and its abort signal. */
class Watch {
  readonly states: WorkingState[] = [];
  error: unknown;
  signal: AbortSignal | undefined;
}

/**
 * A production handler, watched (so a test can wait for the runner to notice a cancel). It changes nothing of
 * what the handler does.
 */
class WatchedHandler<J extends Job> implements JobHandler<J> {
  constructor(
    private readonly inner: JobHandler<J>,
    private readonly watch: Watch,
  ) {}

  async run(attempt: JobAttempt<J>): Promise<JobResult> {
    this.watch.signal = attempt.signal;
    const enter = (state: WorkingState, total: number | null): Promise<void> => {
      this.watch.states.push(state);
      return attempt.enter(state, total);
    };
    try {
      return await this.inner.run({ ...attempt, enter });
    } catch (err) {
      this.watch.error = err;
      throw err;
    }
  }
}

/** The store as one process sees it: once that process died (its tripping directory says so), every call throws. */
function storeOfProcess(store: Store, process: TrippingDirectory): Store {
  return new Proxy(store, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]): unknown => {
        process.alive();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/**
 * One demo tenant in the simulator (over HTTPS, through the real gateway), a SQLite store on a temp file, the
 * engine over both (its façade creates every report, request and recovery, as the bot would) and a backup of
 * the tenant as it started: what every recovery test begins with. Jobs are run by the production JobRunner
 * and handlers, one attempt at a time, each attempt a process of its own on the test's clock.
 */
export class RecoveryWorld {
  readonly drift: DriftClient;
  /** What the current attempt's handler sees (its abort signal), while one runs. */
  private watched: Watch | undefined;

  private constructor(
    readonly f: Fixture,
    readonly store: SqliteStore,
    readonly clock: ManualClock,
    readonly engine: Engine,
    private readonly dir: string,
    readonly backupId: string,
  ) {
    this.drift = new DriftClient(f.sim.url, f.sim.ca);
  }

  static async start(): Promise<RecoveryWorld> {
    const f = await startFixture({ throttling: false });
    const dir = mkdtempSync(path.join(tmpdir(), "rewind-recovery-"));
    const store = SqliteStore.open({ file: path.join(dir, "rewind.db") });
    const clock = new ManualClock(Date.now());
    // Never started: this process creates jobs; each attempt below is another process that runs them.
    const engine = createEngine(
      { directory: f.graph, store, clock, log: pino({ level: "silent" }) },
      { tenantId: TENANT, config: engineConfigFromEnv({}), scheduleBackups: false },
    );
    const backup = await engine.rewind.takeBackup(asActor(ADA));
    return new RecoveryWorld(f, store, clock, engine, dir, backup.id);
  }

  /** The store's SQLite file (for tests that change it behind the store's back). */
  get storeFile(): string {
    return path.join(this.dir, "rewind.db");
  }

  /** Ada runs a difference report of the backup against the tenant now; it must succeed. */
  async report(scope: Scope = {}, options: { roleGroups?: ReadonlySet<string> } = {}): Promise<ReportJob> {
    const job = await this.engine.rewind.startDifferenceReport(asActor(ADA), { backupId: this.backupId, scope });
    const run = await this.run(job.id, { differenceReport: new DifferenceReportHandler(options), recovery: new RecoveryHandler() }, this.f.graph);
    if (run.job.kind !== "differenceReport") throw new Error(`job ${job.id} is not a report`);
    if (run.job.state !== "succeeded") throw new Error(`report ended ${run.job.state}: ${String(run.error ?? run.job.error)}`);
    return run.job;
  }

  /** Ada asks for a recovery of a report (all of it, or a scope) and Ben approves it: the recovery job, not yet run. */
  async recoveryJob(report: Job, scope: Scope = {}): Promise<RecoveryJob> {
    const { rewind } = this.engine;
    const request = await rewind.requestRecovery(asActor(ADA), { reportId: report.id, scope });
    const job = await rewind.startRecovery(asActor(BEN), { requestId: request.id, reportId: request.reportId, digest: request.digest });
    if (job.kind !== "recovery") throw new Error(`job ${job.id} is not a recovery`);
    return job;
  }

  /** Runs one attempt of a recovery job, through `directory` when given (a wrapped gateway). */
  async attempt(job: Job, options: AttemptOptions = {}): Promise<AttemptResult<RecoveryJob>> {
    const handlers = { differenceReport: new DifferenceReportHandler(), recovery: new RecoveryHandler(options.handler) };
    const result = await this.run(job.id, handlers, options.directory ?? this.f.graph);
    if (result.job.kind !== "recovery") throw new Error(`job ${job.id} is not a recovery`);
    return { ...result, job: result.job };
  }

  /**
   * Ada cancels the job under way through the façade, and the runner's next heartbeat finds it: resolves once
   * the attempt's signal is aborted (its handler stops at its next safe point).
   */
  async cancel(jobId: string): Promise<void> {
    await this.engine.rewind.cancelJob(asActor(ADA), jobId);
    const signal = this.watched?.signal;
    if (!signal) throw new Error("no attempt is running");
    this.clock.advance(HEARTBEAT_MS);
    for (let i = 0; i < 1_000 && !signal.aborted; i++) await new Promise((r) => setImmediate(r));
    if (!signal.aborted) throw new Error("the runner did not notice the cancel");
  }

  /**
   * One attempt at a job as a process of its own: a JobRunner with the production handler (watched) takes the
   * job up as it does after a start, and the attempt ends when the job does, or when the process dies (its
   * tripping directory kills it: from then on it calls neither Graph nor the store). A lease a dead process
   * left is waited out on the clock first, as the next process would.
   */
  private async run(jobId: string, handlers: JobHandlers, directory: Directory): Promise<AttemptResult> {
    await this.waitOutLease(jobId);
    const watch = new Watch();
    const watched: JobHandlers = { differenceReport: new WatchedHandler(handlers.differenceReport, watch), recovery: new WatchedHandler(handlers.recovery, watch) };
    const tripping = directory instanceof TrippingDirectory ? directory : undefined;
    const store = tripping ? storeOfProcess(this.store, tripping) : this.store;
    let finished!: (job: Job) => void;
    const ended = new Promise<Job>((resolve) => (finished = resolve));
    const runner = new JobRunner(
      { directory, store, clock: this.clock, log: pino({ level: "silent" }) },
      TENANT,
      watched,
      { heartbeatMs: HEARTBEAT_MS },
      { onFinished: (job) => job.id === jobId && finished(job) },
    );
    this.watched = watch;
    let death: ProcessDied | undefined;
    try {
      await runner.start();
      death = await Promise.race([ended.then(() => undefined), tripping?.died ?? new Promise<never>(() => undefined)]);
    } finally {
      await runner.stop();
      this.watched = undefined;
    }
    const stored = await this.store.getJob(TENANT, jobId);
    if (!stored) throw new Error(`no job ${jobId}`);
    const error = watch.error ?? death;
    return { job: stored.job, attempts: stored.run.attempts, states: watch.states, ...(error !== undefined ? { error } : {}) };
  }

  /** Moves the clock past the lease a dead process holds on the job, if any. */
  private async waitOutLease(jobId: string): Promise<void> {
    const lease = (await this.store.getJob(TENANT, jobId))?.run.lease;
    const left = lease ? Date.parse(lease.expiresAt) - this.clock.now().getTime() : 0;
    if (left > 0) this.clock.advance(left);
  }

  /** Every change of a job, in seq order. */
  async changes(jobId: string): Promise<Change[]> {
    const out: Change[] = [];
    for (;;) {
      const page = await this.store.readChanges(TENANT, jobId, { limit: 200, ...(out.length > 0 ? { afterSeq: out[out.length - 1]!.seq } : {}) });
      out.push(...page);
      if (page.length < 200) return out;
    }
  }

  /** Every step record of a recovery. */
  outcomes(jobId: string): Promise<StepOutcome[]> {
    return this.store.readOutcomes(TENANT, jobId, 0, Number.MAX_SAFE_INTEGER);
  }

  /** Successful writes per object id since the last reset, as the simulator counted them. */
  writes(): Record<string, number> {
    return this.f.sim.stats().writesByObject;
  }

  async close(): Promise<void> {
    await this.drift.close();
    this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
    await this.f.close();
  }
}
