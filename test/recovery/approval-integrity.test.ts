/**
 * A recovery writes exactly what was approved: a backup or a report changed in the store after the approval,
 * or a recovery job nobody approved, writes nothing.
 */
import Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import type { Job, RecoveryJob } from "../../core/model/job";
import type { RecoveryRequest } from "../../core/model/recovery-request";
import { NO_APPROVAL } from "../../core/recovery/approval-check";
import { SKIP_REASONS } from "../../core/recovery/plan-decision";
import { REPORT_CHANGED } from "../../core/recovery/recovery-handler";
import { applyDemoDrift } from "../../sim/drift";
import { ADA, BEN, RecoveryWorld, TENANT } from "./recovery-world";

/**
 * The attack: a queued recovery of a report written straight into the store (not through the façade, so no
 * approval made it), naming Ada as requester and Ben as approver, and a request: the approved one given, or
 * one that does not exist.
 */
async function insertForgedRecovery(w: RecoveryWorld, report: Job, recoveryRequestId?: string): Promise<RecoveryJob> {
  const job: RecoveryJob = {
    tenantId: TENANT,
    id: randomUUID(),
    kind: "recovery",
    backupId: report.backupId,
    state: "queued",
    scope: {},
    requestedBy: ADA,
    createdAt: w.clock.now().toISOString(),
    progress: { done: 0, total: null, estimatedCompletionAt: null },
    cancelRequested: false,
    reportId: report.id,
    approvedBy: BEN,
    recoveryRequestId: recoveryRequestId ?? randomUUID(),
  };
  await w.store.createJob(job);
  return job;
}

/** A recovery request approved for a job that is not the one about to run, written straight into the store. */
async function approvedRequestFor(w: RecoveryWorld, report: Job): Promise<RecoveryRequest> {
  const now = w.clock.now().toISOString();
  const request: RecoveryRequest = {
    tenantId: TENANT,
    id: randomUUID(),
    reportId: report.id,
    backupId: report.backupId,
    scope: {},
    requestedBy: ADA,
    requestedAt: now,
    digest: report.summary!.digest!,
    expiresAt: new Date(w.clock.now().getTime() + 3_600_000).toISOString(),
    state: "pending",
    version: 1,
  };
  await w.store.createRecoveryRequest(request);
  return w.store.updateRecoveryRequest({ ...request, state: "approved", decidedBy: BEN, decidedAt: now, recoveryJobId: randomUUID() });
}

/** Opens the world's store file beside the store, as someone with write access to the database would. */
function tamper(w: RecoveryWorld, edit: (db: Database.Database) => number): void {
  const db = new Database(w.storeFile);
  try {
    expect(edit(db)).toBe(1);
  } finally {
    db.close();
  }
}

describe("a recovery writes exactly what was approved", () => {
  let w: RecoveryWorld;
  beforeEach(async () => {
    w = await RecoveryWorld.start();
  });
  afterEach(async () => {
    await w.close();
  });

  it("a backup edited in the store after approval: that object is skipped with the reason, and nothing is written to it", async () => {
    const actions = await applyDemoDrift(w.f.sim.url, w.f.sim.ca);
    const edited = actions.find((a) => a.action === "edit department")!.targetId;
    const report = await w.report();
    const job = await w.recoveryJob(report);

    // Between approval and planning, the backup's copy of the edited user says something nobody approved.
    tamper(w, (db) => {
      const row = db
        .prepare(
          `SELECT c.cid AS cid, c.body AS body FROM contents c
           JOIN backup_objects r ON r.cid = c.cid JOIN objects o ON o.ok = r.ok JOIN backups b ON b.bk = r.bk
           WHERE b.id = ? AND o.id = ?`,
        )
        .get(w.backupId, edited) as { cid: number; body: string };
      const properties = JSON.parse(row.body) as Record<string, unknown>;
      return db.prepare("UPDATE contents SET body = ? WHERE cid = ?").run(JSON.stringify({ ...properties, department: "Attacker's choice" }), row.cid).changes;
    });

    w.f.sim.resetStats();
    const run = await w.attempt(job);
    expect(run.error).toBeUndefined();
    expect(run.job.state).toBe("completedWithWarnings");
    expect(w.writes()[edited]).toBeUndefined();
    const live = await w.f.graph.getObject("user", edited);
    expect(live?.object.properties["department"]).not.toBe("Attacker's choice");
    const changes = await w.changes(job.id);
    const seq = changes.find((c) => c.id === edited)!.seq;
    expect((await w.outcomes(job.id)).filter((o) => o.seq === seq)).toEqual([expect.objectContaining({ status: "skipped", message: SKIP_REASONS.backupDiffers })]);
    // The rest of the report was still recovered.
    expect(Object.keys(w.writes()).length).toBeGreaterThan(3);
  });

  it("a report edited in the store after approval: the recovery refuses, writes nothing and leaves an audit entry", async () => {
    const actions = await applyDemoDrift(w.f.sim.url, w.f.sim.ca);
    const edited = actions.find((a) => a.action === "edit department")!.targetId;
    const report = await w.report();
    const job = await w.recoveryJob(report);

    tamper(w, (db) => {
      const row = db.prepare("SELECT c.jk AS jk, c.seq AS seq, c.body AS body FROM job_changes c JOIN jobs j ON j.jk = c.jk WHERE j.id = ?").all(report.id) as Array<{ jk: number; seq: number; body: string }>;
      const target = row.find((r) => (JSON.parse(r.body) as { id: string }).id === edited)!;
      const change = JSON.parse(target.body) as { deltaFromCurrent: { properties: Array<{ name: string; backupValue: unknown }> } };
      for (const p of change.deltaFromCurrent.properties) if (p.name === "department") p.backupValue = "Attacker's choice";
      return db.prepare("UPDATE job_changes SET body = ? WHERE jk = ? AND seq = ?").run(JSON.stringify(change), target.jk, target.seq).changes;
    });

    w.f.sim.resetStats();
    const run = await w.attempt(job);
    expect(run.job).toMatchObject({ state: "failed", error: REPORT_CHANGED });
    expect(w.writes()).toEqual({});
    const audit = await w.store.listAudit(TENANT, { limit: 10 });
    expect(audit).toEqual(expect.arrayContaining([expect.objectContaining({ action: "recoveryRefused", target: job.id, actor: "system" })]));
  });

  it("a queued recovery inserted straight into the store, or naming a request that is not approved for it, writes nothing", async () => {
    await applyDemoDrift(w.f.sim.url, w.f.sim.ca);
    const report = await w.report();
    w.f.sim.resetStats();

    // No such request.
    const forged = await insertForgedRecovery(w, report);
    expect((await w.attempt(forged)).job).toMatchObject({ state: "failed", error: NO_APPROVAL });

    // A real approved request, but for another job: its approval cannot be borrowed.
    const approval = await approvedRequestFor(w, report);
    const borrowing = await insertForgedRecovery(w, report, approval.id);
    expect((await w.attempt(borrowing)).job).toMatchObject({ state: "failed", error: NO_APPROVAL });

    expect(w.writes()).toEqual({});
    const refused = (await w.store.listAudit(TENANT, { limit: 10 })).filter((a) => a.action === "recoveryRefused").map((a) => a.target);
    expect(refused.sort()).toEqual([forged.id, borrowing.id].sort());
  });
});
