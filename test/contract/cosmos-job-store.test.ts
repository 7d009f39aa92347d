import https from "node:https";
import { CosmosClient, type Container, type OperationInput } from "@azure/cosmos";
import pino from "pino";
import type { Job, RecoveryJob, ReportJob } from "../../core/model/job";
import type { JobRecord } from "../../core/model/job-record";
import { StoreConflictError } from "../../core/model/store-error";
import { openContainers, type CosmosContainers } from "../../core/store/cosmos/cosmos-containers";
import { runBulk } from "../../core/store/cosmos/cosmos-job-bulk";
import { DAY_SECONDS } from "../../core/store/cosmos/cosmos-job-documents";
import { CosmosJobStore } from "../../core/store/cosmos/cosmos-job-store";
import { startCosmosTestServer, type CosmosTestServer } from "./cosmos-temp";
import { jobStoreContract } from "./job-store-contract";

const log = pino({ level: "silent" });
const TENANT = "c0ffee00-0000-4000-8000-0000000000c5";
const OTHER = "c0ffee00-0000-4000-8000-0000000000c6";

let server: CosmosTestServer;

beforeAll(async () => {
  server = await startCosmosTestServer();
});
afterAll(async () => {
  await server.close();
});

// The whole contract, a fresh database per test, on one in-process @vercel/cosmosdb-server.
jobStoreContract("CosmosJobStore", async () => ({ store: new CosmosJobStore(await server.freshContainers(), log), close: async () => undefined }));

function job(n: number, over: Partial<ReportJob> = {}): ReportJob {
  return {
    tenantId: TENANT,
    id: `0b0b0b0b-0000-4000-8000-${n.toString(16).padStart(12, "0")}`,
    kind: "differenceReport",
    backupId: "2026-11-21T02:00:00Z",
    state: "queued",
    scope: {},
    requestedBy: "admin",
    createdAt: new Date(Date.UTC(2026, 10, 25, 9, n)).toISOString(),
    progress: { done: 0, total: null, estimatedCompletionAt: null },
    cancelRequested: false,
    ...over,
  };
}

/** A queued recovery (of report 1000). */
function recovery(n: number): RecoveryJob {
  return { ...job(n), kind: "recovery", reportId: job(1000).id, approvedBy: "approver", recoveryRequestId: "req-1" };
}

/** A job with a fresh run, changed as `over` says, for `updateJob`. */
function record(from: Job, over: Partial<Pick<Job, "state" | "completedAt">> = {}): JobRecord {
  return { job: { ...from, ...over }, run: { attempts: 0, version: 0 } };
}

/** A second process: its own CosmosClient (with explicit throttling retry options) on the same database. */
async function secondProcess(containers: CosmosContainers): Promise<{ containers: CosmosContainers; close(): void }> {
  const agent = new https.Agent({ rejectUnauthorized: false, keepAlive: true });
  const client = new CosmosClient({
    endpoint: server.endpoint,
    key: "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==",
    agent,
    connectionPolicy: { retryOptions: { maxRetryAttemptCount: 9, maxWaitTimeInSeconds: 30 } },
  });
  const opened = await openContainers(client, containers.jobs.database.id);
  return {
    containers: opened.containers,
    close: () => {
      client.dispose();
      agent.destroy();
    },
  };
}

/** A stored document as Cosmos holds it (to check what the store wrote beside the model). */
async function raw(container: Container, id: string, pk: string): Promise<Record<string, unknown>> {
  const { resource } = await container.item(id, pk).read<Record<string, unknown>>();
  if (resource === undefined) throw new Error(`no document ${id}`);
  return resource;
}

