/**
 * The job side of the Store contract (jobs, changes, outcomes, recovery requests, audit): what every store
 * (SQLite, Cosmos) must do, written against the port only. A store's test file calls `jobStoreContract` with
 * a factory that opens a fresh, empty store per test.
 */
import type { AuditEntry } from "../../core/model/audit";
import { OBJECT_TYPES, type ObjectType } from "../../core/model/catalog";
import { RECOVERY_ACTIONS, RECOVERY_STEPS, type Change, type RecoveryAction, type StepOutcome } from "../../core/model/change";
import { TERMINAL_STATES, type ChangeQuery, type Job, type JobState, type RecoveryJob, type ReportJob } from "../../core/model/job";
import type { JobRecord, JobRun } from "../../core/model/job-record";
import type { RecoveryRequest } from "../../core/model/recovery-request";
import { StoreConflictError, StoreNotFoundError } from "../../core/model/store-error";
import type { AuditStore, JobStore, RecoveryRequestStore } from "../../core/ports";

/** A fresh store for one test, and how to dispose of it. */
/** What the suite exercises: jobs with their changes and outcomes, recovery requests and the audit trail. */
export type OpenJobStore = () => Promise<{ store: JobStore & RecoveryRequestStore & AuditStore; close(): Promise<void> }>;

const T1 = "c0ffee00-0000-4000-8000-00000000000a";
const T2 = "c0ffee00-0000-4000-8000-00000000000b";
const T3 = "c0ffee00-0000-4000-8000-00000000000c";
const ADMIN = "0a0a0a0a-0000-4000-8000-000000000001";
const APPROVER = "0a0a0a0a-0000-4000-8000-000000000002";
const B1 = "2026-11-21T02:00:00Z";
const B2 = "2026-11-22T02:00:00Z";

/** A GUID-shaped id whose order differs from `n`'s, so sorting by id is really tested. */
function guid(n: number, kind = 0): string {
  const scrambled = ((n * 2654435761) >>> 0).toString(16).padStart(8, "0");
  return `${scrambled}-${kind.toString(16).padStart(4, "0")}-4000-8000-${n.toString(16).padStart(12, "0")}`;
}
const jobId = (n: number) => guid(n, 0x10b);

/** A time on 25 November 2026, `minutes` after 09:00. */
const at = (minutes: number) => new Date(Date.UTC(2026, 10, 25, 9, minutes)).toISOString();

/** A queued difference report of T1; `over` changes any field. */
function newJob(n: number, over: Partial<ReportJob> = {}): ReportJob {
  return {
    tenantId: T1,
    id: jobId(n),
    kind: "differenceReport",
    backupId: B1,
    state: "queued",
    scope: {},
    requestedBy: ADMIN,
    createdAt: at(n),
    progress: { done: 0, total: null, estimatedCompletionAt: null },
    cancelRequested: false,
    ...over,
  };
}

/** A queued recovery of T1 (with the report, approver and request it runs under); `over` changes any field. */
function newRecovery(n: number, over: Partial<RecoveryJob> = {}): RecoveryJob {
  return {
    ...newJob(n),
    kind: "recovery",
    reportId: jobId(n + 1000),
    approvedBy: APPROVER,
    recoveryRequestId: guid(n, 0xeee),
    ...over,
  };
}

/** A job with a run (as `createJob` starts it unless `run` says otherwise), for `updateJob`. */
function record(job: Job, run: Partial<JobRun> = {}): JobRecord {
  return { job, run: { attempts: 0, version: 0, ...run } };
}

/** A stored record with some of its job's fields changed. */
function changed(stored: JobRecord, over: Partial<Pick<Job, "state" | "completedAt" | "progress" | "error" | "cancelRequested" | "cancelRequestedBy">>): JobRecord {
  return { ...stored, job: { ...stored.job, ...over } };
}

/** The run of a recovery with every optional field set. */
const FULL_RUN = { attempts: 2, resume: { state: "running", done: 12, stalls: 1 }, lease: { owner: "host-a:1234", expiresAt: at(5) } } as const;

/** A recovery with every optional field set, running. */
function fullRecovery(n: number, over: Partial<RecoveryJob> = {}): RecoveryJob {
  return newRecovery(n, {
    state: "running",
    scope: { types: ["user", "group"], objects: [{ type: "user", ids: [guid(1), guid(2)] }], attributes: ["displayName", "members"] },
    startedAt: at(n + 1),
    progress: { done: 40, total: 120, estimatedCompletionAt: at(n + 30) },
    summary: { total: 120, notRecoverable: 3, byType: { user: { update: 100, restore: 5 }, group: { softDelete: 15 } }, links: 42, sensitive: 2 },
    outcomes: { total: 120, applied: 30, failed: 6, skipped: 4 },
    error: "Graph said no",
    ...over,
  });
}

/** A change; `seq` decides its id, so two changes with the same seq are the same object. */
function change(seq: number, type: ObjectType, action: RecoveryAction, over: Partial<Change> = {}): Change {
  return {
    seq,
    id: guid(seq, OBJECT_TYPES.indexOf(type)),
    entityTypeName: type,
    displayName: `Object ${seq}`,
    recoveryAction: action,
    deltaFromCurrent: {
      properties: action === "update" ? [{ name: "displayName", backupValue: `Object ${seq}`, currentValue: `Renamed ${seq}` }] : [],
      links: [],
    },
    currentState: action === "restore" ? "softDeleted" : "active",
    recoverable: true,
    ...over,
  };
}

/** 90 changes over every type and action, in a mix no filter lines up with. */
const MIXED: Change[] = Array.from({ length: 90 }, (_, i) => {
  const seq = i + 1;
  return change(seq, OBJECT_TYPES[(seq * 5) % OBJECT_TYPES.length]!, RECOVERY_ACTIONS[(seq * 7) % 3]!);
});

