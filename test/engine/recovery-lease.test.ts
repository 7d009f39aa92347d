/**
 * Two processes must never write the same job. A recovery whose process can no longer renew its lease stops
 * writing to Graph before the lease lapses (another process may take the job over from then on), and a process
 * that shuts down cleanly records the writes it made and releases its lease, so the next one resumes at once.
 * Either way, every change reaches Graph exactly once (the simulator counts writes per object).
 */
import pino from "pino";
import { systemClock } from "../../core/system-clock";
import { DifferenceReportHandler } from "../../core/diff/report-handler";
import { GraphDirectory } from "../../core/graph/graph-directory";
import { StaticTokenProvider } from "../../core/graph/token-provider";
import type { EngineDeps } from "../../core/jobs/job-handler";
import { JobRunner, type JobRunnerOptions } from "../../core/jobs/job-runner";
import type { JobRecord } from "../../core/model/job-record";
import type { Directory, Store } from "../../core/ports";
import { RecoveryHandler } from "../../core/recovery/recovery-handler";
import { DriftClient } from "../../sim/drift";
import { DEMO_TENANT_ID } from "../../sim/index";
import { collect, objectsOf } from "../graph/gateway-fixture";
import { approvalOf } from "./approval";
import { ADA, BEN, startEngineFixture, type EngineFixture } from "./engine-fixture";

jest.setTimeout(180_000);

const WRITE_METHODS = new Set(["updateObject", "restoreObject", "softDeleteObject", "addLinks", "removeLinks", "writeMany"]);

/** A process's own Graph gateway, paced (10 writes a second) so a recovery takes seconds; it notes when each write call began and ended. */
function pacedDirectory(fx: EngineFixture): { directory: Directory; sentAt: number[]; doneAt: number[]; close(): Promise<void> } {
  const graph = new GraphDirectory({
    tokenProvider: new StaticTokenProvider("process-token"),
    baseUrl: fx.f.sim.url,
    ca: fx.f.sim.ca,
    writeBudget: { writes: 10, windowMs: 1_000 },
    retry: { baseDelayMs: 20, maxDelayMs: 2_000, maxRetries: 8 },
  });
  const sentAt: number[] = [];
  const doneAt: number[] = [];
  const directory = new Proxy(graph, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== "function") return value;
      const fn = (value as (...a: unknown[]) => unknown).bind(target);
      if (!WRITE_METHODS.has(String(name))) return fn;
      return async (...args: unknown[]) => {
        sentAt.push(Date.now());
        try {
          return await fn(...args);
        } finally {
          doneAt.push(Date.now());
        }
      };
    },
  }) as Directory;
  return { directory, sentAt, doneAt, close: () => graph.close() };
}

/** A runner as another process would run it, over `store`; recoveries in groups of five changes. */
function processRunner(fx: EngineFixture, directory: Directory, store: Store, options: JobRunnerOptions): JobRunner {
  const deps: EngineDeps = { directory, store, clock: systemClock, log: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }) };
  return new JobRunner(deps, DEMO_TENANT_ID, { differenceReport: new DifferenceReportHandler(), recovery: new RecoveryHandler({ pageSize: 5 }) }, options);
}

