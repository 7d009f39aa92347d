/**
 * Links that a restore does not bring back: a membership removed before the user was deleted, a manager
 * changed before the old manager was deleted. The report lists the deleted object once; the recovery
 * still puts every link of the backup back.
 */
import { DriftClient } from "../../sim/drift";
import { collect, objectsOf } from "../graph/gateway-fixture";
import { ADA, BEN, startEngineFixture, type EngineFixture } from "./engine-fixture";
import { approvalOf } from "./approval";

describe("links around a restored object", () => {
  let fx: EngineFixture;
  beforeAll(async () => {
    fx = await startEngineFixture();
  });
  afterAll(async () => {
    await fx.close();
  });

  it("are reported on the restored object and re-added by the recovery when the restore did not bring them back", async () => {
    const { rewind } = fx.engine;
    const graph = fx.f.graph;
    const records = await collect(graph.readAll("user"));
    const cloud = objectsOf(records).filter((u) => u.properties["onPremisesSyncEnabled"] !== true && !u.id.startsWith("0a0a0a0a-") && u.properties["userType"] === "Member");
    const managerOf = new Map<string, string>();
    for (const r of records) if (r.kind === "links" && r.link === "manager" && r.targets[0]) managerOf.set(r.id, r.targets[0].id);
    const cloudIds = new Set(cloud.map((u) => u.id));
    // v reports to m; both cloud users. u is a member of a static group g.
    const [v, m] = [...managerOf].find(([report, manager]) => cloudIds.has(report) && cloudIds.has(manager))!;
    const m2 = cloud.find((x) => x.id !== v && x.id !== m)!.id;
    let g = "";
    let u = "";
    for await (const batch of graph.readAll("group")) {
      for (const r of batch) {
        if (g || r.kind !== "links" || r.link !== "members") continue;
        const member = r.targets.find((t) => cloudIds.has(t.id) && t.id !== v && t.id !== m && t.id !== m2);
        if (member) [g, u] = [r.id, member.id];
      }
    }
    const dynamic = (await graph.getObject("group", g))!.object.properties["membershipRule"];
    expect(dynamic ?? null).toBeNull();

    const backup = await rewind.takeBackup(ADA);
    const drift = new DriftClient(fx.f.sim.url, fx.f.sim.ca);
    try {
      expect((await drift.removeMember(g, u)).status).toBe(204);
      expect((await drift.softDelete("users", u)).status).toBe(204);
      expect((await drift.setManager(v, m2)).status).toBe(204);
      expect((await drift.softDelete("users", m)).status).toBe(204);
    } finally {
      await drift.close();
    }

    const report = await fx.waitForJob((await rewind.startDifferenceReport(ADA, { backupId: backup.id })).id);
    const changes = (await rewind.getChanges(ADA, report.id, { top: 999 })).changes;
    const byId = new Map(changes.map((c) => [c.id, c]));
    // The group is not listed for u (u's restore accounts for it); u's change names it.
    expect(byId.has(g)).toBe(false);
    expect(byId.get(u)).toMatchObject({ recoveryAction: "restore", incomingLinks: expect.arrayContaining([expect.objectContaining({ type: "group", id: g, link: "members" })]) });
    expect(byId.get(m)?.incomingLinks).toEqual(expect.arrayContaining([expect.objectContaining({ type: "user", id: v, link: "manager" })]));
    // Each names the object that held the link, as the report saw it.
    for (const l of [...(byId.get(u)?.incomingLinks ?? []), ...(byId.get(m)?.incomingLinks ?? [])]) {
      expect(l.name).toBe((await fx.f.graph.getObject(l.type, l.id))?.object.properties.displayName);
    }
    expect(byId.get(v)?.deltaFromCurrent.links).toEqual([expect.objectContaining({ link: "manager", toAdd: [], toRemove: [m2] })]);

    const request = await rewind.requestRecovery(ADA, { reportId: report.id });
    const recovery = await fx.waitForJob((await rewind.startRecovery(BEN, approvalOf(request))).id);
    expect(recovery.state).toBe("succeeded");
    expect(await graph.getLinkTargets("user", v, "manager")).toEqual([m]);
    expect(await graph.memberOf("user", u)).toContain(g);

    const again = await fx.waitForJob((await rewind.startDifferenceReport(ADA, { backupId: backup.id })).id);
    expect((await rewind.getChanges(ADA, again.id, { top: 999 })).changes).toEqual([]);
  });
});
