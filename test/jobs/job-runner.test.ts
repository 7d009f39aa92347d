import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { systemClock } from "../../core/backup/system-clock";
import type { EngineDeps, JobContext, JobHandler, JobResult } from "../../core/jobs/job-handler";
import { JobRunner, type JobRunnerOptions } from "../../core/jobs/job-runner";
import { DirectoryError } from "../../core/model/directory-error";
import { isTerminal, type Job, type JobKind } from "../../core/model/job";
import type { Directory } from "../../core/ports";
import { SqliteStore } from "../../core/store/sqlite/sqlite-store";

const TENANT = "7e7e7e7e-0000-4000-8000-000000000001";
const FAST: JobRunnerOptions = { leaseMs: 600, heartbeatMs: 50, pollMs: 100, retryAfterMs: 100 };
const log = pino({ level: "silent" });

function newJob(kind: JobKind = "differenceReport", extra: Partial<Job> = {}): Job {
  return {
    tenantId: TENANT,
    id: randomUUID(),
    kind,
    backupId: "2026-11-25T02:00:00Z",
    state: "queued",
    scope: {},
    requestedBy: "someone",
    createdAt: new Date().toISOString(),
    progress: { done: 0, total: null, estimatedCompletionAt: null },
    attempts: 0,
    cancelRequested: false,
    version: 1,
    ...extra,
  };
}

/** A handler the test scripts: each attempt runs the next function given. */
class ScriptedHandler implements JobHandler {
  readonly attempts: JobContext[] = [];
  constructor(private readonly script: Array<(ctx: JobContext) => Promise<JobResult>>) {}
  run(ctx: JobContext): Promise<JobResult> {
    this.attempts.push(ctx);
    const step = this.script[Math.min(this.attempts.length, this.script.length) - 1]!;
    return step(ctx);
  }
}

const untilAborted = (ctx: JobContext): Promise<never> =>
  new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(new Error("stopped")), { once: true }));

describe("JobRunner", () => {
  let dir: string;
  let store: SqliteStore;
  let deps: EngineDeps;
  const runners: JobRunner[] = [];
  const runner = (handler: JobHandler, options: JobRunnerOptions = FAST): JobRunner => {
    const r = new JobRunner(deps, { differenceReport: handler, recovery: handler }, options);
    runners.push(r);
    return r;
  };
  async function waitFor(jobId: string, done: (j: Job) => boolean = (j) => isTerminal(j.state), ms = 10_000): Promise<Job> {
    const until = Date.now() + ms;
    for (;;) {
      const job = await store.getJob(TENANT, jobId);
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
      async (ctx) => {
        ctx.signal.addEventListener("abort", () => release()); // a failed assertion must not leave it hanging
        await ctx.enter("loadingData", 100);
        ctx.progress(25);
        await gate;
        return { state: "succeeded", summary: { total: 3, notRecoverable: 0, byType: { user: { update: 3 } }, links: 0 } };
      },
    ]);
    const r = runner(handler);
    await r.start();
    const job = newJob();
    await store.createJob(job);
    r.submit(job);
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
      async (ctx) => {
        await ctx.enter("calculating", 10);
        await store.putChanges(TENANT, ctx.job.id, [
          { seq: 1, id: "u1", entityTypeName: "user", displayName: "U", recoveryAction: "update", deltaFromCurrent: { properties: [], links: [] }, currentState: "active", recoverable: true },
        ]);
        return untilAborted(ctx);
      },
    ]);
    const r = runner(handler);
    await r.start();
    const job = newJob();
    await store.createJob(job);
    r.submit(job);
    await waitFor(job.id, (j) => j.state === "calculating");
    expect((await store.requestCancel(TENANT, job.id, "ada"))?.cancelRequested).toBe(true);
    const done = await waitFor(job.id);
    expect(done).toMatchObject({ state: "canceled", cancelRequested: true, cancelRequestedBy: "ada" });
    expect(await store.readChanges(TENANT, job.id, { limit: 10 })).toEqual([]);
  });

  it("resumes a job whose process died once its lease lapses, and leaves a fresh lease alone", async () => {
    const fresh = newJob("recovery", { state: "running", attempts: 1, lease: { owner: "alive", expiresAt: new Date(Date.now() + 800).toISOString() } });
    await store.createJob(fresh);
    const handler = new ScriptedHandler([async () => ({ state: "completedWithWarnings", outcomes: { total: 2, applied: 1, failed: 1, skipped: 0 } })]);
    const r = runner(handler);
    await r.start();
    await new Promise((res) => setTimeout(res, 300));
    expect(handler.attempts).toHaveLength(0);
    const done = await waitFor(fresh.id);
    expect(done).toMatchObject({ state: "completedWithWarnings", attempts: 2 });
    expect(handler.attempts[0]!.job.attempts).toBe(2);
  });

  it("closes as failed a job that keeps dying, and one whose handler fails, with the reason", async () => {
    const dying = newJob("recovery", { state: "running", attempts: 3, lease: { owner: "dead", expiresAt: new Date(Date.now() - 1).toISOString() } });
    await store.createJob(dying);
    const handler = new ScriptedHandler([async () => Promise.reject(new DirectoryError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."))]);
    const r = runner(handler);
    await r.start();
    const failed = await waitFor(dying.id);
    expect(failed.state).toBe("failed");
    expect(failed.error).toMatch(/stopped 3 times/);
    expect(handler.attempts).toHaveLength(0);

    const job = newJob();
    await store.createJob(job);
    r.submit(job);
    expect((await waitFor(job.id)).error).toBe("Microsoft Graph answered 403 (Authorization_RequestDenied): Insufficient privileges to complete the operation.");
  });

  it("tries again after a Graph outage instead of failing the job", async () => {
    const handler = new ScriptedHandler([
      async () => Promise.reject(new DirectoryError(503, "serviceUnavailable", "Service unavailable")),
      async () => ({ state: "succeeded" }),
    ]);
    const r = runner(handler);
    await r.start();
    const job = newJob();
    await store.createJob(job);
    r.submit(job);
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
    const job = newJob();
    await store.createJob(job);
    await Promise.all([a.start(), b.start()]);
    a.submit(job);
    b.submit(job);
    expect((await waitFor(job.id)).attempts).toBe(1);
    expect(runs).toBe(1);
  });

  it("leaves a job for the next process when it stops, without closing it", async () => {
    const handler = new ScriptedHandler([async (ctx) => untilAborted(ctx), async () => ({ state: "succeeded" })]);
    const first = runner(handler);
    await first.start();
    const job = newJob();
    await store.createJob(job);
    first.submit(job);
    await waitFor(job.id, (j) => j.attempts === 1 && j.lease !== undefined);
    await first.stop();
    expect((await store.getJob(TENANT, job.id))?.state).toBe("queued");
    const second = runner(handler);
    await second.start();
    expect(await waitFor(job.id)).toMatchObject({ state: "succeeded", attempts: 2 });
  });
});
