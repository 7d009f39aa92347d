import type { ObjectType } from "./catalog";
import type { ChangeSummary, RecoveryAction } from "./change";

/** A difference report (Microsoft: recovery preview job) or a recovery job. */
export type JobKind = Job["kind"];

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

/** What every job has, whatever its kind. */
interface JobBase {
  readonly tenantId: string;
  readonly id: string;
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
  /** Why a job failed, for the admin. */
  readonly error?: string;
  /**
   * Someone asked the job to stop (a fact people see on its card, with who asked); the runner stops at the
   * next safe point. Only the store's `requestCancel` sets it.
   */
  readonly cancelRequested: boolean;
  readonly cancelRequestedBy?: string;
}

/** A difference report (Microsoft: recovery preview job): what changed in the tenant since a backup. */
export interface ReportJob extends JobBase {
  readonly kind: "differenceReport";
}

/** A recovery job: applies an approved difference report's changes back to the tenant. */
export interface RecoveryJob extends JobBase {
  readonly kind: "recovery";
  /** The difference report it applies. */
  readonly reportId: string;
  /** Who approved it. */
  readonly approvedBy: string;
  /** The approved request it runs. */
  readonly recoveryRequestId: string;
  /** Outcome counts so far (set once applying starts). */
  readonly outcomes?: RecoveryCounts;
}

/** A difference report or recovery job: narrow on `kind`. The runner's bookkeeping is not here (see job-record.ts). */
export type Job = ReportJob | RecoveryJob;

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