describe("CosmosJobStore on several processes", () => {
  it("lets exactly one of many concurrent starts from two processes win, per tenant", async () => {
    const containers = await server.freshContainers();
    const other = await secondProcess(containers);
    try {
      const a = new CosmosJobStore(containers, log);
      const b = new CosmosJobStore(other.containers, log);
      for (const tenantId of [TENANT, OTHER]) {
        const starts = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).createJob(job(i + 1, { tenantId })));
        const results = await Promise.allSettled(starts);
        const won = results.filter((r) => r.status === "fulfilled");
        const lost = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(11);
        for (const reason of lost) expect(reason).toBeInstanceOf(StoreConflictError);
        // Both processes see the same single job, and it holds the tenant.
        expect(await a.listJobs(tenantId)).toEqual(await b.listJobs(tenantId));
        expect(await b.listJobs(tenantId)).toHaveLength(1);
        await expect(b.createJob(job(50, { tenantId }))).rejects.toBeInstanceOf(StoreConflictError);
      }
      // Finished by one process, the tenant is free for the other.
      const [running] = await b.listJobs(TENANT);
      await a.updateJob(record(running!, { state: "succeeded", completedAt: "2026-11-25T10:00:00Z" }));
      await b.createJob(job(60));
    } finally {
      other.close();
    }
  });

  it("lets a compare-and-set and a cancel request from another process both land", async () => {
    const containers = await server.freshContainers();
    const other = await secondProcess(containers);
    try {
      const a = new CosmosJobStore(containers, log);
      const b = new CosmosJobStore(other.containers, log);
      await a.createJob(job(1));
      const [updated, canceled] = await Promise.all([a.updateJob(record(job(1), { state: "running" })), b.requestCancel(TENANT, job(1).id, "approver")]);
      expect(updated.run.version).toBe(1);
      // The cancel lands before or after the update (version 0 or 1 as it read it); it never bumps the version.
      expect([0, 1]).toContain(canceled?.run.version);
      expect(await a.getJob(TENANT, job(1).id)).toMatchObject({ job: { state: "running", cancelRequested: true, cancelRequestedBy: "approver" }, run: { version: 1 } });
      // Two updates from the same read: one wins, the other is stale.
      const read = (await b.getJob(TENANT, job(1).id))!;
      const both = await Promise.allSettled([a.updateJob({ ...read, run: { ...read.run, attempts: 1 } }), b.updateJob({ ...read, run: { ...read.run, attempts: 2 } })]);
      expect(both.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(both.find((r) => r.status === "rejected")).toMatchObject({ reason: expect.any(StoreConflictError) });
    } finally {
      other.close();
    }
  });
});

describe("CosmosJobStore's job documents", () => {
  it("refuses a stored recovery without its report, and reads a document as earlier versions wrote it", async () => {
    const containers = await server.freshContainers();
    const store = new CosmosJobStore(containers, log);
    await store.createJob(recovery(1));
    const stored = await raw(containers.jobs, job(1).id, TENANT);
    const { _rid, _self, _etag, _attachments, _ts, ...doc } = stored;
    const inner = doc["job"] as Record<string, unknown>;
    // The runner's fields inside `job`, version and cancel beside it: the shape documents have always had.
    expect(inner).toMatchObject({ kind: "recovery", reportId: job(1000).id, attempts: 0 });
    expect(inner).not.toHaveProperty("version");
    expect(doc).toMatchObject({ version: 0, cancelRequested: false });
    const earlier: Record<string, unknown> = { ...inner, state: "running", attempts: 2, lease: { owner: "host-a", expiresAt: "2026-11-25T10:00:00.000Z" } };
    await containers.jobs.items.upsert({ ...doc, state: "running", version: 3, job: earlier });
    expect(await store.getJob(TENANT, job(1).id)).toEqual({
      job: { ...recovery(1), state: "running" },
      run: { attempts: 2, lease: { owner: "host-a", expiresAt: "2026-11-25T10:00:00.000Z" }, version: 3 },
    });
    const { reportId: _dropped, ...damaged } = earlier;
    await containers.jobs.items.upsert({ ...doc, job: damaged });
    await expect(store.getJob(TENANT, job(1).id)).rejects.toThrow(/Stored job is malformed: job\.reportId/);
  });
});

