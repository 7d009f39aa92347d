import { rmSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Change } from "../../core/model/change";
import type { RecoveryJob, ReportJob } from "../../core/model/job";
import { StoreConflictError } from "../../core/model/store-error";
import { CHANGE_PAGE_SQL } from "../../core/store/sqlite/change-table";
import { FAILED_SEQS_SQL } from "../../core/store/sqlite/outcome-table";
import { SqliteStore } from "../../core/store/sqlite/sqlite-store";
import { onTempFile, tempDir } from "./sqlite-temp";
import { jobStoreContract } from "./job-store-contract";

const TENANT = "5a5a5a5a-0000-4000-8000-000000000001";
const JOB = "0b0b0b0b-0000-4000-8000-000000000001";
const REPORT_BATCH = 500;

jobStoreContract("SqliteStore", onTempFile());
// The same contract with tiny steps: deleting a job and clearing its changes cross many step boundaries.
jobStoreContract("SqliteStore, 7 rows per step", onTempFile(7));

function job(id: string, over: Partial<ReportJob> = {}): ReportJob {
  return {
    tenantId: TENANT,
    id,
    kind: "differenceReport",
    backupId: "2026-11-21T02:00:00Z",
    state: "queued",
    scope: {},
    requestedBy: "admin",
    createdAt: "2026-11-25T09:00:00.000Z",
    progress: { done: 0, total: null, estimatedCompletionAt: null },
    cancelRequested: false,
    ...over,
  };
}

/** A queued recovery of the report `JOB`. */
function recovery(id: string): RecoveryJob {
  return { ...job(id), kind: "recovery", reportId: JOB, approvedBy: "approver", recoveryRequestId: "req-1" };
}

/** Change `seq` of a large report: mostly user updates, one named location in a thousand. */
function reportChange(seq: number): Change {
  return {
    seq,
    id: `${String(seq).padStart(8, "0")}-0000-4000-8000-000000000000`,
    entityTypeName: seq % 1000 === 0 ? "namedLocation" : "user",
    displayName: `Person ${seq}`,
    recoveryAction: seq % 1000 === 0 ? "softDelete" : "update",
    deltaFromCurrent: {
      properties: [
        { name: "displayName", backupValue: `Person ${seq}`, currentValue: `Renamed ${seq}` },
        { name: "department", backupValue: `Department ${seq % 13}`, currentValue: null },
      ],
      links: [],
    },
    currentState: "active",
    recoverable: true,
  };
}

