/**
 * The story, end to end through the façade over real HTTPS: back up the demo tenant, drift it, read
 * the difference report, recover with an approval, and find nothing left to recover.
 */
import { applyDemoDrift, type DriftAction } from "../../sim/drift";
import type { Change } from "../../core/model/change";
import { ADA, BEN, RITA, startEngineFixture, type EngineFixture } from "./engine-fixture";
import { approvalOf } from "./approval";

const target = (drift: DriftAction[], action: string): string => {
  const a = drift.find((d) => d.action === action);
  if (!a) throw new Error(`no drift action ${action}`);
  return a.targetId;
};
const targets = (drift: DriftAction[], action: string): string[] => drift.filter((d) => d.action === action).map((d) => d.targetId);

async function allChanges(fx: EngineFixture, jobId: string): Promise<Change[]> {
  const out: Change[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await fx.engine.rewind.getChanges(RITA, jobId, { top: 3, ...(cursor ? { cursor } : {}) });
    out.push(...page.changes);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
}

describe("the story: back up, drift, report, recover", () => {
  let fx: EngineFixture;
  beforeAll(async () => {
    fx = await startEngineFixture();
  });
  afterAll(async () => {
    await fx.close();
  });

  it("reports exactly the drift, recovers every recoverable object, and leaves nothing to recover", async () => {
    const { rewind } = fx.engine;
    const graph = fx.f.graph;
    const backup = await rewind.takeBackup(ADA);

    // Before the drift: what the backup should bring back.
    const drift0 = await applyDemoDrift(fx.f.sim.url, fx.f.sim.ca);
    for (const a of drift0) expect({ action: a.action, status: a.status }).toEqual({ action: a.action, status: a.expectedStatus });
    const deletedUser = target(drift0, "soft-delete user");
    const editedUser = target(drift0, "edit department");
    const [group] = targets(drift0, "remove member")[0]!.split("/");
    const removedMembers = targets(drift0, "remove member").map((t) => t.split("/")[1]!).sort();
    const addedMember = target(drift0, "add member").split("/")[1]!;
    const addedOwner = target(drift0, "add owner").split("/")[1]!;
    const removedOwner = target(drift0, "remove owner").split("/")[1]!;
    const managedUser = target(drift0, "change manager");
    const policy = target(drift0, "disable CA policy");
    const createdGroup = target(drift0, "create group");
    const syncedUser = target(drift0, "edit synced user on-premises");
    const purgedUser = targets(drift0, "soft-delete user")[1]!;
    const backupManager = await (async () => {
      for await (const batch of fx.store.readBackup(backup.tenantId, backup.id, { types: ["user"], ids: [managedUser] })) {
        return batch[0]?.links.find((l) => l.link === "manager")?.targets ?? [];
      }
      return [];
    })();

    // The report (a Backup Reader may run one).
    const started = await rewind.startDifferenceReport(RITA, { backupId: backup.id });
    expect(started.state).toBe("queued");
    const report = await fx.waitForJob(started.id);
    expect(report.state).toBe("succeeded");
    const changes = await allChanges(fx, report.id);
    const byId = new Map(changes.map((c) => [c.id, c]));
    expect([...byId.keys()].sort()).toEqual([deletedUser, editedUser, group!, managedUser, policy, createdGroup, syncedUser, purgedUser].sort());
    expect(report.summary).toMatchObject({ total: 8, notRecoverable: 2 });

    expect(byId.get(deletedUser)).toMatchObject({ entityTypeName: "user", recoveryAction: "restore", currentState: "softDeleted", recoverable: true });
    expect(byId.get(editedUser)).toMatchObject({ recoveryAction: "update", recoverable: true });
    expect(byId.get(editedUser)!.deltaFromCurrent.properties).toEqual([expect.objectContaining({ name: "department", currentValue: "Strategy" })]);
    expect(byId.get(group!)).toMatchObject({ entityTypeName: "group", recoveryAction: "update", recoverable: true });
    const groupLinks = byId.get(group!)!.deltaFromCurrent.links;
    expect(groupLinks).toEqual([
      expect.objectContaining({ link: "members", toAdd: removedMembers, toRemove: [addedMember] }),
      expect.objectContaining({ link: "owners", toAdd: [removedOwner], toRemove: [addedOwner] }),
    ]);
    expect(byId.get(managedUser)!.deltaFromCurrent.links).toEqual([
      expect.objectContaining({ link: "manager", toAdd: backupManager, toRemove: [expect.any(String)] }),
    ]);
    // Each target carries its name as the tenant has it, for the cards (none of these lists is over ten long).
    for (const l of [...groupLinks, ...byId.get(managedUser)!.deltaFromCurrent.links]) {
      const ids = [...l.toAdd, ...l.toRemove];
      expect(Object.keys(l.names ?? {}).sort()).toEqual([...ids].sort());
      for (const id of ids) expect(l.names?.[id]).toBe((await graph.getObject("user", id))?.object.properties.displayName);
    }
    expect(byId.get(policy)).toMatchObject({ entityTypeName: "conditionalAccessPolicy", recoveryAction: "update", recoverable: true });
    expect(byId.get(policy)!.deltaFromCurrent.properties).toEqual([{ name: "state", backupValue: "enabled", currentValue: "disabled" }]);
    expect(byId.get(createdGroup)).toMatchObject({ recoveryAction: "softDelete", currentState: "active", recoverable: true });
    expect(byId.get(syncedUser)).toMatchObject({ recoveryAction: "update", recoverable: false, notRecoverableReason: "synced" });
    expect(byId.get(purgedUser)).toMatchObject({ recoveryAction: "restore", currentState: "hardDeleted", recoverable: false, notRecoverableReason: "hardDeleted" });

    // The recovery: Ada asks, Ben approves.
    const request = await rewind.requestRecovery(ADA, { reportId: report.id });
    fx.f.sim.resetStats();
    const recovery = await fx.waitForJob((await rewind.startRecovery(BEN, approvalOf(request))).id);
    expect(recovery).toMatchObject({ kind: "recovery", state: "completedWithWarnings", approvedBy: BEN.userId, reportId: report.id });
    expect(recovery.kind === "recovery" && recovery.outcomes).toEqual({ total: 8, applied: 6, failed: 0, skipped: 2 });
    const outcomes = await rewind.getRecoveryOutcomes(ADA, recovery.id, { top: 100 });
    const outcomeOf = (id: string) => outcomes.changes.find((o) => o.change.id === id);
    expect(outcomeOf(syncedUser)).toMatchObject({ outcome: "skipped", failureMessage: expect.stringMatching(/on-premises/) });
    expect(outcomeOf(purgedUser)).toMatchObject({ outcome: "skipped", failureMessage: expect.stringMatching(/permanently/) });
    expect((await rewind.getFailedChanges(ADA, recovery.id, {})).changes).toEqual([]);

    // The tenant is back where the backup was; the synced and the purged users were not touched.
    const writes = fx.f.sim.stats().writesByObject;
    expect(writes[syncedUser] ?? 0).toBe(0);
    expect(writes[purgedUser] ?? 0).toBe(0);
    expect(await graph.getObject("user", deletedUser)).not.toBeNull();
    expect((await graph.getObject("user", editedUser))?.object.properties["department"]).not.toBe("Strategy");
    expect(await graph.getObject("group", createdGroup)).toBeNull();
    expect(await graph.getDeleted("group", createdGroup)).not.toBeNull();
    expect((await graph.getObject("conditionalAccessPolicy", policy))?.object.properties["state"]).toBe("enabled");
    expect((await graph.getObject("user", syncedUser))?.object.properties["department"]).toBe("Edited on-premises");

    // A second report finds nothing left to recover.
    const again = await fx.waitForJob((await rewind.startDifferenceReport(ADA, { backupId: backup.id })).id);
    expect(again.state).toBe("succeeded");
    const left = await allChanges(fx, again.id);
    expect(left.map((c) => [c.id, c.recoverable]).sort()).toEqual([[purgedUser, false], [syncedUser, false]].sort());

    // Jobs are listed per backup, and the audit trail has who did what.
    expect((await rewind.listJobs(RITA, { backupId: backup.id })).map((j) => j.id)).toEqual([again.id, recovery.id, report.id]);
    const audit = await rewind.listAudit(ADA, { limit: 999 });
    const actions = audit.map((a) => `${a.action}:${a.actor}`);
    expect(actions).toEqual(expect.arrayContaining([`backupTaken:${ADA.userId}`, `recoveryRequested:${ADA.userId}`, `recoveryApproved:${BEN.userId}`, `jobStarted:${RITA.userId}`]));
    expect(audit.filter((a) => a.action === "changeApplied")).toHaveLength(6);
  });
});