function outcome(seq: number, step: StepOutcome["step"], status: StepOutcome["status"], message?: string): StepOutcome {
  return { seq, step, status, ...(message !== undefined ? { message } : {}), at: at(seq) };
}

function request(n: number, over: Partial<RecoveryRequest> = {}): RecoveryRequest {
  return {
    tenantId: T1,
    id: guid(n, 0x4e0),
    reportId: jobId(n),
    backupId: B1,
    scope: {},
    requestedBy: ADMIN,
    requestedAt: at(n),
    digest: "d".repeat(64),
    expiresAt: "2026-12-25T00:00:00.000Z",
    state: "pending",
    version: 0,
    ...over,
  };
}

function audit(tenantId: string, minutes: number, over: Partial<AuditEntry> = {}): AuditEntry {
  return { tenantId, at: at(minutes), actor: ADMIN, action: "jobStarted", target: jobId(minutes), ...over };
}

export function jobStoreContract(name: string, open: OpenJobStore): void {
  describe(`JobStore contract: ${name}`, () => {
    let store: JobStore & RecoveryRequestStore & AuditStore;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ store, close } = await open());
    });
    afterEach(async () => {
      await close();
    });

    /** The job record as stored now (it must exist). */
    const current = async (tenantId: string, id: string): Promise<JobRecord> => {
      const stored = await store.getJob(tenantId, id);
      if (stored === null) throw new Error(`job ${id} is not stored`);
      return stored;
    };
    /** Moves a stored job to a terminal state, as a runner finishing it would. */
    const finish = async (job: Job, state: JobState = "succeeded", completedAt = at(500)): Promise<JobRecord> =>
      store.updateJob(changed(await current(job.tenantId, job.id), { state, completedAt }));
    /** Creates a job and finishes it at once, so the next job of the tenant may start. */
    const addFinished = async (job: Job, state: JobState = "succeeded", completedAt = at(500)): Promise<JobRecord> => {
      await store.createJob(job);
      return finish(job, state, completedAt);
    };
    /** Pages through a job's changes with `query`, `limit` per page, following the cursor. */
    const readAllPages = async (tenantId: string, id: string, query: Omit<ChangeQuery, "afterSeq">): Promise<Change[][]> => {
      const pages: Change[][] = [];
      let afterSeq: number | undefined;
      for (;;) {
        const page = await store.readChanges(tenantId, id, { ...query, ...(afterSeq !== undefined ? { afterSeq } : {}) });
        if (page.length === 0) return pages;
        pages.push(page);
        afterSeq = page[page.length - 1]!.seq;
        if (pages.length > 1000) throw new Error("paging does not end");
      }
    };

    describe("jobs", () => {
      it("reads a job back as it was written, every optional field included", async () => {
        const job = fullRecovery(1, { cancelRequested: false });
        expect(await store.createJob(job)).toEqual(record(job));
        const written = await store.updateJob(record(job, FULL_RUN));
        expect(written).toEqual(record(job, { ...FULL_RUN, version: 1 }));
        expect(await store.getJob(T1, job.id)).toEqual(written);
        expect(await store.listJobs(T1)).toEqual([job]);
      });

      it("leaves absent optional fields absent", async () => {
        await store.createJob(newJob(1));
        const stored = await current(T1, jobId(1));
        for (const field of ["startedAt", "completedAt", "summary", "error", "outcomes", "cancelRequestedBy", "reportId"]) {
          expect(stored.job).not.toHaveProperty(field);
        }
        for (const field of ["lease", "resume"]) expect(stored.run).not.toHaveProperty(field);
      });

      it("returns null for an unknown job and for another tenant's job", async () => {
        await store.createJob(newJob(1));
        expect(await store.getJob(T1, jobId(2))).toBeNull();
        expect(await store.getJob(T2, jobId(1))).toBeNull();
        expect(await store.listJobs(T2)).toEqual([]);
      });

      it("refuses a job id the tenant already used, even once that job has ended", async () => {
        await addFinished(newJob(1));
        await expect(store.createJob(newJob(1, { createdAt: at(9) }))).rejects.toBeInstanceOf(StoreConflictError);
        expect((await store.listJobs(T1)).map((j) => [j.id, j.state, j.createdAt])).toEqual([[jobId(1), "succeeded", at(1)]]);
      });

      it("keeps the same job id of two tenants apart", async () => {
        await store.createJob(newJob(1));
        await store.createJob(newJob(1, { tenantId: T2, backupId: B2 }));
        expect((await current(T1, jobId(1))).job.backupId).toBe(B1);
        expect((await current(T2, jobId(1))).job.backupId).toBe(B2);
      });

      it("lists a tenant's jobs newest first, by creation time then id", async () => {
        const same = at(30);
        await addFinished(newJob(1));
        await addFinished(newJob(3, { createdAt: same }));
        await addFinished(newJob(2, { createdAt: same }));
        await addFinished(newJob(4, { createdAt: at(45) }));
        await store.createJob(newJob(5, { createdAt: at(20) }));
        await store.createJob(newJob(6, { tenantId: T2, createdAt: at(59) }));
        const sameOrder = [jobId(2), jobId(3)].sort().reverse();
        expect((await store.listJobs(T1)).map((j) => j.id)).toEqual([jobId(4), ...sameOrder, jobId(5), jobId(1)]);
        expect((await store.listJobs(T2)).map((j) => j.id)).toEqual([jobId(6)]);
      });

      it("filters the list by backup and by kind", async () => {
        await addFinished(newJob(1, { backupId: B1 }));
        await addFinished(newJob(2, { backupId: B2 }));
        await addFinished(newRecovery(3, { backupId: B1 }));
        await store.createJob(newRecovery(4, { backupId: B2 }));
        const ids = async (filter: Parameters<JobStore["listJobs"]>[1]) => (await store.listJobs(T1, filter)).map((j) => j.id);
        expect(await ids({ backupId: B1 })).toEqual([jobId(3), jobId(1)]);
        expect(await ids({ kind: "recovery" })).toEqual([jobId(4), jobId(3)]);
        expect(await ids({ backupId: B2, kind: "differenceReport" })).toEqual([jobId(2)]);
        expect(await ids({ backupId: "2020-01-01T00:00:00Z" })).toEqual([]);
        expect(await ids({})).toEqual([jobId(4), jobId(3), jobId(2), jobId(1)]);
      });
    });

    describe("one job at a time per tenant", () => {
      it("refuses a second job while the first has not ended, and leaves the first as it was", async () => {
        await store.createJob(newJob(1));
        await expect(store.createJob(newJob(2))).rejects.toBeInstanceOf(StoreConflictError);
        const running = await store.updateJob(changed(await current(T1, jobId(1)), { state: "running" }));
        await expect(store.createJob(newRecovery(3))).rejects.toBeInstanceOf(StoreConflictError);
        expect(await store.listJobs(T1)).toEqual([running.job]);
        expect(await store.getJob(T1, jobId(2))).toBeNull();
      });

      it("does not hold other tenants back", async () => {
        await store.createJob(newJob(1));
        await store.createJob(newJob(2, { tenantId: T2 }));
        await store.createJob(newJob(3, { tenantId: T3 }));
        await expect(store.createJob(newJob(4, { tenantId: T2 }))).rejects.toBeInstanceOf(StoreConflictError);
        expect((await store.listJobs(T2)).map((j) => j.id)).toEqual([jobId(2)]);
      });

      it.each([...TERMINAL_STATES])("frees the tenant once the job ends %s", async (state) => {
        await store.createJob(newJob(1));
        await store.updateJob(changed(await current(T1, jobId(1)), { state: "loadingData" }));
        await expect(store.createJob(newJob(2))).rejects.toBeInstanceOf(StoreConflictError);
        await finish(newJob(1), state);
        await store.createJob(newJob(2));
        await expect(store.createJob(newJob(3))).rejects.toBeInstanceOf(StoreConflictError);
        expect((await store.listJobs(T1)).map((j) => [j.id, j.state])).toEqual([
          [jobId(2), "queued"],
          [jobId(1), state],
        ]);
      });

      it("frees the tenant when its unfinished job is deleted", async () => {
        await store.createJob(newJob(1));
        await store.deleteJob(T1, jobId(1));
        await store.createJob(newJob(2));
        expect((await store.listJobs(T1)).map((j) => j.id)).toEqual([jobId(2)]);
      });

      it("still refuses after a refused update of the running job", async () => {
        await store.createJob(newJob(1));
        const stale = await current(T1, jobId(1));
        await store.updateJob(changed(stale, { state: "calculating" }));
        await expect(store.updateJob(changed(stale, { state: "failed", completedAt: at(9) }))).rejects.toBeInstanceOf(StoreConflictError);
        await expect(store.createJob(newJob(2))).rejects.toBeInstanceOf(StoreConflictError);
      });
    });

    describe("updates (compare-and-set)", () => {
      it("stores the job with the next version and returns it as stored", async () => {
        await store.createJob(newJob(1));
        const updated = await store.updateJob(record({ ...newJob(1), state: "loadingData", progress: { done: 5, total: 50, estimatedCompletionAt: at(40) } }, { attempts: 1 }));
        expect(updated).toEqual(record({ ...newJob(1), state: "loadingData", progress: { done: 5, total: 50, estimatedCompletionAt: at(40) } }, { attempts: 1, version: 1 }));
        expect(await store.getJob(T1, jobId(1))).toEqual(updated);
        const again = await store.updateJob(changed(updated, { state: "calculating" }));
        expect(again.run.version).toBe(2);
        expect((await current(T1, jobId(1))).job.state).toBe("calculating");
      });

      it("refuses a write from a stale read and keeps the newer one", async () => {
        await store.createJob(newJob(1));
        const readByA = await current(T1, jobId(1));
        const readByB = await current(T1, jobId(1));
        const byA = await store.updateJob({ ...readByA, run: { ...readByA.run, lease: { owner: "A", expiresAt: at(10) } } });
        await expect(store.updateJob({ ...readByB, run: { ...readByB.run, lease: { owner: "B", expiresAt: at(10) } } })).rejects.toBeInstanceOf(StoreConflictError);
        await expect(store.updateJob({ ...readByB, run: { ...readByB.run, version: 7 } })).rejects.toBeInstanceOf(StoreConflictError);
        expect(await store.getJob(T1, jobId(1))).toEqual(byA);
        expect(byA.run.lease?.owner).toBe("A");
      });

      it("drops optional fields the new version leaves out (a released lease)", async () => {
        await store.createJob(fullRecovery(1));
        await store.updateJob(record(fullRecovery(1), FULL_RUN));
        const stored = await current(T1, jobId(1));
        const { lease: _lease, ...run } = stored.run;
        const { error: _error, ...job } = stored.job;
        const updated = await store.updateJob({ job, run });
        expect(updated.run).not.toHaveProperty("lease");
        expect(updated.job).not.toHaveProperty("error");
        expect(await store.getJob(T1, jobId(1))).toEqual(updated);
      });

      it("fails with not-found for an unknown job, including another tenant's", async () => {
        await store.createJob(newJob(1));
        await expect(store.updateJob(record(newJob(2)))).rejects.toBeInstanceOf(StoreNotFoundError);
        await expect(store.updateJob(record(newJob(1, { tenantId: T2 })))).rejects.toBeInstanceOf(StoreNotFoundError);
        await expect(store.updateJob(record(newJob(1, { tenantId: T2, state: "failed" })))).rejects.toBeInstanceOf(StoreNotFoundError);
        expect(await store.getJob(T2, jobId(1))).toBeNull();
        expect((await current(T1, jobId(1))).run.version).toBe(0);
      });

      it("never lets a job leave a terminal state", async () => {
        await store.createJob(newJob(1));
        const ended = await finish(newJob(1), "failed", at(20));
        await expect(store.updateJob(changed(ended, { state: "running" }))).rejects.toBeInstanceOf(StoreConflictError);
        await expect(store.updateJob(changed(ended, { state: "succeeded" }))).rejects.toBeInstanceOf(StoreConflictError);
        await expect(store.updateJob(changed(ended, { error: "rewritten" }))).rejects.toBeInstanceOf(StoreConflictError);
        expect(await store.getJob(T1, jobId(1))).toEqual(ended);
        // And the refused updates did not take the tenant's slot back.
        await store.createJob(newJob(2));
      });
    });

    describe("cancel", () => {
      it("marks a running job without changing its version", async () => {
        await store.createJob(newJob(1));
        const running = await store.updateJob(record({ ...newJob(1), state: "running" }));
        const marked = await store.requestCancel(T1, jobId(1), APPROVER);
        expect(marked).toEqual(changed(running, { cancelRequested: true, cancelRequestedBy: APPROVER }));
        expect(await store.getJob(T1, jobId(1))).toEqual(marked);
      });

      it("keeps the mark through updates written from a read taken before it", async () => {
        await store.createJob(newJob(1));
        const runnerCopy = await store.updateJob(record({ ...newJob(1), state: "calculating" }));
        await store.requestCancel(T1, jobId(1), APPROVER);
        // The runner saves progress with its copy, which still says cancelRequested: false.
        const saved = await store.updateJob(changed(runnerCopy, { progress: { done: 9, total: 10, estimatedCompletionAt: null } }));
        expect(saved).toMatchObject({ job: { cancelRequested: true, cancelRequestedBy: APPROVER }, run: { version: runnerCopy.run.version + 1 } });
        expect((await current(T1, jobId(1))).job.progress.done).toBe(9);
        const canceled = await store.updateJob(changed(saved, { cancelRequested: false, state: "canceled", completedAt: at(30) }));
        expect(canceled.job).toMatchObject({ state: "canceled", cancelRequested: true, cancelRequestedBy: APPROVER });
      });

      it("is only set by requestCancel, not by an update", async () => {
        await store.createJob(newJob(1));
        const updated = await store.updateJob(record({ ...newJob(1), cancelRequested: true, cancelRequestedBy: ADMIN }));
        expect(updated.job.cancelRequested).toBe(false);
        expect(updated.job).not.toHaveProperty("cancelRequestedBy");
        expect((await current(T1, jobId(1))).job.cancelRequested).toBe(false);
      });

      it("keeps the first requester when asked twice", async () => {
        await store.createJob(newJob(1));
        await store.requestCancel(T1, jobId(1), APPROVER);
        const second = await store.requestCancel(T1, jobId(1), ADMIN);
        expect(second).toMatchObject({ job: { cancelRequested: true, cancelRequestedBy: APPROVER }, run: { version: 0 } });
      });

      it("leaves an ended job as it is", async () => {
        await store.createJob(newJob(1));
        const ended = await finish(newJob(1), "succeeded", at(10));
        expect(await store.requestCancel(T1, jobId(1), APPROVER)).toEqual(ended);
        expect(await store.getJob(T1, jobId(1))).toEqual(ended);
      });

      it("returns null for an unknown job, including another tenant's", async () => {
        await store.createJob(newJob(1));
        expect(await store.requestCancel(T1, jobId(2), APPROVER)).toBeNull();
        expect(await store.requestCancel(T2, jobId(1), APPROVER)).toBeNull();
        expect((await current(T1, jobId(1))).job.cancelRequested).toBe(false);
      });
    });

    describe("sweeps see one tenant only", () => {
      it("lists a tenant's unfinished jobs, oldest first, never another tenant's nor an ended one", async () => {
        await store.createJob(newJob(1));
        await store.updateJob(record({ ...newJob(1), state: "running", kind: "differenceReport" }));
        await store.createJob(newJob(2, { tenantId: T2 }));
        await addFinished(newJob(3, { tenantId: T3 }));
        await store.createJob(newRecovery(4, { tenantId: T3 }));
        const listed = async (tenantId: string) => (await store.listActiveJobs(tenantId)).map(({ job: j }) => `${j.tenantId}/${j.id}/${j.state}`);
        expect(await listed(T1)).toEqual([`${T1}/${jobId(1)}/running`]);
        expect(await listed(T2)).toEqual([`${T2}/${jobId(2)}/queued`]);
        expect(await listed(T3)).toEqual([`${T3}/${jobId(4)}/queued`]);
        expect(await store.listActiveJobs("c0ffee00-0000-4000-8000-0000000000ff")).toEqual([]);
        expect((await store.listActiveJobs(T3))[0]).toEqual(await current(T3, jobId(4)));
        await finish(newJob(1), "failed");
        await store.deleteJob(T3, jobId(4));
        expect(await store.listActiveJobs(T1)).toEqual([]);
        expect(await store.listActiveJobs(T3)).toEqual([]);
        expect((await store.listActiveJobs(T2)).map((r) => r.job.id)).toEqual([jobId(2)]);
      });

      it("lists a tenant's ended jobs completed strictly before a time, oldest first, never another tenant's", async () => {
        await addFinished(newJob(1), "succeeded", at(10));
        await addFinished(newJob(2), "failed", at(20));
        await addFinished(newJob(3, { tenantId: T2 }), "canceled", at(5));
        await addFinished(newJob(4, { tenantId: T2 }), "completedWithWarnings", at(30));
        await store.createJob(newJob(5, { tenantId: T3 })); // unfinished: never listed
        const listed = async (tenantId: string, before: string) => (await store.listJobsCompletedBefore(tenantId, before)).map((j) => `${j.tenantId}/${j.id}`);
        expect(await listed(T1, at(20))).toEqual([`${T1}/${jobId(1)}`]);
        expect(await listed(T1, at(21))).toEqual([`${T1}/${jobId(1)}`, `${T1}/${jobId(2)}`]);
        expect(await listed(T2, at(20))).toEqual([`${T2}/${jobId(3)}`]);
        expect(await listed(T2, at(999))).toEqual([`${T2}/${jobId(3)}`, `${T2}/${jobId(4)}`]);
        expect(await listed(T1, at(5))).toEqual([]);
        expect(await listed(T3, at(999))).toEqual([]);
        await store.deleteJob(T1, jobId(1));
        expect(await listed(T1, at(20))).toEqual([]);
        expect(await listed(T2, at(20))).toEqual([`${T2}/${jobId(3)}`]);
        await expect(store.listJobsCompletedBefore(T1, "last week")).rejects.toThrow();
      });
    });

    describe("deleting a job", () => {
      it("removes the job with its changes and outcomes; a new job with its id starts empty", async () => {
        await store.createJob(newRecovery(1));
        await store.putChanges(T1, jobId(1), MIXED);
        await store.putOutcomes(T1, jobId(1), [outcome(1, "restore", "failed", "gone"), outcome(2, "update", "applied")]);
        await store.deleteJob(T1, jobId(1));
        expect(await store.getJob(T1, jobId(1))).toBeNull();
        expect(await store.listJobs(T1)).toEqual([]);
        expect(await store.readChanges(T1, jobId(1), { limit: 10 })).toEqual([]);
        expect(await store.readOutcomes(T1, jobId(1), 0, 1000)).toEqual([]);
        expect(await store.failedSeqs(T1, jobId(1), 0, 10)).toEqual([]);

        await store.createJob(newRecovery(1));
        expect(await store.readChanges(T1, jobId(1), { limit: 10 })).toEqual([]);
        expect(await store.getChanges(T1, jobId(1), [1, 2])).toEqual([]);
        expect(await store.readOutcomes(T1, jobId(1), 0, 1000)).toEqual([]);
      });

      it("does nothing for an unknown job or another tenant's", async () => {
        await addFinished(newJob(1));
        await store.putChanges(T1, jobId(1), MIXED.slice(0, 3));
        await store.deleteJob(T1, jobId(2));
        await store.deleteJob(T2, jobId(1));
        expect(await store.getJob(T1, jobId(1))).not.toBeNull();
        expect(await store.readChanges(T1, jobId(1), { limit: 10 })).toEqual(MIXED.slice(0, 3));
      });

      it("leaves the other jobs' changes alone", async () => {
        await addFinished(newJob(1));
        await store.createJob(newJob(2));
        await store.putChanges(T1, jobId(1), MIXED);
        await store.putChanges(T1, jobId(2), MIXED.slice(0, 5));
        await store.deleteJob(T1, jobId(1));
        expect(await store.readChanges(T1, jobId(2), { limit: 100 })).toEqual(MIXED.slice(0, 5));
      });
    });

    describe("changes", () => {
      beforeEach(async () => {
        await store.createJob(newJob(1));
      });

      it("reads changes back in seq order, whatever order they were written in", async () => {
        const shuffled = [...MIXED].sort((a, b) => ((a.seq * 37) % 91) - ((b.seq * 37) % 91));
        await store.putChanges(T1, jobId(1), shuffled.slice(0, 40));
        await store.putChanges(T1, jobId(1), shuffled.slice(40));
        expect(await store.readChanges(T1, jobId(1), { limit: 1000 })).toEqual(MIXED);
      });

      it("round-trips every field of a change, values of any JSON shape included", async () => {
        const rich: Change[] = [
          change(1, "user", "update", {
            displayName: null,
            deltaFromCurrent: {
              properties: [
                { name: "employeeOrgData", backupValue: { division: "A", costCenter: null }, currentValue: null },
                { name: "businessPhones", backupValue: ["+31 20 1234567"], currentValue: [] },
                { name: "accountEnabled", backupValue: true, currentValue: false },
                { name: "mobilePhone", backupValue: null, currentValue: "+31 6 0" },
              ],
              links: [
                { link: "members", toAdd: [guid(7), guid(8)], toRemove: [guid(9)], names: { [guid(7)]: "Ada Admin", [guid(9)]: "Ünïcödé ✓ \"quoted\"" } },
                { link: "owners", toAdd: [guid(10)], toRemove: [] },
              ],
            },
          }),
          change(2, "group", "restore", {
            currentState: "hardDeleted",
            recoverable: false,
            notRecoverableReason: "hardDeleted",
            notRecoverableDetail: "Deleted for good; recreate it by hand.",
            incomingLinks: [
              { type: "group", id: guid(11), link: "members", name: "Finance Approvers" },
              { type: "user", id: guid(12), link: "manager" },
            ],
          }),
          change(3, "conditionalAccessPolicy", "softDelete", { displayName: "Ünïcödé ✓ \"quoted\" \\ back", sensitive: ["Turns a Conditional Access policy off.", "Changes whom and what a Conditional Access policy applies to."] }),
        ];
        await store.putChanges(T1, jobId(1), rich);
        expect(await store.readChanges(T1, jobId(1), { limit: 10 })).toEqual(rich);
        expect(await store.getChanges(T1, jobId(1), [2])).toEqual([rich[1]]);
      });

      it("pages with a cursor, each change exactly once", async () => {
        await store.putChanges(T1, jobId(1), MIXED);
        for (const limit of [1, 7, 30, 90, 500]) {
          const pages = await readAllPages(T1, jobId(1), { limit });
          expect(pages.every((p) => p.length <= limit)).toBe(true);
          expect(pages.flat()).toEqual(MIXED);
        }
        expect(await store.readChanges(T1, jobId(1), { afterSeq: 88, limit: 10 })).toEqual(MIXED.slice(88));
        expect(await store.readChanges(T1, jobId(1), { afterSeq: 90, limit: 10 })).toEqual([]);
      });

      it("finds the n-th change a filter allows without reading the ones before it", async () => {
        await store.putChanges(T1, jobId(1), MIXED);
        const queries: Array<Pick<ChangeQuery, "types" | "actions" | "afterSeq">> = [
          {},
          { afterSeq: 40 },
          { types: ["user"] },
          { actions: ["softDelete"], afterSeq: 10 },
          { types: ["user", "application", "namedLocation"], actions: ["update", "restore"] },
        ];
        for (const q of queries) {
          const allowed = MIXED.filter(
            (c) => c.seq > (q.afterSeq ?? 0) && (!q.types || q.types.includes(c.entityTypeName)) && (!q.actions || q.actions.includes(c.recoveryAction)),
          );
          for (const n of [1, 2, allowed.length]) expect(await store.nthChangeSeq(T1, jobId(1), q, n)).toBe(allowed[n - 1]!.seq);
          expect(await store.nthChangeSeq(T1, jobId(1), q, allowed.length + 1)).toBeNull();
        }
        expect(await store.nthChangeSeq(T1, jobId(9), {}, 1)).toBeNull();
        expect(await store.nthChangeSeq(T2, jobId(1), {}, 1)).toBeNull();
      });

      it("filters by type and by action, across pages", async () => {
        await store.putChanges(T1, jobId(1), MIXED);
        const queries: Array<Pick<ChangeQuery, "types" | "actions">> = [
          { types: ["user"] },
          { types: ["group", "servicePrincipal"] },
          { actions: ["softDelete"] },
          { actions: ["restore", "update"] },
          { types: ["user", "application", "namedLocation"], actions: ["update"] },
          { types: ["authorizationPolicy"], actions: ["restore", "softDelete"] },
          { types: [...OBJECT_TYPES], actions: [...RECOVERY_ACTIONS] },
        ];
        for (const q of queries) {
          const expected = MIXED.filter((c) => (!q.types || q.types.includes(c.entityTypeName)) && (!q.actions || q.actions.includes(c.recoveryAction)));
          expect(expected.length).toBeGreaterThan(0);
          for (const limit of [1, 4, 100]) {
            const pages = await readAllPages(T1, jobId(1), { ...q, limit });
            expect(pages.every((p) => p.length <= limit)).toBe(true);
            expect(pages.flat()).toEqual(expected);
          }
        }
      });

      it("reads nothing for a filter nothing matches, and everything for empty filter lists", async () => {
        await store.putChanges(T1, jobId(1), [change(1, "user", "update"), change(2, "group", "restore")]);
        expect(await store.readChanges(T1, jobId(1), { types: ["namedLocation"], limit: 10 })).toEqual([]);
        expect(await store.readChanges(T1, jobId(1), { types: ["user"], actions: ["restore"], limit: 10 })).toEqual([]);
        expect(await store.readChanges(T1, jobId(1), { types: [], actions: [], limit: 10 })).toHaveLength(2);
      });

      it("upserts by seq: a replayed batch changes nothing, a rewritten change replaces the old one", async () => {
        await store.putChanges(T1, jobId(1), MIXED.slice(0, 50));
        await store.putChanges(T1, jobId(1), MIXED.slice(0, 50));
        await store.putChanges(T1, jobId(1), MIXED.slice(40));
        expect(await store.readChanges(T1, jobId(1), { limit: 1000 })).toEqual(MIXED);

        const rewritten = change(10, "namedLocation", "softDelete", { displayName: "rewritten" });
        const before = MIXED[9]!;
        expect(before.entityTypeName).not.toBe("namedLocation");
        await store.putChanges(T1, jobId(1), [rewritten]);
        const all = await store.readChanges(T1, jobId(1), { limit: 1000 });
        expect(all).toHaveLength(90);
        expect(all[9]).toEqual(rewritten);
        // The filters follow the rewrite.
        expect(await store.readChanges(T1, jobId(1), { types: [before.entityTypeName], actions: [before.recoveryAction], limit: 1000 })).not.toContainEqual(
          expect.objectContaining({ seq: 10 }),
        );
        expect(await store.readChanges(T1, jobId(1), { types: ["namedLocation"], actions: ["softDelete"], limit: 1000 })).toContainEqual(rewritten);
      });

      it("gets changes by seq, sorted, leaving out the missing ones", async () => {
        await store.putChanges(T1, jobId(1), MIXED);
        expect(await store.getChanges(T1, jobId(1), [42, 3, 999, 17, 3, 0])).toEqual([MIXED[2], MIXED[16], MIXED[41]]);
        expect(await store.getChanges(T1, jobId(1), [])).toEqual([]);
      });

      it("clears a job's changes and outcomes, and takes new ones afterwards", async () => {
        await store.putChanges(T1, jobId(1), MIXED);
        await store.putOutcomes(T1, jobId(1), [outcome(1, "restore", "failed", "no")]);
        await store.clearChanges(T1, jobId(1));
        expect(await store.readChanges(T1, jobId(1), { limit: 1000 })).toEqual([]);
        expect(await store.getChanges(T1, jobId(1), [1, 2, 3])).toEqual([]);
        expect(await store.readOutcomes(T1, jobId(1), 0, 1000)).toEqual([]);
        expect(await store.failedSeqs(T1, jobId(1), 0, 10)).toEqual([]);
        expect(await store.getJob(T1, jobId(1))).not.toBeNull();
        await store.putChanges(T1, jobId(1), MIXED.slice(0, 2));
        expect(await store.readChanges(T1, jobId(1), { limit: 1000 })).toEqual(MIXED.slice(0, 2));
        await store.clearChanges(T1, jobId(2)); // unknown: nothing to clear
      });

      it("keeps changes to their own job and tenant", async () => {
        await store.createJob(newJob(1, { tenantId: T2 }));
        await store.putChanges(T1, jobId(1), MIXED.slice(0, 10));
        await store.putChanges(T2, jobId(1), MIXED.slice(10, 12));
        expect(await store.readChanges(T2, jobId(1), { limit: 100 })).toEqual(MIXED.slice(10, 12));
        expect(await store.getChanges(T2, jobId(1), [1, 2, 11])).toEqual([MIXED[10]]);
        expect(await store.readChanges(T3, jobId(1), { limit: 100 })).toEqual([]);
        await store.clearChanges(T2, jobId(1));
        expect(await store.readChanges(T1, jobId(1), { limit: 100 })).toEqual(MIXED.slice(0, 10));
      });

      it("refuses changes for a job the tenant does not have", async () => {
        await expect(store.putChanges(T1, jobId(2), MIXED.slice(0, 1))).rejects.toBeInstanceOf(StoreNotFoundError);
        await expect(store.putChanges(T2, jobId(1), MIXED.slice(0, 1))).rejects.toBeInstanceOf(StoreNotFoundError);
        expect(await store.readChanges(T1, jobId(1), { limit: 10 })).toEqual([]);
      });
    });

    describe("recovery outcomes", () => {
      beforeEach(async () => {
        await store.createJob(newRecovery(1));
      });

      it("reads outcomes in (seq, step) order, steps in the order a recovery runs them", async () => {
        const steps = [...RECOVERY_STEPS].reverse();
        const written = [3, 1, 2].flatMap((seq) => steps.map((step) => outcome(seq, step, "applied")));
        await store.putOutcomes(T1, jobId(1), written);
        const expected = [1, 2, 3].flatMap((seq) => RECOVERY_STEPS.map((step) => outcome(seq, step, "applied")));
        expect(await store.readOutcomes(T1, jobId(1), 1, 3)).toEqual(expected);
        expect(await store.readOutcomes(T1, jobId(1), 2, 2)).toEqual(expected.filter((o) => o.seq === 2));
        expect(await store.readOutcomes(T1, jobId(1), 3, 100)).toEqual(expected.filter((o) => o.seq === 3));
        expect(await store.readOutcomes(T1, jobId(1), 4, 100)).toEqual([]);
      });

      it("upserts by (seq, step): in flight, then its result", async () => {
        await store.putOutcomes(T1, jobId(1), [outcome(5, "update", "inFlight"), outcome(5, "links", "failed", "Request_ResourceNotFound")]);
        await store.putOutcomes(T1, jobId(1), [outcome(5, "update", "applied"), outcome(5, "links", "applied")]);
        expect(await store.readOutcomes(T1, jobId(1), 0, 10)).toEqual([outcome(5, "update", "applied"), outcome(5, "links", "applied")]);
        await store.putOutcomes(T1, jobId(1), [outcome(5, "links", "skipped", "changed since the report")]);
        expect(await store.readOutcomes(T1, jobId(1), 5, 5)).toEqual([outcome(5, "update", "applied"), outcome(5, "links", "skipped", "changed since the report")]);
      });

      it("lists the seqs with a failed step once each, ascending, after a cursor", async () => {
        await store.putOutcomes(T1, jobId(1), [
          outcome(9, "links", "failed", "x"),
          outcome(9, "update", "failed", "y"),
          outcome(2, "restore", "failed", "z"),
          outcome(4, "update", "applied"),
          outcome(5, "softDelete", "skipped", "changed"),
          outcome(7, "update", "inFlight"),
          outcome(12, "softDelete", "failed", "w"),
          outcome(20, "links", "failed", "v"),
        ]);
        expect(await store.failedSeqs(T1, jobId(1), 0, 100)).toEqual([2, 9, 12, 20]);
        expect(await store.failedSeqs(T1, jobId(1), 2, 2)).toEqual([9, 12]);
        expect(await store.failedSeqs(T1, jobId(1), 12, 100)).toEqual([20]);
        expect(await store.failedSeqs(T1, jobId(1), 20, 100)).toEqual([]);
        // A retried step that then applied no longer counts as failed.
        await store.putOutcomes(T1, jobId(1), [outcome(2, "restore", "applied"), outcome(9, "links", "applied")]);
        expect(await store.failedSeqs(T1, jobId(1), 0, 100)).toEqual([9, 12, 20]);
      });

      it("keeps outcomes to their own job and tenant", async () => {
        await store.putOutcomes(T1, jobId(1), [outcome(1, "update", "failed", "x")]);
        expect(await store.readOutcomes(T2, jobId(1), 0, 10)).toEqual([]);
        expect(await store.failedSeqs(T2, jobId(1), 0, 10)).toEqual([]);
        await expect(store.putOutcomes(T2, jobId(1), [outcome(1, "update", "applied")])).rejects.toBeInstanceOf(StoreNotFoundError);
        await expect(store.putOutcomes(T1, jobId(2), [outcome(1, "update", "applied")])).rejects.toBeInstanceOf(StoreNotFoundError);
        expect(await store.readOutcomes(T1, jobId(1), 0, 10)).toEqual([outcome(1, "update", "failed", "x")]);
      });
    });

    describe("recovery requests", () => {
      it("reads a request back as written; refuses a taken id", async () => {
        const full = request(1, { scope: { types: ["user"], objects: [{ type: "user", ids: [guid(1)] }] } });
        await store.createRecoveryRequest(full);
        expect(await store.getRecoveryRequest(T1, full.id)).toEqual(full);
        await expect(store.createRecoveryRequest(request(1, { reportId: "other" }))).rejects.toBeInstanceOf(StoreConflictError);
        expect(await store.getRecoveryRequest(T1, full.id)).toEqual(full);
        expect(await store.getRecoveryRequest(T1, request(2).id)).toBeNull();
        expect(await store.getRecoveryRequest(T2, full.id)).toBeNull();
      });

      it("lists a tenant's requests newest first, or only the pending ones", async () => {
        await store.createRecoveryRequest(request(1));
        await store.createRecoveryRequest(request(3, { state: "rejected", decidedBy: APPROVER, decidedAt: at(4), reason: "not now" }));
        await store.createRecoveryRequest(request(2));
        await store.createRecoveryRequest(request(4, { tenantId: T2 }));
        expect((await store.listRecoveryRequests(T1)).map((r) => r.id)).toEqual([request(3).id, request(2).id, request(1).id]);
        expect((await store.listRecoveryRequests(T1, { pendingOnly: true })).map((r) => r.id)).toEqual([request(2).id, request(1).id]);
        expect((await store.listRecoveryRequests(T1, { pendingOnly: false })).map((r) => r.id)).toHaveLength(3);
        expect(await store.listRecoveryRequests(T2)).toEqual([request(4, { tenantId: T2 })]);
        expect(await store.listRecoveryRequests(T3)).toEqual([]);
      });

      it("updates with compare-and-set on the version", async () => {
        await store.createRecoveryRequest(request(1));
        const read = (await store.getRecoveryRequest(T1, request(1).id))!;
        const approved = await store.updateRecoveryRequest({ ...read, state: "approved", decidedBy: APPROVER, decidedAt: at(9), recoveryJobId: jobId(2) });
        expect(approved).toEqual({ ...read, state: "approved", decidedBy: APPROVER, decidedAt: at(9), recoveryJobId: jobId(2), version: 1 });
        expect(await store.getRecoveryRequest(T1, read.id)).toEqual(approved);
        await expect(store.updateRecoveryRequest({ ...read, state: "withdrawn" })).rejects.toBeInstanceOf(StoreConflictError);
        expect(await store.getRecoveryRequest(T1, read.id)).toEqual(approved);
        expect(await store.listRecoveryRequests(T1, { pendingOnly: true })).toEqual([]);
        await expect(store.updateRecoveryRequest(request(2))).rejects.toBeInstanceOf(StoreNotFoundError);
        await expect(store.updateRecoveryRequest({ ...approved, tenantId: T2 })).rejects.toBeInstanceOf(StoreNotFoundError);
      });
    });

    describe("audit", () => {
      it("lists a tenant's entries newest first, with their details", async () => {
        const entries = [
          audit(T1, 1, { action: "backupTaken", target: B1, actor: "system", details: { users: 120, scheduled: true, note: null, kind: "daily" } }),
          audit(T1, 3, { action: "recoveryRequested" }),
          audit(T2, 2),
          audit(T1, 2, { action: "changeFailed", target: `user/${guid(5)}`, details: { message: "Insufficient privileges" } }),
        ];
        await store.appendAudit(entries);
        expect(await store.listAudit(T1, { limit: 10 })).toEqual([entries[1], entries[3], entries[0]]);
        expect(await store.listAudit(T2, { limit: 10 })).toEqual([entries[2]]);
        expect(await store.listAudit(T3, { limit: 10 })).toEqual([]);
        await store.appendAudit([]);
        expect(await store.listAudit(T1, { limit: 10 })).toHaveLength(3);
      });

      it("lists from a time on (inclusive), at most `limit` entries", async () => {
        await store.appendAudit([1, 2, 3, 4, 5].map((m) => audit(T1, m)));
        await store.appendAudit([audit(T1, 6)]);
        const minutes = (list: AuditEntry[]) => list.map((e) => new Date(e.at).getUTCMinutes());
        expect(minutes(await store.listAudit(T1, { since: at(3), limit: 10 }))).toEqual([6, 5, 4, 3]);
        expect(minutes(await store.listAudit(T1, { since: at(3), limit: 2 }))).toEqual([6, 5]);
        expect(minutes(await store.listAudit(T1, { limit: 3 }))).toEqual([6, 5, 4]);
        expect(await store.listAudit(T1, { since: at(7), limit: 10 })).toEqual([]);
      });

      it("purges one tenant's entries older than a time, says how many, and leaves every other tenant's", async () => {
        await store.appendAudit([audit(T1, 1), audit(T1, 2), audit(T1, 3), audit(T2, 1), audit(T2, 4)]);
        expect(await store.purgeAudit(T1, at(3))).toBe(2);
        expect((await store.listAudit(T1, { limit: 10 })).map((e) => e.at)).toEqual([at(3)]);
        expect((await store.listAudit(T2, { limit: 10 })).map((e) => e.at)).toEqual([at(4), at(1)]);
        expect(await store.purgeAudit(T1, at(3))).toBe(0);
        expect(await store.purgeAudit(T3, at(999))).toBe(0);
        expect(await store.listAudit(T2, { limit: 10 })).toHaveLength(2);
        expect(await store.purgeAudit(T2, at(3))).toBe(1);
        expect((await store.listAudit(T2, { limit: 10 })).map((e) => e.at)).toEqual([at(4)]);
        expect((await store.listAudit(T1, { limit: 10 })).map((e) => e.at)).toEqual([at(3)]);
        await expect(store.purgeAudit(T1, "last year")).rejects.toThrow();
      });
    });
  });
}
