import type { Logger } from "pino";
import type { ChangeSummary } from "../model/change";
import type { Job, RecoveryCounts, RecoveryJob, ReportJob } from "../model/job";
import type { Clock, Directory, Store } from "../ports";

/** What the engine's jobs work with. */
export interface EngineDeps {
  readonly directory: Directory;
  readonly store: Store;
  readonly clock: Clock;
  readonly log: Logger;
}

/** The working states a handler moves its job through. */
export type WorkingState = "loadingData" | "calculating" | "running";

/**
 * What the runner gives a handler for one attempt at a job: the job as claimed, and the ways to move it on.
 * The runner's bookkeeping (lease, version, attempt count) stays with the runner.
 */
export interface JobAttempt<J extends Job = Job> {
  /** The job as claimed for this attempt. */
  readonly job: J;
  /** Whether an earlier attempt worked on the job (this one resumes after a restart). */
  readonly resumed: boolean;
  readonly deps: EngineDeps;
  /** A child logger carrying the job id and tenant. */
  readonly log: Logger;
  /**
   * Aborted when a cancel is requested or this process lost the job's lease: stop at the next safe point by
   * throwing (any error will do; the runner knows why it aborted).
   */
  readonly signal: AbortSignal;
  /** Moves the job to a working state now, with the work expected in it (null: not known yet); resets progress. */
  enter(state: WorkingState, total: number | null): Promise<void>;
  /** Reports work done in the current state; the runner persists it every few seconds with an estimated end. */
  progress(done: number, total?: number | null): void;
  /** Persists facts on the job at once: a summary (report counts, a recovery's plan) or outcome counts. */
  update(patch: { summary?: ChangeSummary; outcomes?: RecoveryCounts }): Promise<void>;
  /**
   * Throws when this process's lease on the job has lapsed or is about to (judged from the lease it last
   * renewed successfully, with a margin for clock skew between processes), and aborts the attempt as a lost
   * lease: another process may have taken the job over. Cheap (no store call): call it before each group of
   * writes, so two processes never write for the same job.
   */
  assertLease(): void;
}

/** How an attempt ended when it was not aborted. */
export interface JobResult {
  readonly state: "succeeded" | "completedWithWarnings" | "failed";
  readonly summary?: ChangeSummary;
  readonly outcomes?: RecoveryCounts;
  /** For `failed`: why, in words for the admin. */
  readonly error?: string;
}

/** Runs one kind of job. Must be safe to run again on a job a dead process left half done. */
export interface JobHandler<J extends Job = Job> {
  run(attempt: JobAttempt<J>): Promise<JobResult>;
}

/** The handler of each kind of job, each given only jobs of its kind. */
export interface JobHandlers {
  readonly differenceReport: JobHandler<ReportJob>;
  readonly recovery: JobHandler<RecoveryJob>;
}
