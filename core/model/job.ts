import type { ObjectType } from "./catalog";
import type { ChangeSummary, RecoveryAction } from "./change";

/** A difference report (Microsoft: recovery preview job) or a recovery job. */
export type JobKind = "differenceReport" | "recovery";

/** The states a job goes through. `calculating` is a report's working state, `running` a recovery's. */
export const JOB_STATES = [
  "queued",
  "loadingData",
  "calculating",
  "running",
  "succeeded",
  "completedWithWarnings",
  "failed",
  "canceled",
] as const;
export type JobState = (typeof JOB_STATES)[number];

/** States a job never leaves. */
export const TERMINAL_STATES: ReadonlySet<JobState> = new Set(["succeeded", "completedWithWarnings", "failed", "canceled"]);

/** Whether the job has finished (one way or another). */
export function isTerminal(state: JobState): boolean {
  return TERMINAL_STATES.has(state);
}

/** Some objects of one type, by id. */
export interface ScopeObjects {
  readonly type: ObjectType;
  readonly ids: readonly string[];
}

/**
 * What a job covers: everything (empty scope), some types, or some objects by id, optionally
 * narrowed to some attributes (properties and link names).
 */
export interface Scope {
  readonly types?: readonly ObjectType[];
  readonly objects?: readonly ScopeObjects[];
  readonly attributes?: readonly string[];
}

/** How far a job is, and when it should end (linear estimate from the work done so far). */
export interface JobProgress {
  readonly done: number;
  /** Units of work expected (objects read or compared, changes applied); null until known. */
  readonly total: number | null;
  readonly estimatedCompletionAt: string | null;
}

/** A recovery's outcome counts. */
export interface RecoveryCounts {
  readonly total: number;
  readonly applied: number;
  readonly failed: number;
  readonly skipped: number;
}

/** A held claim on running a job: the process that runs it renews it; another may take over once it lapses. */
export interface JobLease {
  readonly owner: string;
  readonly expiresAt: string;
}

/** A difference report or recovery job. */
export interface Job {
  readonly tenantId: string;
  readonly id: string;
  readonly kind: JobKind;
  /** The backup compared with (report) or recovered to (recovery). */
  readonly backupId: string;
  readonly state: JobState;
  readonly scope: Scope;
  readonly requestedBy: string;
  readonly createdAt: string;
  readonly startedAt?: string;
  readonly completedAt?: string;
  readonly progress: JobProgress;
  /** A report's change counts (once succeeded); a recovery's planned changes. */
  readonly summary?: ChangeSummary;
  /** Recovery: the difference report it applies, who approved it, and its outcome counts. */
  readonly reportId?: string;
  readonly approvedBy?: string;
  readonly recoveryRequestId?: string;
  readonly outcomes?: RecoveryCounts;
  /** Why a job failed, for the admin. */
  readonly error?: string;
  /** Times a process started working on it (more than one after a restart). */
  readonly attempts: number;
  /**
   * Where the job stood when its latest attempt claimed it, and how many attempts in a row before that made no
   * progress from there: a job that keeps dying where it stands is closed as failed, one that advances between
   * restarts (rolling deployments, a killed replica) is not.
   */
  readonly resume?: { readonly state: JobState; readonly done: number; readonly stalls: number };
  readonly lease?: JobLease;
  /** Set by cancel; the runner stops at the next safe point. */
  readonly cancelRequested: boolean;
  readonly cancelRequestedBy?: string;
  /** Optimistic concurrency: bumped by every update. */
  readonly version: number;
}

/** Filters for listing a tenant's jobs. */
export interface JobFilter {
  readonly backupId?: string;
  readonly kind?: JobKind;
}

/** Filters for reading a job's changes page by page. */
export interface ChangeQuery {
  /** Only changes of these types; absent or empty: every type. */
  readonly types?: readonly ObjectType[];
  /** Only changes with these actions; absent or empty: every action. */
  readonly actions?: readonly RecoveryAction[];
  /** Read changes after this `seq` (paging cursor); default from the start. */
  readonly afterSeq?: number;
  readonly limit: number;
}
