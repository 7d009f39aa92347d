import type { Job, JobState } from "./job";

/** A held claim on running a job: the process that runs it renews it; another may take over once it lapses. */
interface JobLease {
  readonly owner: string;
  readonly expiresAt: string;
}

/**
 * Where a job stood when its latest attempt claimed it, and how many attempts in a row before that made no
 * progress from there: a job that keeps dying where it stands is closed as failed, one that advances between
 * restarts (rolling deployments, a killed replica) is not.
 */
interface JobResume {
  readonly state: JobState;
  readonly done: number;
  readonly stalls: number;
}

/** The runner's bookkeeping on a job: who holds it, how often it was taken up, and the store's version. */
export interface JobRun {
  /** Times a process started working on it (more than one after a restart). */
  readonly attempts: number;
  readonly resume?: JobResume;
  readonly lease?: JobLease;
  /** Optimistic concurrency: bumped by every update. */
  readonly version: number;
}

/** A job as the store keeps it: the domain job, and the runner's bookkeeping around it. */
export interface JobRecord<J extends Job = Job> {
  readonly job: J;
  readonly run: JobRun;
}

/** The run of a job just created: never attempted, no lease, the store's first version. */
export const NEW_JOB_RUN: JobRun = Object.freeze({ attempts: 0, version: 0 });
