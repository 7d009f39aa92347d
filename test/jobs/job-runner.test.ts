import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { systemClock } from "../../core/system-clock";
import type { EngineDeps, JobAttempt, JobHandler, JobResult } from "../../core/jobs/job-handler";
import { JobRunner, type JobRunnerOptions } from "../../core/jobs/job-runner";
import { DirectoryError } from "../../core/model/directory-error";
import { isTerminal, type Job, type JobKind, type ReportJob } from "../../core/model/job";
import type { JobRecord, JobRun } from "../../core/model/job-record";
import type { Directory } from "../../core/ports";
import { SqliteStore } from "../../core/store/sqlite/sqlite-store";

const TENANT = "7e7e7e7e-0000-4000-8000-000000000001";
const OTHER_TENANT = "7e7e7e7e-0000-4000-8000-0000000000b2";
const FAST: JobRunnerOptions = { leaseMs: 600, heartbeatMs: 50, pollMs: 100, retryAfterMs: 100 };
const log = pino({ level: "silent" });

function newJob(kind: JobKind = "differenceReport", extra: Partial<Omit<ReportJob, "kind">> = {}): Job {
  const job = {
    tenantId: TENANT,
    id: randomUUID(),
    backupId: "2026-11-25T02:00:00Z",
    state: "queued" as const,
    scope: {},
    requestedBy: "someone",
    createdAt: new Date().toISOString(),
    progress: { done: 0, total: null, estimatedCompletionAt: null },
    cancelRequested: false,
    ...extra,
  };
  return kind === "recovery" ? { ...job, kind, reportId: randomUUID(), approvedBy: "approver", recoveryRequestId: randomUUID() } : { ...job, kind };
}

/** A job and its run as one object, as the assertions below read them. */
type Seen = Job & JobRun;

/** A job as a process that died left it: created, then its run (attempts, resume point, lease) written. */
async function leftBehind(store: SqliteStore, job: Job, run: Omit<JobRun, "version">): Promise<JobRecord> {
  await store.createJob(job);
  return store.updateJob({ job, run: { ...run, version: 0 } });
}

/** A handler the test scripts: each attempt runs the next function given. */
class ScriptedHandler implements JobHandler {
  readonly attempts: JobAttempt[] = [];
  constructor(private readonly script: Array<(attempt: JobAttempt) => Promise<JobResult>>) {}
  run(attempt: JobAttempt): Promise<JobResult> {
    this.attempts.push(attempt);
    const step = this.script[Math.min(this.attempts.length, this.script.length) - 1]!;
    return step(attempt);
  }
}

const untilAborted = (attempt: JobAttempt): Promise<never> =>
  new Promise((_, reject) => attempt.signal.addEventListener("abort", () => reject(new Error("stopped")), { once: true }));