describe("CosmosJobStore's per-tenant lock heals after a process died between steps", () => {
  const lockOf = (containers: CosmosContainers) => raw(containers.jobs, "active-job", TENANT);

  it("takes over a lock naming a job that ended (died after finishing, before freeing it)", async () => {
    const containers = await server.freshContainers();
    const store = new CosmosJobStore(containers, log);
    await store.createJob(job(1));
    await store.updateJob(record(job(1), { state: "failed", completedAt: "2026-11-25T10:00:00Z" }));
    // Put the lock back as a process that died before freeing it would have left it.
    await containers.jobs.items.upsert({ id: "active-job", pk: TENANT, docType: "lock", jobId: job(1).id });
    await store.createJob(job(2));
    expect((await lockOf(containers)).jobId).toBe(job(2).id);
    await expect(store.createJob(job(3))).rejects.toBeInstanceOf(StoreConflictError);
  });

  it("honours a fresh lock naming a job not created yet, and takes over a stale one", async () => {
    const containers = await server.freshContainers();
    // Another process took the lock for job 9 and is about to create it.
    await containers.jobs.items.create({ id: "active-job", pk: TENANT, docType: "lock", jobId: job(9).id });
    await expect(new CosmosJobStore(containers, log).createJob(job(1))).rejects.toBeInstanceOf(StoreConflictError);
    // Past the grace period (60 s by default; 0 here, so the test need not wait) its taker is taken to have died there.
    await new CosmosJobStore(containers, log, { missingJobGraceSeconds: 0 }).createJob(job(1));
    expect((await lockOf(containers)).jobId).toBe(job(1).id);
  });

  it("gives the lock back when the job id turns out to be taken", async () => {
    const containers = await server.freshContainers();
    const store = new CosmosJobStore(containers, log);
    await store.createJob(job(1, { state: "succeeded", completedAt: "2026-11-25T10:00:00Z" })); // terminal: takes no lock
    await expect(store.createJob(job(1))).rejects.toBeInstanceOf(StoreConflictError);
    await store.createJob(job(2));
  });
});

// @vercel/cosmosdb-server stores `ttl` but never expires anything, so expiry itself cannot be shown here: these
// tests check that the store writes the `ttl` real Cosmos acts on, while the contract suite covers the explicit
// retention sweeps (listJobsCompletedBefore + deleteJob, purgeAudit) the engine relies on either way.
describe("CosmosJobStore's TTL (stamped; the emulator never expires)", () => {
  const change = (seq: number) => ({
    seq,
    id: `u${seq}`,
    entityTypeName: "user" as const,
    displayName: null,
    recoveryAction: "update" as const,
    deltaFromCurrent: { properties: [], links: [] },
    currentState: "active" as const,
    recoverable: true,
  });
  it("gives a finished job, its changes and outcomes, and audit entries their ttl; a running job none, its items a day more", async () => {
    const containers = await server.freshContainers();
    const store = new CosmosJobStore(containers, log, { jobRetentionDays: 5, auditRetentionDays: 30, marginDays: 1 });
    await store.createJob(recovery(1));
    await store.putChanges(TENANT, job(1).id, [change(1), change(2)]);
    await store.putOutcomes(TENANT, job(1).id, [{ seq: 1, step: "update", status: "failed", message: "x", at: "2026-11-25T10:00:00Z" }]);
    const pk = `${TENANT}|${job(1).id}`;
    const sixDays = 6 * DAY_SECONDS;
    const sevenDays = 7 * DAY_SECONDS;
    expect(await raw(containers.jobs, job(1).id, TENANT)).not.toHaveProperty("ttl");
    // Items carry the finished job's ttl plus a day of running from their write, so finishing rewrites none.
    expect((await raw(containers.jobItems, "0000000000000001", pk)).ttl).toBe(sevenDays);
    expect((await raw(containers.jobItems, "o-1-update", pk)).ttl).toBe(sevenDays);
    const etag = (await raw(containers.jobItems, "0000000000000001", pk))._etag;

    // The job ran two hours (created 09:01 by job()): its items' ttl already outlasts it.
    await store.updateJob(record(recovery(1), { state: "completedWithWarnings", completedAt: "2026-11-25T11:00:00Z" }));
    expect((await raw(containers.jobs, job(1).id, TENANT)).ttl).toBe(sixDays);
    expect((await raw(containers.jobItems, "0000000000000001", pk))._etag).toBe(etag);
    expect((await raw(containers.jobItems, "0000000000000002", pk)).ttl).toBe(sevenDays);
    // Written after the end (a late retry), an item carries it from the start.
    await store.putChanges(TENANT, job(1).id, [change(3)]);
    expect((await raw(containers.jobItems, "0000000000000003", pk)).ttl).toBe(sixDays);
    // The items are still readable (the emulator keeps them): the sweep, not TTL, is what the engine relies on.
    expect(await store.failedSeqs(TENANT, job(1).id, 0, 10)).toEqual([1]);

    await store.appendAudit([{ tenantId: TENANT, at: "2026-11-25T09:00:00Z", actor: "a", action: "jobStarted", target: "x" }]);
    const { resources } = await containers.audit.items.query<{ ttl: number }>({ query: "SELECT c.ttl FROM c WHERE c.pk = @pk", parameters: [{ name: "@pk", value: TENANT }] }).fetchAll();
    expect(resources).toEqual([{ ttl: 31 * DAY_SECONDS }]);
  });

  it("stamps a job's items again when it ran longer than their ttl allows, so none expires before the job", async () => {
    const containers = await server.freshContainers();
    const store = new CosmosJobStore(containers, log, { jobRetentionDays: 5, marginDays: 1, itemRunDays: 1 });
    const long = recovery(1);
    await store.createJob(long);
    await store.putChanges(TENANT, long.id, [change(1), change(2)]);
    await store.putOutcomes(TENANT, long.id, [{ seq: 2, step: "update", status: "applied", at: "2026-11-26T10:00:00Z" }]);
    await store.updateJob(record(long, { state: "succeeded", completedAt: "2026-11-26T09:01:01Z" })); // a day and a second
    const pk = `${TENANT}|${long.id}`;
    for (const id of ["0000000000000001", "0000000000000002", "o-2-update"]) expect((await raw(containers.jobItems, id, pk)).ttl).toBe(6 * DAY_SECONDS);
  });
});

