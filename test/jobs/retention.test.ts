import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { purgeExpired } from "../../core/jobs/retention";
import type { Job } from "../../core/model/job";
import { StoreConflictError } from "../../core/model/store-error";
import type { Directory } from "../../core/ports";
import { SqliteStore } from "../../core/store/sqlite/sqlite-store";
import { ManualClock } from "../backup/manual-clock";

const TENANT = "7e7e7e7e-0000-4000-8000-000000000002";
/** Another deployment's tenant sharing the same store. */
const NEIGHBOUR = "7e7e7e7e-0000-4000-8000-0000000000b3";
const DAY = 86_400_000;
const T0 = Date.parse("2026-11-01T00:00:00Z");

function finishedJob(completedAt: number, tenantId = TENANT): Job {
  return {
    tenantId,
    id: randomUUID(),
    kind: "differenceReport",
    backupId: "2026-10-31T02:00:00Z",
    state: "succeeded",
    scope: {},
    requestedBy: "ada",
    createdAt: new Date(completedAt - 60_000).toISOString(),
    completedAt: new Date(completedAt).toISOString(),
    progress: { done: 1, total: 1, estimatedCompletionAt: null },
    cancelRequested: false,
  };
}

describe("retention of jobs and audit entries", () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "rewind-retention-"));
    store = SqliteStore.open({ file: path.join(dir, "rewind.db") });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("removes jobs (with their changes) 5 days after they finished, and audit entries past their retention", async () => {
    const old = finishedJob(T0);
    const recent = finishedJob(T0 + 3 * DAY);
    await store.createJob(old);
    await store.createJob(recent);
    await store.putChanges(TENANT, old.id, [
      { seq: 1, id: "u1", entityTypeName: "user", displayName: null, recoveryAction: "update", deltaFromCurrent: { properties: [], links: [] }, currentState: "active", recoverable: true },
    ]);
    await store.appendAudit([
      { tenantId: TENANT, at: new Date(T0 - 400 * DAY).toISOString(), actor: "ada", action: "jobStarted", target: old.id },
      { tenantId: TENANT, at: new Date(T0 - 10 * DAY).toISOString(), actor: "ada", action: "jobStarted", target: recent.id },
    ]);
    const clock = new ManualClock(T0 + 5 * DAY + 1);
    const deps = { directory: {} as Directory, store, clock, log: pino({ level: "silent" }) };

    expect(await purgeExpired(deps, TENANT, { jobRetentionDays: 5, auditRetentionDays: 365 })).toEqual({ jobs: 1, auditEntries: 1 });
    expect(await store.getJob(TENANT, old.id)).toBeNull();
    expect(await store.readChanges(TENANT, old.id, { limit: 10 })).toEqual([]);
    expect(await store.getJob(TENANT, recent.id)).not.toBeNull();
    expect((await store.listAudit(TENANT, { limit: 10 })).map((a) => a.target)).toEqual([recent.id]);

    clock.advance(3 * DAY);
    expect(await purgeExpired(deps, TENANT, { jobRetentionDays: 5, auditRetentionDays: 365 })).toEqual({ jobs: 1, auditEntries: 0 });
    expect(await store.listJobs(TENANT)).toEqual([]);
  });

  it("purges only its own tenant: a neighbour's old jobs, comparison snapshots and audit entries stay for its own retention", async () => {
    const mine = finishedJob(T0);
    const theirs = finishedJob(T0, NEIGHBOUR);
    await store.createJob(mine);
    await store.createJob(theirs);
    // A report that died mid-load leaves its comparison snapshot behind; each tenant's sweep removes its own.
    const snapshot = `comparison-${theirs.id}`;
    const ours = `comparison-${mine.id}`;
    await store.beginComparison(NEIGHBOUR, snapshot, new Date(T0).toISOString());
    await store.beginComparison(TENANT, ours, new Date(T0).toISOString());
    // One begun within the day may belong to a job under way: it stays.
    await store.beginComparison(TENANT, "comparison-running", new Date(T0 + 6 * DAY - 60_000).toISOString());
    await store.appendAudit([
      { tenantId: TENANT, at: new Date(T0 - 40 * DAY).toISOString(), actor: "ada", action: "jobStarted", target: mine.id },
      { tenantId: NEIGHBOUR, at: new Date(T0 - 40 * DAY).toISOString(), actor: "nick", action: "jobStarted", target: theirs.id },
    ]);
    const deps = { directory: {} as Directory, store, clock: new ManualClock(T0 + 6 * DAY), log: pino({ level: "silent" }) };

    // This deployment keeps audit entries 30 days (AUDIT_RETENTION_DAYS=30); the neighbour keeps its own for a year.
    expect(await purgeExpired(deps, TENANT, { jobRetentionDays: 5, auditRetentionDays: 30 })).toEqual({ jobs: 1, auditEntries: 1 });
    expect(await store.getJob(TENANT, mine.id)).toBeNull();
    expect(await store.listAudit(TENANT, { limit: 10 })).toEqual([]);
    expect(await store.getJob(NEIGHBOUR, theirs.id)).not.toBeNull();
    // Its snapshot is still there: its id is taken. Ours, begun days ago, is gone; the recent one stays.
    await expect(store.beginComparison(NEIGHBOUR, snapshot, new Date(T0).toISOString())).rejects.toBeInstanceOf(StoreConflictError);
    await store.beginComparison(TENANT, ours, new Date(T0).toISOString());
    await expect(store.beginComparison(TENANT, "comparison-running", new Date(T0).toISOString())).rejects.toBeInstanceOf(StoreConflictError);
    expect((await store.listAudit(NEIGHBOUR, { limit: 10 })).map((a) => a.actor)).toEqual(["nick"]);
  });
});
