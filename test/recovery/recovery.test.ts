import { readChangeOutcomes } from "../../core/recovery/outcome";
import { SKIP_REASONS } from "../../core/recovery/plan-decision";
import { applyDemoDrift, type DriftAction } from "../../sim/drift";
import { collect, objectsOf, targetsOf } from "../graph/gateway-fixture";
import { BEN, RecoveryWorld, TENANT } from "./recovery-world";

/** The ids applyDemoDrift changed, by what it did to them. */
function driftTargets(actions: readonly DriftAction[]) {
  const one = (name: string, nth = 0): string => {
    const found = actions.filter((a) => a.action === name)[nth];
    if (!found) throw new Error(`drift did not ${name}`);
    return found.targetId;
  };
  return {
    deletedUser: one("soft-delete user", 0),
    editedUser: one("edit department"),
    group: one("remove member").split("/")[0]!,
    managedUser: one("change manager"),
    policy: one("disable CA policy"),
    createdGroup: one("create group"),
    syncedUser: one("edit synced user (refused)"),
    purgedUser: one("hard-delete user"),
  };
}

describe("recovery of a difference report, through the simulator", () => {
  let w: RecoveryWorld;
  beforeEach(async () => {
    w = await RecoveryWorld.start();
  });
  afterEach(async () => {
    await w.close();
  });

  it.each([
    ["reading the changed objects one by one", undefined],
    ["reading their whole types (a plan past the by-id limit)", 3],
  ])("brings the tenant back to the backup, writing each object the fewest times, and lists every outcome (%s)", async (_how, byIdLimit) => {
    const actions = await applyDemoDrift(w.f.sim.url, w.f.sim.ca);
    for (const a of actions) expect([a.action, a.status]).toEqual([a.action, a.expectedStatus]);
    const t = driftTargets(actions);
    const report = await w.report();
    expect(report.summary?.notRecoverable).toBe(2); // the synced user and the purged one

    const job = await w.recoveryJob(report);
    w.f.sim.resetStats();
    const run = await w.attempt(job, byIdLimit === undefined ? {} : { handler: { byIdLimit } });
    expect(run.error).toBeUndefined();
    expect(run.states).toEqual(["loadingData", "running"]);
    expect(run.job.state).toBe("completedWithWarnings");
    const total = report.summary!.total;
    expect(run.job.outcomes).toEqual({ total, applied: total - 2, failed: 0, skipped: 2 });
    expect(run.job.summary?.total).toBe(total - 2); // the plan: what was to be written
    expect(run.job.progress.done).toBe(run.job.progress.total);

    // One restore, one PATCH per edited object, one write per link request, one soft delete; nothing else.
    // The group: its three removed members re-added in one request, the added one removed, an owner each way.
    expect(w.writes()).toEqual({
      [t.deletedUser]: 1,
      [t.editedUser]: 1,
      [t.group]: 4,
      [t.managedUser]: 1,
      [t.policy]: 1,
      [t.createdGroup]: 1,
    });

    // A new report finds nothing left to recover: the user is back with its memberships, the department,
    // members, owners, manager and policy state are the backup's, the created group is gone.
    const after = await w.report();
    const left = await w.changes(after.id);
    expect(left.filter((c) => c.recoverable)).toEqual([]);
    expect(left.map((c) => c.id).sort()).toEqual([t.syncedUser, t.purgedUser].sort());
    expect(await w.f.graph.getObject("group", t.createdGroup)).toBeNull();
    expect((await w.f.graph.getDeleted("group", t.createdGroup))?.type).toBe("group");
    const policy = await w.f.graph.getObject("conditionalAccessPolicy", t.policy);
    expect(policy?.object.properties["state"]).toBe("enabled");
    const [backupGroup] = await collect(w.store.readBackup(TENANT, w.backupId, { types: ["group"], ids: [t.group] }));
    const liveGroup = await w.f.graph.getObject("group", t.group);
    for (const link of ["members", "owners"] as const) {
      // Less the user deleted for good: a link to it cannot come back.
      const then = (backupGroup!.links.find((l) => l.link === link)?.targets ?? []).filter((id) => id !== t.purgedUser);
      expect(targetsOf(liveGroup!.links, link)).toEqual([...then].sort());
    }
    const groupsWithUser = objectsOf(await collect(w.f.graph.readAll("group")))
      .map((g) => g.id)
      .filter((g) => g !== t.createdGroup);
    const backupMemberships = (await collect(w.store.readBackup(TENANT, w.backupId, { types: ["group"], ids: groupsWithUser })))
      .filter((e) => e.links.some((l) => l.link === "members" && l.targets.includes(t.deletedUser)))
      .map((e) => e.object.id);
    expect(backupMemberships.length).toBeGreaterThan(0);
    for (const g of backupMemberships) expect(targetsOf((await w.f.graph.getObject("group", g))!.links, "members")).toContain(t.deletedUser);

    // Every change has its outcome; the skipped ones say why.
    const outcomes = await readChangeOutcomes(w.store, TENANT, job.id, { limit: 100 });
    expect(outcomes).toHaveLength(total);
    const byId = new Map(outcomes.map((o) => [o.change.id, o]));
    for (const id of [t.deletedUser, t.editedUser, t.group, t.managedUser, t.policy, t.createdGroup]) expect(byId.get(id)?.outcome).toBe("applied");
    expect(byId.get(t.syncedUser)).toMatchObject({ outcome: "skipped", failureMessage: expect.stringContaining("synchronized from on-premises") });
    expect(byId.get(t.purgedUser)).toMatchObject({ outcome: "skipped", failureMessage: expect.stringContaining("deleted permanently") });
    expect(byId.get(t.createdGroup)?.change.recoveryAction).toBe("softDelete");
    expect(await readChangeOutcomes(w.store, TENANT, job.id, { limit: 100, only: "failed" })).toEqual([]);

    // The audit trail names each applied change, by the approver.
    const audit = (await w.store.listAudit(TENANT, { limit: 100 })).filter((e) => e.action === "changeApplied");
    expect(audit.map((e) => e.target).sort()).toEqual(
      [`user/${t.deletedUser}`, `user/${t.editedUser}`, `group/${t.group}`, `user/${t.managedUser}`, `conditionalAccessPolicy/${t.policy}`, `group/${t.createdGroup}`].sort(),
    );
    expect(audit.every((e) => e.actor === BEN && e.details?.["jobId"] === job.id)).toBe(true);
  });

  it("skips objects changed after the report (and synced ones) with the reason, and writes nothing to them", async () => {
    const users = objectsOf(await collect(w.f.graph.readAll("user"))).filter((u) => !u.id.startsWith("0a0a0a0a-"));
    const cloud = users.filter((u) => u.properties["onPremisesSyncEnabled"] !== true);
    const [changedAgain, recovered, revertedByHand] = cloud;
    const synced = users.find((u) => u.properties["onPremisesSyncEnabled"] === true)!;
    for (const u of [changedAgain!, recovered!, revertedByHand!]) expect((await w.drift.patch("users", u.id, { department: "Drifted" })).status).toBe(204);
    expect((await w.drift.syncEdit(synced.id, { department: "Edited on-premises" })).status).toBe(200);
    const report = await w.report();
    expect(report.summary?.total).toBe(4);

    // After the report: one user is edited again, another is put back by hand.
    expect((await w.drift.patch("users", changedAgain!.id, { department: "Moved again" })).status).toBe(204);
    expect((await w.drift.patch("users", revertedByHand!.id, { department: revertedByHand!.properties["department"] ?? null })).status).toBe(204);

    const job = await w.recoveryJob(report);
    w.f.sim.resetStats();
    const run = await w.attempt(job);
    expect(run.job.state).toBe("completedWithWarnings");
    expect(run.job.outcomes).toEqual({ total: 4, applied: 1, failed: 0, skipped: 3 });
    expect(w.writes()).toEqual({ [recovered!.id]: 1 });
    expect((await w.f.graph.getObject("user", changedAgain!.id))?.object.properties["department"]).toBe("Moved again");
    expect((await w.f.graph.getObject("user", recovered!.id))?.object.properties["department"]).toBe(recovered!.properties["department"] ?? null);

    const byId = new Map((await readChangeOutcomes(w.store, TENANT, job.id, { limit: 10 })).map((o) => [o.change.id, o]));
    expect(byId.get(changedAgain!.id)).toMatchObject({ outcome: "skipped", failureMessage: SKIP_REASONS.changedSinceReport });
    expect(byId.get(revertedByHand!.id)).toMatchObject({ outcome: "skipped", failureMessage: SKIP_REASONS.alreadyMatches });
    expect(byId.get(synced.id)).toMatchObject({ outcome: "skipped", failureMessage: expect.stringContaining("on-premises Active Directory") });
    expect(byId.get(recovered!.id)?.outcome).toBe("applied");
  });

  it("fails a link whose member was deleted for good with Graph's message, and applies the rest", async () => {
    const users = objectsOf(await collect(w.f.graph.readAll("user"))).filter((u) => u.properties["onPremisesSyncEnabled"] !== true && !u.id.startsWith("0a0a0a0a-"));
    const groups = objectsOf(await collect(w.f.graph.readAll("group"))).filter(
      (g) => g.properties["onPremisesSyncEnabled"] !== true && !(g.properties["groupTypes"] as string[]).includes("DynamicMembership"),
    );
    let group = "";
    let members: string[] = [];
    for (const g of groups) {
      members = targetsOf((await w.f.graph.getObject("group", g.id))!.links, "members").filter((m) => users.some((u) => u.id === m));
      if (members.length >= 2) {
        group = g.id;
        break;
      }
    }
    const [gone, kept] = members;
    const edited = users.find((u) => u.id !== gone && u.id !== kept)!;
    expect((await w.drift.removeMember(group, gone!)).status).toBe(204);
    expect((await w.drift.removeMember(group, kept!)).status).toBe(204);
    expect((await w.drift.patch("users", edited.id, { jobTitle: "Changed" })).status).toBe(204);
    const report = await w.report();
    const reported = await w.changes(report.id);
    expect(reported.find((c) => c.id === group)?.deltaFromCurrent.links).toEqual([expect.objectContaining({ link: "members", toAdd: [gone!, kept!].sort(), toRemove: [] })]);

    // The member is deleted for good after the report.
    expect((await w.drift.softDelete("users", gone!)).status).toBe(204);
    expect((await w.drift.hardDelete(gone!)).status).toBe(204);

    const job = await w.recoveryJob(report);
    const run = await w.attempt(job);
    expect(run.job.state).toBe("completedWithWarnings");
    expect(run.job.outcomes).toEqual({ total: 2, applied: 1, failed: 1, skipped: 0 });
    const live = targetsOf((await w.f.graph.getObject("group", group))!.links, "members");
    expect(live).toContain(kept);
    expect(live).not.toContain(gone);
    expect((await w.f.graph.getObject("user", edited.id))?.object.properties["jobTitle"]).toBe(edited.properties["jobTitle"] ?? null);

    const failed = await readChangeOutcomes(w.store, TENANT, job.id, { limit: 10, only: "failed" });
    expect(failed).toHaveLength(1);
    expect(failed[0]!.change.id).toBe(group);
    expect(failed[0]!.failureMessage).toMatch(new RegExp(`^Resource '${gone}' does not exist.*\\(members ${gone}\\)$`));
    const audit = (await w.store.listAudit(TENANT, { limit: 100 })).find((e) => e.action === "changeFailed");
    expect(audit).toMatchObject({ target: `group/${group}`, actor: BEN, details: { jobId: job.id, recoveryAction: "update", message: failed[0]!.failureMessage } });
  });

  it("writes back only the links a restore did not bring back, and none of a dynamic group's members", async () => {
    const groups = objectsOf(await collect(w.f.graph.readAll("group"))).filter((g) => g.properties["onPremisesSyncEnabled"] !== true);
    const isDynamic = (g: (typeof groups)[number]) => (g.properties["groupTypes"] as string[]).includes("DynamicMembership");
    let staticGroup = "";
    let members: string[] = [];
    for (const g of groups.filter((x) => !isDynamic(x))) {
      members = targetsOf((await w.f.graph.getObject("group", g.id))!.links, "members").filter((m) => m.includes("-0001-"));
      if (members.length >= 2) {
        staticGroup = g.id;
        break;
      }
    }
    const dynamicGroup = groups.find(isDynamic)!.id;
    // A member leaves the group, then the group is deleted: restoring it brings back the others only.
    expect((await w.drift.removeMember(staticGroup, members[0]!)).status).toBe(204);
    expect((await w.drift.softDelete("groups", staticGroup)).status).toBe(204);
    expect((await w.drift.softDelete("groups", dynamicGroup)).status).toBe(204);
    const report = await w.report();
    expect((await w.changes(report.id)).map((c) => [c.id, c.recoveryAction])).toEqual([[staticGroup, "restore"], [dynamicGroup, "restore"]].sort());

    const job = await w.recoveryJob(report);
    w.f.sim.resetStats();
    const run = await w.attempt(job);
    expect(run.job.state).toBe("succeeded");
    expect(run.job.outcomes).toEqual({ total: 2, applied: 2, failed: 0, skipped: 0 });
    // The static group: its restore and the one member re-added; the dynamic group: its restore only.
    expect(w.writes()).toEqual({ [staticGroup]: 2, [dynamicGroup]: 1 });
    expect(targetsOf((await w.f.graph.getObject("group", staticGroup))!.links, "members")).toEqual([...members].sort());
    const after = await w.report();
    expect(await w.changes(after.id)).toEqual([]);
  });

  it("recovers a group whose deleted member the report lists once, as a restore, without calling the group changed", async () => {
    const groups = objectsOf(await collect(w.f.graph.readAll("group"))).filter(
      (g) => g.properties["onPremisesSyncEnabled"] !== true && !(g.properties["groupTypes"] as string[]).includes("DynamicMembership"),
    );
    const users = new Set(objectsOf(await collect(w.f.graph.readAll("user"))).filter((u) => u.properties["onPremisesSyncEnabled"] !== true && !u.id.startsWith("0a0a0a0a-")).map((u) => u.id));
    let group = "";
    let members: string[] = [];
    for (const g of groups) {
      members = targetsOf((await w.f.graph.getObject("group", g.id))!.links, "members").filter((m) => users.has(m));
      if (members.length >= 2) {
        group = g.id;
        break;
      }
    }
    const [left, deleted] = members as [string, string];
    expect((await w.drift.removeMember(group, left)).status).toBe(204);
    expect((await w.drift.softDelete("users", deleted)).status).toBe(204);
    const report = await w.report();
    const reported = await w.changes(report.id);
    expect(reported.find((c) => c.id === group)?.deltaFromCurrent.links).toEqual([expect.objectContaining({ link: "members", toAdd: [left], toRemove: [] })]);

    const job = await w.recoveryJob(report);
    w.f.sim.resetStats();
    const run = await w.attempt(job);
    expect(run.job.state).toBe("succeeded");
    expect(w.writes()).toEqual({ [group]: 1, [deleted]: 1 });
    expect(targetsOf((await w.f.graph.getObject("group", group))!.links, "members")).toEqual(expect.arrayContaining([left, deleted]));
    const after = await w.report();
    expect((await w.changes(after.id)).filter((c) => c.recoverable)).toEqual([]);
  });

  it("recovers only the objects its scope names", async () => {
    const users = objectsOf(await collect(w.f.graph.readAll("user"))).filter((u) => u.properties["onPremisesSyncEnabled"] !== true && !u.id.startsWith("0a0a0a0a-"));
    const [a, b] = users;
    for (const u of [a!, b!]) expect((await w.drift.patch("users", u.id, { city: "Elsewhere", department: "Moved" })).status).toBe(204);
    const report = await w.report();
    const job = await w.recoveryJob(report, { objects: [{ type: "user", ids: [b!.id] }], attributes: ["city"] });
    w.f.sim.resetStats();
    const run = await w.attempt(job);
    expect(run.job.state).toBe("succeeded");
    expect(run.job.outcomes).toEqual({ total: 1, applied: 1, failed: 0, skipped: 0 });
    expect(w.writes()).toEqual({ [b!.id]: 1 });
    const now = (await w.f.graph.getObject("user", b!.id))!.object.properties;
    expect([now["city"], now["department"]]).toEqual([b!.properties["city"] ?? null, "Moved"]);
  });
});