describe("SqliteStore jobs on a file", () => {
  let dir: string;
  let file: string;
  const open: SqliteStore[] = [];
  const openStore = (stepRows?: number) => {
    const store = SqliteStore.open({ file, ...(stepRows ? { stepRows } : {}) });
    open.push(store);
    return store;
  };
  /** Runs `sql` on the file through a separate raw connection (as damage from outside would come). */
  const tamper = (sql: string, ...params: unknown[]) => {
    const raw = new Database(file);
    try {
      raw.prepare(sql).run(...params);
    } finally {
      raw.close();
    }
  };
  beforeEach(() => {
    dir = tempDir();
    file = path.join(dir, "rewind.db");
  });
  afterEach(() => {
    for (const store of open.splice(0)) store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("finds jobs, changes, outcomes, requests and audit again after a reopen, and the tenant still busy", async () => {
    const first = openStore();
    await first.createJob(job(JOB));
    const running = await first.updateJob({ job: { ...job(JOB), state: "running" }, run: { attempts: 1, version: 0 } });
    const marked = await first.requestCancel(TENANT, JOB, "approver");
    await first.putChanges(TENANT, JOB, [reportChange(1), reportChange(2)]);
    await first.putOutcomes(TENANT, JOB, [{ seq: 2, step: "update", status: "failed", message: "nope", at: "2026-11-25T09:01:00.000Z" }]);
    await first.createRecoveryRequest({
      tenantId: TENANT,
      id: "req-1",
      reportId: JOB,
      backupId: "b",
      scope: {},
      requestedBy: "admin",
      requestedAt: "2026-11-25T09:00:00.000Z",
      digest: "d",
      expiresAt: "2026-11-26T09:00:00.000Z",
      state: "pending",
      version: 0,
    });
    await first.appendAudit([{ tenantId: TENANT, at: "2026-11-25T09:00:00.000Z", actor: "admin", action: "jobStarted", target: JOB }]);
    first.close();

    const again = openStore();
    expect(await again.getJob(TENANT, JOB)).toEqual({ ...running, job: { ...running.job, cancelRequested: true, cancelRequestedBy: "approver" } });
    expect(await again.getJob(TENANT, JOB)).toEqual(marked);
    expect(await again.readChanges(TENANT, JOB, { limit: 10 })).toEqual([reportChange(1), reportChange(2)]);
    expect(await again.failedSeqs(TENANT, JOB, 0, 10)).toEqual([2]);
    expect((await again.getRecoveryRequest(TENANT, "req-1"))?.state).toBe("pending");
    expect(await again.listAudit(TENANT, { limit: 10 })).toHaveLength(1);
    await expect(again.createJob(job("another"))).rejects.toBeInstanceOf(StoreConflictError);
    expect((await again.listActiveJobs(TENANT)).map((r) => r.job.id)).toEqual([JOB]);
  });

  it("fails loudly on a stored job document that is not JSON, rather than return it", async () => {
    const store = openStore();
    await store.createJob(job(JOB));
    tamper("UPDATE jobs SET doc = ? WHERE id = ?", "{not json", JOB);
    await expect(store.getJob(TENANT, JOB)).rejects.toThrow(/Stored job .* is not valid JSON/);
    await expect(store.listJobs(TENANT)).rejects.toThrow(/not valid JSON/);
    await expect(store.listActiveJobs(TENANT)).rejects.toThrow(/not valid JSON/);
  });

  it("fails loudly on a stored job document of the wrong shape", async () => {
    const store = openStore();
    await store.createJob(job(JOB));
    tamper("UPDATE jobs SET doc = json_set(doc, '$.state', 'paused', '$.progress', 'half') WHERE id = ?", JOB);
    await expect(store.getJob(TENANT, JOB)).rejects.toThrow(/Stored job .* is malformed/);
    tamper("UPDATE jobs SET doc = ? WHERE id = ?", JSON.stringify([1, 2]), JOB);
    await expect(store.getJob(TENANT, JOB)).rejects.toThrow(/malformed/);
  });

  it("refuses a stored recovery without its report, approver or request, and a report with a recovery's fields", async () => {
    const store = openStore();
    await store.createJob(recovery(JOB));
    tamper("UPDATE jobs SET doc = json_remove(doc, '$.reportId') WHERE id = ?", JOB);
    await expect(store.getJob(TENANT, JOB)).rejects.toThrow(/Stored job .* is malformed: reportId/);
    tamper("UPDATE jobs SET doc = json_set(doc, '$.reportId', ?, '$.kind', 'differenceReport') WHERE id = ?", JOB, JOB);
    await expect(store.getJob(TENANT, JOB)).rejects.toThrow(/a difference report has no reportId/);
  });

  it("reads job documents as earlier versions wrote them (the runner's fields inside the document)", async () => {
    const store = openStore();
    await store.createJob(recovery(JOB));
    const earlier = {
      tenantId: TENANT,
      id: JOB,
      kind: "recovery",
      backupId: "2026-11-21T02:00:00Z",
      state: "running",
      scope: {},
      requestedBy: "admin",
      createdAt: "2026-11-25T09:00:00.000Z",
      startedAt: "2026-11-25T09:00:01.000Z",
      progress: { done: 3, total: 10, estimatedCompletionAt: null },
      reportId: JOB,
      approvedBy: "approver",
      recoveryRequestId: "req-1",
      outcomes: { total: 10, applied: 3, failed: 0, skipped: 0 },
      attempts: 2,
      resume: { state: "running", done: 1, stalls: 0 },
      lease: { owner: "host-a", expiresAt: "2026-11-25T09:05:00.000Z" },
    };
    tamper("UPDATE jobs SET doc = ?, state = 'running', version = 4 WHERE id = ?", JSON.stringify(earlier), JOB);
    const { attempts, resume, lease, ...fields } = earlier;
    expect(await store.getJob(TENANT, JOB)).toEqual({ job: { ...fields, cancelRequested: false }, run: { attempts, resume, lease, version: 4 } });
  });

  it("refuses a job document that names another job or tenant", async () => {
    const store = openStore();
    await store.createJob(job(JOB));
    tamper("UPDATE jobs SET doc = json_set(doc, '$.tenantId', 'someone-else') WHERE id = ?", JOB);
    await expect(store.getJob(TENANT, JOB)).rejects.toThrow(/another job/);
  });

  it("fails loudly on damaged changes, outcomes, requests and audit entries", async () => {
    const store = openStore();
    await store.createJob(job(JOB));
    await store.putChanges(TENANT, JOB, [reportChange(1), reportChange(2)]);
    await store.putOutcomes(TENANT, JOB, [{ seq: 1, step: "update", status: "applied", at: "2026-11-25T09:01:00.000Z" }]);
    await store.createRecoveryRequest({ tenantId: TENANT, id: "r", reportId: JOB, backupId: "b", scope: {}, requestedBy: "a", requestedAt: "2026-11-25T09:00:00Z", digest: "d", expiresAt: "2026-11-26T09:00:00Z", state: "pending", version: 0 });
    await store.appendAudit([{ tenantId: TENANT, at: "2026-11-25T09:00:00Z", actor: "a", action: "jobStarted", target: JOB }]);
    tamper("UPDATE job_changes SET body = json_set(body, '$.entityTypeName', 'printer') WHERE seq = 2");
    tamper("UPDATE job_outcomes SET status = 'maybe'");
    tamper("UPDATE recovery_requests SET doc = json_remove(doc, '$.reportId')");
    tamper("UPDATE audit_entries SET doc = json_set(doc, '$.action', 'hack')");
    await expect(store.readChanges(TENANT, JOB, { limit: 10 })).rejects.toThrow(/Stored change 2 .* malformed/);
    await expect(store.getChanges(TENANT, JOB, [2])).rejects.toThrow(/malformed/);
    expect(await store.getChanges(TENANT, JOB, [1])).toEqual([reportChange(1)]);
    await expect(store.readOutcomes(TENANT, JOB, 0, 10)).rejects.toThrow();
    await expect(store.getRecoveryRequest(TENANT, "r")).rejects.toThrow(/Stored recovery request r is malformed/);
    await expect(store.listAudit(TENANT, { limit: 5 })).rejects.toThrow(/Stored audit entry is malformed/);
  });

  it("orders by time, not by text, when callers write instants with and without milliseconds", async () => {
    const store = openStore();
    // "…00Z" sorts after "…00.500Z" as text, yet is the earlier instant.
    await store.createJob(job("a", { createdAt: "2026-11-25T09:00:00Z" }));
    await store.updateJob({ job: { ...job("a"), createdAt: "2026-11-25T09:00:00Z", state: "succeeded", completedAt: "2026-11-25T09:00:01Z" }, run: { attempts: 0, version: 0 } });
    await store.createJob(job("b", { createdAt: "2026-11-25T09:00:00.500Z" }));
    expect((await store.listJobs(TENANT)).map((j) => j.id)).toEqual(["b", "a"]);
    expect((await store.getJob(TENANT, "a"))?.job.createdAt).toBe("2026-11-25T09:00:00Z"); // the caller's text is kept
    expect(await store.listJobsCompletedBefore(TENANT, "2026-11-25T09:00:01.000Z")).toEqual([]);
    expect(await store.listJobsCompletedBefore(TENANT, "2026-11-25T09:00:01.001Z")).toEqual([{ tenantId: TENANT, id: "a" }]);
    await store.appendAudit([{ tenantId: TENANT, at: "2026-11-25T09:00:00Z", actor: "a", action: "jobStarted", target: "a" }]);
    expect(await store.listAudit(TENANT, { since: "2026-11-25T09:00:00.000Z", limit: 5 })).toHaveLength(1);
    await expect(store.createJob(job("c", { tenantId: "other", createdAt: "yesterday-ish" }))).rejects.toThrow(RangeError);
  });

  it("adds the job tables to a file written by the first schema version, keeping its backups", async () => {
    const first = openStore();
    await first.beginBackup(TENANT, { id: "2026-11-21T02:00:00Z", trigger: "scheduled", startedAt: "2026-11-21T02:00:00Z" });
    await first.addToBackup(TENANT, "2026-11-21T02:00:00Z", { objects: [{ type: "user", id: "u1", deleted: false, properties: { displayName: "U" } }], links: [] });
    await first.completeBackup(TENANT, "2026-11-21T02:00:00Z", "2026-11-21T02:01:00Z");
    first.close();
    // Back to version 1: what a file of the previous release looks like.
    const raw = new Database(file);
    try {
      raw.exec(`DROP TABLE jobs; DROP TABLE active_jobs; DROP TABLE job_changes; DROP TABLE job_outcomes;
                DROP TABLE recovery_requests; DROP TABLE audit_entries; PRAGMA user_version = 1;`);
    } finally {
      raw.close();
    }
    const again = openStore();
    expect((await again.listBackups(TENANT)).map((b) => b.counts.user?.live)).toEqual([1]);
    await again.createJob(job(JOB));
    expect((await again.listJobs(TENANT)).map((j) => j.id)).toEqual([JOB]);
  });

  it("takes 100,000 changes in batches of 500, and pages through them by filter and cursor", async () => {
    // Speed is the engine benchmark's to measure; the query plans are checked in the next test.
    const store = openStore();
    await store.createJob(job(JOB));
    for (let i = 0; i < 100_000; i += REPORT_BATCH) {
      await store.putChanges(TENANT, JOB, Array.from({ length: REPORT_BATCH }, (_, k) => reportChange(i + k + 1)));
    }
    // A sparse filter (one change in a thousand) finds exactly its changes, page after page.
    const sparse: number[] = [];
    for (let afterSeq = 0; ; ) {
      const page = await store.readChanges(TENANT, JOB, { types: ["namedLocation"], afterSeq, limit: 10 });
      if (page.length === 0) break;
      sparse.push(...page.map((c) => c.seq));
      afterSeq = page[page.length - 1]!.seq;
    }
    expect(sparse).toEqual(Array.from({ length: 100 }, (_, k) => (k + 1) * 1000));
    expect(await store.readChanges(TENANT, JOB, { afterSeq: 99_900, actions: ["update"], limit: 50 })).toHaveLength(50);
    await store.deleteJob(TENANT, JOB);
    expect(await store.readChanges(TENANT, JOB, { limit: 1 })).toEqual([]);
  }, 60_000);

  it("pages changes and failed seqs through index ranges, never a scan of what a filter skips", () => {
    openStore().close(); // creates the schema
    const raw = new Database(file, { readonly: true });
    try {
      // The plan does not depend on the values bound, only on the statement.
      const plan = (sql: string) => {
        const params = Array.from({ length: sql.split("?").length - 1 }, () => 0);
        return (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join(" | ");
      };
      expect(plan(CHANGE_PAGE_SQL.ofKind)).toBe("SEARCH job_changes USING COVERING INDEX job_changes_by_kind (jk=? AND type=? AND action=? AND seq>?)");
      expect(plan(CHANGE_PAGE_SQL.all)).toBe("SEARCH job_changes USING PRIMARY KEY (jk=? AND seq>?)");
      expect(plan(FAILED_SEQS_SQL)).toBe("SEARCH job_outcomes USING COVERING INDEX job_outcomes_failed (jk=? AND seq>?)");
    } finally {
      raw.close();
    }
  });
});
