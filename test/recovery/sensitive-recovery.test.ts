/**
 * Security-sensitive changes are flagged in the report, and the membership of Rewind's own role groups is
 * left out of a recovery unless the recovery names the group.
 */
import { PROTECTED_GROUP_REASON } from "../../core/recovery/protected-groups";
import { collect } from "../graph/gateway-fixture";
import { RecoveryWorld, TENANT } from "./recovery-world";

describe("security-sensitive recoveries", () => {
  let w: RecoveryWorld;
  beforeEach(async () => {
    w = await RecoveryWorld.start();
  });
  afterEach(async () => {
    await w.close();
  });

  /** A static cloud group of the backup with at least two members, and a plain cloud user. */
  async function pick(): Promise<{ group: string; member: string; user: string }> {
    const groups = (await collect(w.store.readBackup(TENANT, w.backupId, { types: ["group"] }))).flat();
    const g = groups.find((e) => !e.object.properties["membershipRule"] && e.object.properties["onPremisesSyncEnabled"] !== true && (e.links.find((l) => l.link === "members")?.targets.length ?? 0) >= 2)!;
    const member = g.links.find((l) => l.link === "members")!.targets.find((t) => !t.startsWith("0a0a0a0a-"))!;
    const users = (await collect(w.store.readBackup(TENANT, w.backupId, { types: ["user"] }))).flat();
    const user = users.find((e) => e.object.properties["accountEnabled"] === true && e.object.properties["onPremisesSyncEnabled"] !== true && !e.object.id.startsWith("0a0a0a0a-") && e.object.id !== member)!;
    return { group: g.object.id, member, user: user.object.id };
  }

  it("flags a re-enabled account and a role group's members in the report, and leaves the role group's members alone unless the recovery names it", async () => {
    const { group, member, user } = await pick();
    expect((await w.drift.removeMember(group, member)).status).toBe(204);
    expect((await w.drift.patch("users", user, { accountEnabled: false })).status).toBe(204);
    const roleGroups = new Set([group]);

    const report = await w.report({}, { roleGroups });
    const changes = await w.changes(report.id);
    expect(changes.find((c) => c.id === user)?.sensitive).toEqual(["Re-enables a disabled account: it can sign in again."]);
    expect(changes.find((c) => c.id === group)?.sensitive).toEqual(["Changes the members of one of the groups that give Rewind's own roles."]);
    expect(report.summary?.sensitive).toBe(2);

    // A recovery of the whole report: the account comes back, the role group's member does not.
    const broad = await w.recoveryJob(report);
    w.f.sim.resetStats();
    const run = await w.attempt(broad, { handler: { roleGroups } });
    expect(run.error).toBeUndefined();
    expect(w.writes()).toEqual({ [user]: 1 });
    expect((await w.f.graph.getLinkTargets("group", group, "members")) ?? []).not.toContain(member);
    const groupSeq = (await w.changes(broad.id)).find((c) => c.id === group)!.seq;
    expect((await w.outcomes(broad.id)).filter((o) => o.seq === groupSeq)).toEqual([expect.objectContaining({ status: "skipped", message: PROTECTED_GROUP_REASON })]);

    // A recovery that names the group writes its membership.
    const again = await w.report({}, { roleGroups });
    const named = await w.recoveryJob(again, { objects: [{ type: "group", ids: [group] }] });
    w.f.sim.resetStats();
    const second = await w.attempt(named, { handler: { roleGroups } });
    expect(second.job.state).toBe("succeeded");
    expect(w.writes()).toEqual({ [group]: 1 });
    expect(await w.f.graph.getLinkTargets("group", group, "members")).toContain(member);
  });
});
