import { Agent, fetch } from "undici";
import { CATALOG, OBJECT_TYPES } from "../../core/model/catalog";
import { DirectoryError } from "../../core/model/directory-error";
import { collect, linkSets, objectsOf, startFixture, targetsOf, type Fixture } from "./gateway-fixture";

const ADA = "0a0a0a0a-0000-4000-8000-000000000001";
const GIL = "0a0a0a0a-0000-4000-8000-000000000003";

describe("Graph gateway reads, against the simulator over HTTPS", () => {
  let f: Fixture;
  beforeEach(async () => {
    // 40 member entries per delta page: the demo's larger groups continue over several pages.
    f = await startFixture({ throttling: false, deltaMembersPerPage: 40 }, { pageSize: 25 });
  });
  afterEach(() => f.close());

  it("reads every supported type, page by page, with only the catalog's properties", async () => {
    for (const type of OBJECT_TYPES) {
      const records = await collect(f.graph.readAll(type));
      const objects = objectsOf(records, type);
      expect(objects.length).toBeGreaterThan(0);
      expect(new Set(objects.map((o) => o.id)).size).toBe(objects.length);
      const contained = CATALOG[type].contained?.name;
      const allowed = new Set([...CATALOG[type].properties.map((p) => p.name), ...CATALOG[type].extraSelect, ...(contained ? [contained] : []), "@odata.type"]);
      for (const o of objects) for (const key of Object.keys(o.properties)) expect(allowed).toContain(key);
    }
    const users = objectsOf(await collect(f.graph.readAll("user")));
    expect(users.length).toBeGreaterThan(25 * 3); // several pages of 25
    const ada = users.find((u) => u.id === ADA);
    expect(ada?.properties.userPrincipalName).toBe("ada@rewinddemo.onmicrosoft.com");
    expect(users.some((u) => u.properties.onPremisesSyncEnabled === true)).toBe(true);
  });

  it("reads group members through delta (split pages included) exactly as the members endpoint lists them", async () => {
    const records = await collect(f.graph.readAll("group"));
    const token = records.find((r) => r.kind === "deltaToken");
    expect(token?.kind === "deltaToken" && token.token).toMatch(/\/groups\/delta\?/);
    const members = linkSets(records, "members");
    const owners = linkSets(records, "owners");
    const groups = objectsOf(records, "group");
    const totalLinks = [...members.values()].reduce((n, s) => n + s.size, 0);
    expect(totalLinks).toBeGreaterThan(100);
    // Some group's members really came in more than one chunk (a page split).
    const chunksPerGroup = new Map<string, number>();
    for (const r of records) if (r.kind === "links" && r.link === "members") chunksPerGroup.set(r.id, (chunksPerGroup.get(r.id) ?? 0) + 1);
    const split = [...chunksPerGroup.entries()].filter(([, n]) => n > 1).map(([id]) => id);
    expect(split.length).toBeGreaterThan(0);
    for (const g of [...groups.filter((x) => split.includes(x.id)).slice(0, 3), ...groups.slice(0, 5)]) {
      const one = await f.graph.getObject("group", g.id);
      expect(one).not.toBeNull();
      expect([...(members.get(g.id) ?? [])].sort()).toEqual(targetsOf(one!.links, "members"));
      expect([...(owners.get(g.id) ?? [])].sort()).toEqual(targetsOf(one!.links, "owners"));
    }
  });

  it("reads managers through user delta and sponsors through $expand", async () => {
    const records = await collect(f.graph.readAll("user"));
    const managers = linkSets(records, "manager");
    expect(managers.size).toBeGreaterThan(10);
    const [userId, mgr] = [...managers.entries()].find(([, s]) => s.size === 1)!;
    const one = await f.graph.getObject("user", userId);
    expect(targetsOf(one!.links, "manager")).toEqual([...mgr]);
    const sponsors = linkSets(records, "sponsors");
    expect(sponsors.size).toBeGreaterThan(0);
    const [guestId, s] = [...sponsors.entries()][0]!;
    expect(targetsOf((await f.graph.getObject("user", guestId))!.links, "sponsors")).toEqual([...s].sort());
  });

  it("follows a delta token: changed properties, member removals and additions, soft and hard deletes", async () => {
    const first = await collect(f.graph.readAll("group"));
    const token = first.find((r) => r.kind === "deltaToken");
    if (token?.kind !== "deltaToken") throw new Error("no delta token");
    const members = linkSets(first, "members");
    const [groupId, set] = [...members.entries()].find(([id, s]) => s.size >= 3 && !isDynamic(first, id) && !isSynced(first, id))!;
    const removedMember = [...set][0]!;
    const groups = objectsOf(first, "group");
    const victim = groups.find((g) => g.id !== groupId && !isSynced(first, g.id))!;

    expect((await f.graph.updateObject("group", groupId, { description: "edited by the test" })).ok).toBe(true);
    const rm = await f.graph.removeLinks("group", groupId, "members", [removedMember]);
    expect(rm[0]!.outcome).toBe("applied");
    const add = await f.graph.addLinks("group", groupId, "members", [ADA]);
    expect(["applied", "alreadyDone"]).toContain(add[0]!.outcome);
    expect((await f.graph.softDeleteObject("group", victim.id)).ok).toBe(true);

    const changes = await collect(f.graph.readChanges("group", token.token));
    const edited = objectsOf(changes).find((o) => o.id === groupId);
    expect(edited?.properties.description).toBe("edited by the test");
    expect(edited?.partial).toBe(true);
    const linkChanges = changes.filter((r) => r.kind === "links" && r.id === groupId);
    expect(linkChanges.flatMap((r) => (r.kind === "links" ? (r.removed ?? []).map((t) => t.id) : []))).toContain(removedMember);
    expect(changes).toContainEqual({ kind: "removed", type: "group", id: victim.id, reason: "changed" });
    const next = changes.find((r) => r.kind === "deltaToken");
    expect(next).toBeDefined();

    // Hard delete the soft-deleted group: the next changes say it is gone for good.
    const { sim } = f;
    const res = await fetchJson(sim, "DELETE", `/v1.0/directory/deletedItems/${victim.id}`);
    expect(res).toBe(204);
    const later = await collect(f.graph.readChanges("group", next!.kind === "deltaToken" ? next!.token : ""));
    expect(later).toContainEqual({ kind: "removed", type: "group", id: victim.id, reason: "deleted" });
  });

  it("answers an expired delta token with a typed 410, so the engine knows to read in full", async () => {
    const first = await collect(f.graph.readAll("user"));
    const token = first.find((r) => r.kind === "deltaToken");
    if (token?.kind !== "deltaToken") throw new Error("no delta token");
    f.sim.expireDeltaTokens();
    const err = await collect(f.graph.readChanges("user", token.token)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DirectoryError);
    expect((err as DirectoryError).status).toBe(410);
  });

  it("lists soft-deleted objects, restores one with its id and memberships, and says null for what is gone", async () => {
    const before = await collect(f.graph.readAll("group"));
    const members = linkSets(before, "members");
    const user = objectsOf(await collect(f.graph.readAll("user"))).find(
      (u) => u.properties.onPremisesSyncEnabled !== true && !u.id.startsWith("0a0a0a0a-") && [...members.values()].some((s) => s.has(u.id)),
    )!;
    const groupsOfUser = [...members.entries()].filter(([, s]) => s.has(user.id)).map(([g]) => g);

    expect((await f.graph.softDeleteObject("user", user.id)).ok).toBe(true);
    expect(await f.graph.getObject("user", user.id)).toBeNull();
    const deleted = await collect(f.graph.readDeleted("user"));
    const entry = deleted.find((d) => d.id === user.id);
    expect(entry?.deletedDateTime).toEqual(expect.any(String));
    expect(entry?.properties.userPrincipalName).toBe(user.properties.userPrincipalName);
    expect((await f.graph.getDeleted("user", user.id))?.type).toBe("user");
    const g0 = (await f.graph.getObject("group", groupsOfUser[0]!))!;
    expect(targetsOf(g0.links, "members")).not.toContain(user.id);

    expect(await f.graph.restoreObject("user", user.id)).toEqual({ ok: true });
    expect((await f.graph.getObject("user", user.id))?.object.id).toBe(user.id);
    const g1 = (await f.graph.getObject("group", groupsOfUser[0]!))!;
    expect(targetsOf(g1.links, "members")).toContain(user.id);
    expect(await f.graph.getDeleted("user", user.id)).toBeNull();
  });

  it("restarts an enumeration whose skip token expired, and still yields every object", async () => {
    const all = objectsOf(await collect(f.graph.readAll("application")));
    const seen: string[] = [];
    let expired = false;
    for await (const batch of f.graph.readAll("user")) {
      for (const r of batch) if (r.kind === "object") seen.push(r.id);
      if (!expired && seen.length >= 30) {
        f.sim.expireSkipTokens();
        expired = true;
      }
    }
    const unique = new Set(seen);
    expect(seen.length).toBeGreaterThan(unique.size); // the restart replayed the first page(s)
    const direct = objectsOf(await collect(f.graph.readAll("user")));
    expect([...unique].sort()).toEqual(direct.map((u) => u.id).sort());
    expect(all.length).toBeGreaterThan(0);
  });

  it("reads directory role members for role checks", async () => {
    expect(await f.graph.directoryRoleMembers("Global Administrator")).toContain(GIL);
    expect(await f.graph.directoryRoleMembers("Microsoft Entra Backup Administrator")).toEqual(expect.arrayContaining([ADA]));
    expect(await f.graph.directoryRoleMembers("No Such Role")).toEqual([]);
  });
});

function isDynamic(records: readonly { kind: string }[], id: string): boolean {
  const g = objectsOf(records as never).find((o) => o.id === id);
  return Array.isArray(g?.properties.groupTypes) && (g!.properties.groupTypes as string[]).includes("DynamicMembership");
}
function isSynced(records: readonly { kind: string }[], id: string): boolean {
  return objectsOf(records as never).find((o) => o.id === id)?.properties.onPremisesSyncEnabled === true;
}

async function fetchJson(sim: Fixture["sim"], method: string, path: string): Promise<number> {
  const agent = new Agent({ connect: { ca: sim.ca } });
  try {
    const r = await fetch(`${sim.url}${path}`, { method, headers: { Authorization: "Bearer t" }, dispatcher: agent });
    await r.text();
    return r.status;
  } finally {
    await agent.close();
  }
}