describe("JobRunner", () => {
  let dir: string;
  let store: SqliteStore;
  let deps: EngineDeps;
  const runners: JobRunner[] = [];
  const runner = (handler: JobHandler, options: JobRunnerOptions = FAST, tenantId = TENANT, on: EngineDeps = deps): JobRunner => {
    const r = new JobRunner(on, tenantId, { differenceReport: handler, recovery: handler }, options);
    runners.push(r);
    return r;
  };
  async function waitFor(jobId: string, done: (j: Seen) => boolean = (j) => isTerminal(j.state), ms = 10_000, tenantId = TENANT): Promise<Seen> {
    const until = Date.now() + ms;
    for (;;) {
      const stored = await store.getJob(tenantId, jobId);
      const job = stored && { ...stored.job, ...stored.run };
      if (job && done(job)) return job;
      if (Date.now() > until) throw new Error(`job ${jobId} is still ${job?.state}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "rewind-runner-"));
    store = SqliteStore.open({ file: path.join(dir, "rewind.db") });
    deps = { directory: {} as Directory, store, clock: systemClock, log };
  });
  afterEach(async () => {
    for (const r of runners.splice(0)) await r.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs a submitted job through its states, saving progress with an estimated end", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const handler = new ScriptedHandler([
      async (attempt) => {
        attempt.signal.addEventListener("abort", () => release()); // a failed assertion must not leave it hanging
        await attempt.enter("loadingData", 100);
        attempt.progress(25);
        await gate;
        return { state: "succeeded", summary: { total: 3, notRecoverable: 0, byType: { user: { update: 3 } }, links: 0 } };
      },
    ]);
    const r = runner(handler);
    await r.start();
    const job = newJob();
    r.submit(await store.createJob(job));
    const working = await waitFor(job.id, (j) => j.progress.done === 25);
    expect(working.state).toBe("loadingData");
    expect(working.progress.total).toBe(100);
    expect(Date.parse(working.progress.estimatedCompletionAt ?? "")).toBeGreaterThan(Date.now() - 1000);
    expect(working.lease).toBeDefined();
    release();
    const done = await waitFor(job.id);
    expect(done).toMatchObject({ state: "succeeded", attempts: 1, summary: { total: 3 }, progress: { done: 100, total: 100 } });
    expect(done.lease).toBeUndefined();
    expect(done.completedAt).toBeDefined();
    expect((await store.listAudit(TENANT, { limit: 10 })).map((a) => a.action)).toEqual(["jobFinished"]);
  });

  it("stops a job at its next safe point when cancel is asked, and a canceled report keeps no changes", async () => {
    const handler = new ScriptedHandler([
      async (attempt) => {
        await attempt.enter("calculating", 10);
        await store.putChanges(TENANT, attempt.job.id, [
          { seq: 1, id: "u1", entityTypeName: "user", displayName: "U", recoveryAction: "update", deltaFromCurrent: { properties: [], links: [] }, currentState: "active", recoverable: true },
        ]);
        return untilAborted(attempt);
      },
    ]);
    const r = runner(handler);
    await r.start();
    const job = newJob();
    r.submit(await store.createJob(job));
    await waitFor(job.id, (j) => j.state === "calculating");
    expect((await store.requestCancel(TENANT, job.id, "ada"))?.job.cancelRequested).toBe(true);
    const done = await waitFor(job.id);
    expect(done).toMatchObject({ state: "canceled", cancelRequested: true, cancelRequestedBy: "ada" });
    expect(await store.readChanges(TENANT, job.id, { limit: 10 })).toEqual([]);
  });

  it("resumes a job whose process died once its lease lapses, and leaves a fresh lease alone", async () => {
    const fresh = newJob("recovery", { state: "running" });
    await leftBehind(store, fresh, { attempts: 1, lease: { owner: "alive", expiresAt: new Date(Date.now() + 800).toISOString() } });
    const handler = new ScriptedHandler([async () => ({ state: "completedWithWarnings", outcomes: { total: 2, applied: 1, failed: 1, skipped: 0 } })]);
    const r = runner(handler);
    await r.start();
    await new Promise((res) => setTimeout(res, 300));
    expect(handler.attempts).toHaveLength(0);
    const done = await waitFor(fresh.id);
    expect(done).toMatchObject({ state: "completedWithWarnings", attempts: 2 });
    expect(handler.attempts[0]!.resumed).toBe(true);
  });

  it("closes as failed a job that keeps dying, and one whose handler fails, with the reason", async () => {
    // Its last three attempts each found it where the one before had: no progress between them.
    const dying = newJob("recovery", { state: "running", progress: { done: 40, total: 100, estimatedCompletionAt: null } });
    await leftBehind(store, dying, {
      attempts: 3,
      resume: { state: "running", done: 40, stalls: 2 },
      lease: { owner: "dead", expiresAt: new Date(Date.now() - 1).toISOString() },
    });
    const handler = new ScriptedHandler([async () => Promise.reject(new DirectoryError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."))]);
    const r = runner(handler);
    await r.start();
    const failed = await waitFor(dying.id);
    expect(failed.state).toBe("failed");
    expect(failed.error).toMatch(/stopped 3 times in a row without making progress/);
    expect(handler.attempts).toHaveLength(0);

    const job = newJob();
    r.submit(await store.createJob(job));
    expect((await waitFor(job.id)).error).toBe("Microsoft Graph answered 403 (Authorization_RequestDenied): Insufficient privileges to complete the operation.");
  });

  it("resumes a job killed many times as long as each attempt moved it on (rolling restarts of a long recovery)", async () => {
    // Six attempts already, the last of which advanced the job from 40 to 55 before its process died.
    const restarted = newJob("recovery", { state: "running", progress: { done: 55, total: 100, estimatedCompletionAt: null } });
    await leftBehind(store, restarted, {
      attempts: 6,
      resume: { state: "running", done: 40, stalls: 0 },
      lease: { owner: "dead", expiresAt: new Date(Date.now() - 1).toISOString() },
    });
    const handler = new ScriptedHandler([async () => ({ state: "succeeded" })]);
    await runner(handler).start();
    expect(await waitFor(restarted.id)).toMatchObject({ state: "succeeded", attempts: 7, resume: { state: "running", done: 55, stalls: 0 } });
  });

  it("tries again after a Graph outage instead of failing the job", async () => {
    const handler = new ScriptedHandler([
      async () => Promise.reject(new DirectoryError(503, "serviceUnavailable", "Service unavailable")),
      async () => ({ state: "succeeded" }),
    ]);
    const r = runner(handler);
    await r.start();
    const job = newJob();
    r.submit(await store.createJob(job));
    expect(await waitFor(job.id)).toMatchObject({ state: "succeeded", attempts: 2 });
  });

  it("runs a job once when two runners (processes) reach for it together", async () => {
    let runs = 0;
    const handler = new ScriptedHandler([
      async () => {
        runs++;
        await new Promise((res) => setTimeout(res, 200));
        return { state: "succeeded" };
      },
    ]);
    const a = runner(handler);
    const b = runner(handler);
    const job = await store.createJob(newJob());
    await Promise.all([a.start(), b.start()]);
    a.submit(job);
    b.submit(job);
    expect((await waitFor(job.job.id)).attempts).toBe(1);
    expect(runs).toBe(1);
  });

  it("leaves a job for the next process when it stops, without closing it, and releases its lease so that process need not wait", async () => {
    const handler = new ScriptedHandler([async (attempt) => untilAborted(attempt), async () => ({ state: "succeeded" })]);
    // A minute's lease: without the release the next process would wait that long.
    const LONG: JobRunnerOptions = { ...FAST, leaseMs: 60_000 };
    const first = runner(handler, LONG);
    await first.start();
    const job = newJob();
    first.submit(await store.createJob(job));
    await waitFor(job.id, (j) => j.attempts === 1 && j.lease !== undefined);
    await first.stop();
    const left = await store.getJob(TENANT, job.id);
    expect(left?.job.state).toBe("queued");
    expect(Date.parse(left?.run.lease?.expiresAt ?? "")).toBeLessThanOrEqual(Date.now());
    const second = runner(handler, LONG);
    await second.start();
    expect(await waitFor(job.id, undefined, 5_000)).toMatchObject({ state: "succeeded", attempts: 2 });
  });

  it("never claims another tenant's job, neither from its poll nor when handed one", async () => {
    const handler = new ScriptedHandler([async () => ({ state: "succeeded" })]);
    const foreign = newJob("recovery", { tenantId: OTHER_TENANT });
    const foreignRecord = await store.createJob(foreign);
    // A job of the other tenant whose process died: its lease lapsed long ago.
    const abandoned = newJob("differenceReport", { tenantId: OTHER_TENANT, id: randomUUID(), state: "running" });
    const mine = runner(handler);
    await mine.start();
    mine.submit(foreignRecord);
    await new Promise((res) => setTimeout(res, 500)); // several polls
    expect(handler.attempts).toHaveLength(0);
    expect(await store.getJob(OTHER_TENANT, foreign.id)).toMatchObject({ job: { state: "queued" }, run: { attempts: 0 } });
    expect((await store.getJob(OTHER_TENANT, foreign.id))?.run.lease).toBeUndefined();
    await store.deleteJob(OTHER_TENANT, foreign.id);
    await leftBehind(store, abandoned, { attempts: 1, lease: { owner: "dead", expiresAt: new Date(Date.now() - 60_000).toISOString() } });
    await new Promise((res) => setTimeout(res, 500));
    expect(handler.attempts).toHaveLength(0);
    expect(await store.getJob(OTHER_TENANT, abandoned.id)).toMatchObject({ job: { state: "running" }, run: { attempts: 1, lease: { owner: "dead" } } });
    // The other tenant's own runner runs it.
    const theirs = runner(handler, FAST, OTHER_TENANT);
    await theirs.start();
    expect(await waitFor(abandoned.id, undefined, 10_000, OTHER_TENANT)).toMatchObject({ state: "succeeded", attempts: 2 });
    expect(handler.attempts.map((a) => a.job.tenantId)).toEqual([OTHER_TENANT]);
  });

  it("stops writing for a job once its lease lapses (renewals failing), ends the attempt like a lost lease, and another attempt finishes it", async () => {
    let failing = false;
    const flaky: EngineDeps = {
      ...deps,
      store: new Proxy(store, {
        get(target, name, receiver) {
          if (name === "updateJob" && failing) return () => Promise.reject(new Error("the store is unreachable"));
          const value: unknown = Reflect.get(target, name, receiver);
          return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      }),
    };
    const writes: number[] = [];
    let stoppedAt = 0;
    const handler = new ScriptedHandler([
      async (attempt) => {
        await attempt.enter("running", null);
        failing = true; // from now on every renewal fails
        try {
          for (;;) {
            attempt.signal.throwIfAborted(); // only so that a runner without the check still stops when the test ends
            attempt.assertLease();
            writes.push(Date.now()); // a write this process makes while it may
            await new Promise((res) => setTimeout(res, 10));
          }
        } finally {
          stoppedAt = Date.now();
          failing = false;
        }
      },
      async () => ({ state: "succeeded" }),
    ]);
    const r = runner(handler, FAST, TENANT, flaky);
    await r.start();
    const job = newJob("recovery");
    r.submit(await store.createJob(job));
    const claimed = await waitFor(job.id, (j) => j.state === "running");
    const leaseEnd = Date.parse(claimed.lease!.expiresAt);
    const done = await waitFor(job.id);
    // No write came after the lease (less its margin) ended; the attempt wrote no end of its own: the next one did.
    expect(writes.length).toBeGreaterThan(0);
    expect(Math.max(...writes)).toBeLessThan(leaseEnd);
    expect(stoppedAt).toBeLessThan(leaseEnd);
    expect(done).toMatchObject({ state: "succeeded", attempts: 2 });
    expect(handler.attempts).toHaveLength(2);
  });

  it("closes a job whose handler hit an internal error with a reference, never the error's text, and logs the detail under it", async () => {
    const lines: string[] = [];
    const logged: EngineDeps = { ...deps, log: pino({ level: "info" }, { write: (line: string) => void lines.push(line) }) };
    const secret = "SQLITE_ERROR: no such column: secret_token near \"SELECT * FROM jobs WHERE tk = 7\" (/srv/rewind/data/rewind.db)";
    const handler = new ScriptedHandler([async () => Promise.reject(new Error(secret))]);
    const r = runner(handler, FAST, TENANT, logged);
    await r.start();
    const job = newJob();
    r.submit(await store.createJob(job));
    const failed = await waitFor(job.id);
    expect(failed.state).toBe("failed");
    const reference = /^Rewind hit an internal error \(reference ([0-9a-f]{8})\)\.$/.exec(failed.error ?? "")?.[1];
    expect(reference).toBeDefined();
    expect(JSON.stringify(failed)).not.toMatch(/SQLITE|secret_token|rewind\.db/);
    // The audit of the job's end carries the same public text, not the detail.
    expect(JSON.stringify(await store.listAudit(TENANT, { limit: 5 }))).not.toMatch(/SQLITE|secret_token/);
    const entry = lines.map((l) => JSON.parse(l) as { reference?: string; err?: { message?: string } }).find((l) => l.reference === reference);
    expect(entry?.err?.message).toBe(secret);
  });
});