describe("CosmosJobStore's bulk writes", () => {
  /** A container whose bulk answers 429 for some operations a few times before accepting them. */
  function throttling(throttleTimes: number, failStatus?: number): { container: Container; requests: number[] } {
    const seen = new Map<string, number>();
    const requests: number[] = [];
    const container = {
      items: {
        bulk: async (ops: OperationInput[]) => {
          requests.push(ops.length);
          return ops.map((op) => {
            const id = "id" in op && op.id !== undefined ? op.id : String((op as unknown as { resourceBody: { id: string } }).resourceBody.id);
            const times = seen.get(id) ?? 0;
            seen.set(id, times + 1);
            if (failStatus !== undefined && id === "7") return { statusCode: failStatus, requestCharge: 1 };
            return { statusCode: Number(id) % 3 === 0 && times < throttleTimes ? 429 : 201, requestCharge: 1 };
          });
        },
      },
    } as unknown as Container;
    return { container, requests };
  }
  const upserts = (n: number): OperationInput[] => Array.from({ length: n }, (_, i) => ({ operationType: "Upsert", partitionKey: "p", resourceBody: { id: String(i), pk: "p" } }));

  it("sends 100 operations a request and retries the throttled ones until they land", async () => {
    const { container, requests } = throttling(2);
    expect(await runBulk(container, upserts(250), "test")).toBe(250);
    expect(requests.slice(0, 3).sort((a, b) => b - a)).toEqual([100, 100, 50]);
    expect(requests.length).toBeGreaterThan(3);
  });

  it("fails the call, never drops a write, when operations fail or stay throttled", async () => {
    await expect(runBulk(throttling(0, 409).container, upserts(10), "test")).rejects.toThrow("1 of 10 bulk operations failed (1 × 409)");
    // Ids 0, 3, 6 and 9 are answered 429 every time: after the retries (shortened here) the call fails.
    await expect(runBulk(throttling(Infinity).container, upserts(10), "test", [], { retries: 3, firstWaitMs: 1 })).rejects.toThrow("4 of 10 bulk operations failed (4 × 429)");
  });
});