async function until(what: string, done: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("a recovery's writes and its lease", () => {
  let fx: EngineFixture;
  let edited: string[];
  let reportId: string;
  const closers: Array<() => Promise<void>> = [];

  beforeEach(async () => {
    fx = await startEngineFixture();
    const { rewind } = fx.engine;
    const backup = await rewind.takeBackup(ADA);
    const users = objectsOf(await collect(fx.f.graph.readAll("user"))).filter(
      (u) => u.properties["onPremisesSyncEnabled"] !== true && !u.id.startsWith("0a0a0a0a-") && u.properties["userType"] === "Member",
    );
    edited = users.slice(0, 60).map((u) => u.id);
    const drift = new DriftClient(fx.f.sim.url, fx.f.sim.ca);
    try {
      for (const id of edited) expect((await drift.patch("users", id, { department: "Lease test" })).status).toBe(204);
    } finally {
      await drift.close();
    }
    const report = await fx.waitForJob((await rewind.startDifferenceReport(ADA, { backupId: backup.id })).id);
    expect(report.summary?.total).toBe(60);
    reportId = report.id;
    // From here on the recovery runs only on the runners each test starts.
    await fx.engine.runner.stop();
    fx.f.sim.resetStats();
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await fx?.close();
  });

  async function startRecovery(): Promise<{ id: string }> {
    const request = await fx.engine.rewind.requestRecovery(ADA, { reportId });
    return fx.engine.rewind.startRecovery(BEN, approvalOf(request));
  }

  function expectEachWrittenOnce(): void {
    const writes = fx.f.sim.stats().writesByObject;
    for (const id of edited) expect({ id, writes: writes[id] ?? 0 }).toEqual({ id, writes: 1 });
    expect(fx.f.sim.stats().writes).toBe(edited.length);
  }

  it("stops writing to Graph before its lease lapses when renewals fail, and the process that takes over writes each change once", async () => {
    // The first process's store: once `failing`, every lease renewal (or claim) fails, as when the store is
    // unreachable from it; its other job writes (progress, outcomes) still go through.
    let failing = false;
    const flaky = new Proxy(fx.store, {
      get(target, name, receiver) {
        const value: unknown = Reflect.get(target, name, receiver);
        if (typeof value !== "function") return value;
        const fn = (value as (...a: unknown[]) => unknown).bind(target);
        if (name !== "updateJob") return fn;
        return async (record: JobRecord) => {
          const stored = await target.getJob(record.job.tenantId, record.job.id);
          if (failing && stored?.run.lease?.expiresAt !== record.run.lease?.expiresAt) throw new Error("the store did not answer");
          return fn(record);
        };
      },
    }) as Store;
    const first = pacedDirectory(fx);
    closers.push(first.close);
    // Groups of five writes take half a second here; the process stops starting them 1.5 s before its lease ends.
    const firstRunner = processRunner(fx, first.directory, flaky, { leaseMs: 3_000, leaseMarginMs: 1_500, heartbeatMs: 200, pollMs: 500 });
    closers.push(() => firstRunner.stop());
    const job = await startRecovery();
    await firstRunner.start();
    await until("the first writes", () => fx.f.sim.stats().writes >= 10);
    failing = true;
    // The lease as last renewed: from its end on, another process may take the job.
    const leaseEnd = Date.parse((await fx.store.getJob(DEMO_TENANT_ID, job.id))!.run.lease!.expiresAt);

    const second = pacedDirectory(fx);
    closers.push(second.close);
    const secondRunner = processRunner(fx, second.directory, fx.store, { leaseMs: 3_000, heartbeatMs: 200, pollMs: 300 });
    closers.push(() => secondRunner.stop());
    await secondRunner.start();
    const done = await fx.waitForJob(job.id, ADA, 60_000);

    expect(first.sentAt.length).toBeGreaterThan(0);
    expect(first.sentAt.length).toBeLessThan(edited.length);
    expect(Math.max(...first.doneAt)).toBeLessThan(leaseEnd);
    expect(Math.min(...second.sentAt)).toBeGreaterThanOrEqual(leaseEnd);
    expect(done).toMatchObject({ state: "succeeded", outcomes: { total: 60, applied: 60, failed: 0, skipped: 0 } });
    expect((await fx.store.getJob(DEMO_TENANT_ID, job.id))?.run.attempts).toBe(2);
    expectEachWrittenOnce();
  });

  it("on stop, records the writes made, releases the lease, and another process resumes at once and writes each change once", async () => {
    // A minute's lease: a process that did not release it would keep the next one waiting that long.
    const LONG: JobRunnerOptions = { leaseMs: 60_000, heartbeatMs: 200, pollMs: 300 };
    const first = pacedDirectory(fx);
    closers.push(first.close);
    const firstRunner = processRunner(fx, first.directory, fx.store, LONG);
    const job = await startRecovery();
    await firstRunner.start();
    await until("the first writes", () => fx.f.sim.stats().writes >= 10);
    await firstRunner.stop();
    const stoppedAt = Date.now();

    const left = (await fx.store.getJob(DEMO_TENANT_ID, job.id))!;
    expect(left.job.state).toBe("running");
    expect(Date.parse(left.run.lease!.expiresAt)).toBeLessThanOrEqual(Date.now());
    const outcomes = await fx.store.readOutcomes(DEMO_TENANT_ID, job.id, 0, Number.MAX_SAFE_INTEGER);
    expect(outcomes.filter((o) => o.status === "inFlight")).toEqual([]);
    expect(outcomes.filter((o) => o.status === "applied")).toHaveLength(fx.f.sim.stats().writes);

    const second = pacedDirectory(fx);
    closers.push(second.close);
    const secondRunner = processRunner(fx, second.directory, fx.store, LONG);
    closers.push(() => secondRunner.stop());
    await secondRunner.start();
    const done = await fx.waitForJob(job.id, ADA, 30_000);
    expect(Math.min(...second.sentAt) - stoppedAt).toBeLessThan(10_000);
    expect(done).toMatchObject({ state: "succeeded", outcomes: { total: 60, applied: 60, failed: 0, skipped: 0 } });
    expect((await fx.store.getJob(DEMO_TENANT_ID, job.id))?.run.attempts).toBe(2);
    expectEachWrittenOnce();
  });
});
