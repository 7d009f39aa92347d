import { randomUUID } from "node:crypto";
import pino from "pino";
import type { EngineDeps, JobContext, JobHandler, JobResult, WorkingState } from "../../core/jobs/job-handler";
import { JobUpdater } from "../../core/jobs/job-updater";
import type { Job, JobKind, Scope } from "../../core/model/job";
import type { RecoveryRequest } from "../../core/model/recovery-request";
import type { Clock, Directory, Store } from "../../core/ports";

/** A clock on real time (timers are not used by handlers). */
export const realClock: Clock = {
  now: () => new Date(),
  setTimer: (ms, fn) => {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};

/** Engine dependencies over a store and a directory, with silent logs. */
export function engineDeps(store: Store, directory: Directory): EngineDeps {
  return { store, directory, clock: realClock, log: pino({ level: "silent" }) };
}

/** A new job as the façade creates it (queued, never attempted), stored with `createJob`. */
export async function createJob(
  store: Store,
  spec: { tenantId: string; kind: JobKind; backupId: string; scope?: Scope; reportId?: string; requestedBy?: string; approvedBy?: string },
): Promise<Job> {
  const job: Job = {
    tenantId: spec.tenantId,
    id: randomUUID(),
    kind: spec.kind,
    backupId: spec.backupId,
    state: "queued",
    scope: spec.scope ?? {},
    requestedBy: spec.requestedBy ?? "0a0a0a0a-0000-4000-8000-000000000001",
    createdAt: new Date().toISOString(),
    progress: { done: 0, total: null, estimatedCompletionAt: null },
    attempts: 0,
    cancelRequested: false,
    version: 1,
    ...(spec.reportId ? { reportId: spec.reportId } : {}),
    ...(spec.approvedBy ? { approvedBy: spec.approvedBy } : {}),
  };
  await store.createJob(job);
  return job;
}

/**
 * A recovery job as an approval creates it: a recovery request for the report, marked approved with the job's
 * id, then the job naming the request (a recovery without such a request is refused).
 */
export async function createApprovedRecovery(
  store: Store,
  spec: { tenantId: string; report: Job; scope?: Scope; requestedBy: string; approvedBy: string },
): Promise<Job> {
  const now = new Date().toISOString();
  const jobId = randomUUID();
  const request: RecoveryRequest = {
    tenantId: spec.tenantId,
    id: randomUUID(),
    reportId: spec.report.id,
    backupId: spec.report.backupId,
    scope: spec.scope ?? {},
    requestedBy: spec.requestedBy,
    requestedAt: now,
    digest: spec.report.summary?.digest ?? "",
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    state: "pending",
    version: 1,
  };
  await store.createRecoveryRequest(request);
  await store.updateRecoveryRequest({ ...request, state: "approved", decidedBy: spec.approvedBy, decidedAt: now, recoveryJobId: jobId });
  const job: Job = {
    tenantId: spec.tenantId,
    id: jobId,
    kind: "recovery",
    backupId: spec.report.backupId,
    state: "queued",
    scope: spec.scope ?? {},
    requestedBy: spec.requestedBy,
    createdAt: now,
    progress: { done: 0, total: null, estimatedCompletionAt: null },
    attempts: 0,
    cancelRequested: false,
    version: 1,
    reportId: spec.report.id,
    approvedBy: spec.approvedBy,
    recoveryRequestId: request.id,
  };
  await store.createJob(job);
  return job;
}

/** How one attempt went: the job as stored afterwards, and the handler's result or what it threw. */
export interface AttemptResult {
  readonly job: Job;
  readonly result?: JobResult;
  readonly error?: unknown;
  /** Every state the attempt entered, in order. */
  readonly states: WorkingState[];
}

/**
 * Runs one attempt at a job the way the job runner does, without its lease timers: claims it (attempts + 1),
 * hands the handler a context whose `enter`/`progress`/`update` write through `store.updateJob`, then records
 * the end. An aborted signal ends the job `canceled`; an error thrown otherwise leaves it unfinished, as a
 * process that died would (the next attempt resumes it).
 */
export async function runAttempt(handler: JobHandler, deps: EngineDeps, jobId: string, tenantId: string, signal: AbortSignal = new AbortController().signal): Promise<AttemptResult> {
  const stored = await deps.store.getJob(tenantId, jobId);
  if (!stored) throw new Error(`no job ${jobId}`);
  const claimed = await deps.store.updateJob({ ...stored, attempts: stored.attempts + 1, startedAt: stored.startedAt ?? new Date().toISOString() });
  const updater = new JobUpdater(deps.store, claimed, deps.clock, () => undefined);
  const states: WorkingState[] = [];
  const ctx: JobContext = {
    job: claimed,
    deps,
    log: deps.log,
    signal,
    enter: async (state, total) => {
      states.push(state);
      await updater.enter(state, total);
    },
    progress: (done, total) => updater.progress(done, total),
    update: (patch) => updater.patch(patch),
    assertLease: () => undefined, // no lease here: one attempt at a time, run by the test itself
  };
  try {
    const result = await handler.run(ctx);
    const job = await updater.finish(signal.aborted ? { state: "canceled" } : result);
    return { job, result, states };
  } catch (error) {
    if (signal.aborted) return { job: await updater.finish({ state: "canceled" }), error, states };
    return { job: (await deps.store.getJob(tenantId, jobId))!, error, states };
  }
}
