import { startSimulator, type RunningSimulator } from "../../sim/index";
import { ADA, GIL, NORA, SimClient, type GraphBody, withSimulator } from "./helpers";

type Item = Record<string, unknown>;
const entries = (i: Item, key = "members@delta"): Array<Record<string, unknown>> => (i[key] as Array<Record<string, unknown>> | undefined) ?? [];

/** Follows a delta round to its delta link, keeping the pages. */
async function round(c: SimClient, first: string, headers?: Record<string, string>): Promise<{ pages: GraphBody[]; deltaLink: string }> {
  const pages: GraphBody[] = [];
  let next: string | undefined = first;
  for (;;) {
    const r = await c.get(next, headers);
    if (r.status !== 200) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
    pages.push(r.body);
    next = r.body["@odata.nextLink"];
    if (!next) {
      const deltaLink = r.body["@odata.deltaLink"];
      if (!deltaLink) throw new Error("last page without deltaLink");
      return { pages, deltaLink };
    }
    expect(r.body["@odata.deltaLink"]).toBeUndefined();
  }
}

describe("delta queries", () => {
  let sim: RunningSimulator;
  let c: SimClient;
  beforeAll(async () => {
    // Four groups sharing 40,000 links: the largest has 20,000 members, so member lists must split.
    sim = await startSimulator({
      tenant: { seed: 5, users: 30000, groups: 4, links: 40000, applications: 2, conditionalAccessPolicies: 1, namedLocations: 1 },
    });
    c = new SimClient(sim);
  });
  afterAll(async () => {
    await c.close();
    await sim.close();
  });

  let groupsDeltaLink = "";

  it("splits large member lists at 10,000 entries per page, repeating the group on the next page", async () => {
    const { pages, deltaLink } = await round(c, "/groups/delta?$select=displayName,members");
    groupsDeltaLink = deltaLink;
    expect(pages.length).toBeGreaterThanOrEqual(4);
    const members = new Map<string, string[]>();
    let repeated = 0;
    for (let p = 0; p < pages.length; p++) {
      const value = pages[p]?.value ?? [];
      const count = value.reduce((n, i) => n + entries(i).length, 0);
      expect(count).toBeLessThanOrEqual(10000);
      for (const [k, item] of value.entries()) {
        const id = String(item["id"]);
        if (members.has(id)) {
          // A continuation: first on its page, only id + members@delta.
          expect(k).toBe(0);
          expect(Object.keys(item).sort()).toEqual(["id", "members@delta"]);
          repeated++;
        } else expect(item["displayName"]).toEqual(expect.any(String));
        members.set(id, [...(members.get(id) ?? []), ...entries(item).map((e) => String(e["id"]))]);
        expect(entries(item).every((e) => /^#microsoft\.graph\.(user|group|servicePrincipal)$/.test(String(e["@odata.type"])))).toBe(true);
      }
    }
    expect(repeated).toBeGreaterThan(0);
    expect(members.size).toBe(4);
    let total = 0;
    for (const [id, list] of members) {
      const listed = (await c.all(`/groups/${id}/members?$select=id&$top=999`)).map((m) => String(m["id"]));
      expect(list).toEqual(listed);
      total += list.length;
    }
    expect(total).toBe(40000);
  });

  it("returns only what changed since the token, with member additions and removals", async () => {
    const groups = (await c.get("/groups?$select=id,groupTypes,onPremisesSyncEnabled")).body.value ?? [];
    const writable = groups.filter((g) => !(g["groupTypes"] as string[]).includes("DynamicMembership") && g["onPremisesSyncEnabled"] !== true);
    const g = String(writable[0]?.["id"]);
    const members = (await c.get(`/groups/${g}/members?$select=id&$top=3`)).body.value ?? [];
    const removed = String(members[0]?.["id"]);
    const allMembers = new Set((await c.all(`/groups/${g}/members?$select=id&$top=999`)).map((m) => String(m["id"])));
    const users = (await c.get("/users?$select=id&$top=999")).body.value ?? [];
    const added = String(users.find((u) => !allMembers.has(String(u["id"])))?.["id"]);
    expect((await c.del(`/groups/${g}/members/${removed}/$ref`)).status).toBe(204);
    expect((await c.post(`/groups/${g}/members/$ref`, { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${added}` })).status).toBe(204);
    const created = await c.post("/groups", { displayName: "Delta new", mailEnabled: false, mailNickname: "deltanew", securityEnabled: true });
    const other = String(groups.find((x) => x["id"] !== g)?.["id"]);
    expect((await c.del(`/groups/${other}`)).status).toBe(204);

    const { pages, deltaLink } = await round(c, groupsDeltaLink);
    const items = pages.flatMap((p) => p.value ?? []);
    const byId = new Map(items.map((i) => [String(i["id"]), i]));
    expect(byId.size).toBe(3);
    const changed = entries(byId.get(g) ?? {});
    expect(changed).toEqual([
      { "@odata.type": "#microsoft.graph.user", id: removed, "@removed": { reason: "deleted" } },
      { "@odata.type": "#microsoft.graph.user", id: added },
    ]);
    expect(byId.get(String(created.body["id"]))?.["displayName"]).toBe("Delta new");
    expect(byId.get(other)).toEqual({ id: other, "@removed": { reason: "changed" } });

    expect((await c.del(`/directory/deletedItems/${other}`)).status).toBe(204);
    const again = await round(c, deltaLink);
    expect(again.pages.flatMap((p) => p.value ?? [])).toEqual([{ id: other, "@removed": { reason: "deleted" } }]);
    const quiet = await round(c, again.deltaLink);
    expect(quiet.pages.flatMap((p) => p.value ?? [])).toEqual([]);
  });

  it("answers 410 for expired delta tokens", async () => {
    const { deltaLink } = await round(c, "/users/delta?$deltatoken=latest");
    sim.expireDeltaTokens();
    const r = await c.get(deltaLink);
    expect(r.status).toBe(410);
    expect(r.body.error?.code).toBe("syncStateNotFound");
    expect(r.body.error?.message).toMatch(/full resync is required/i);
  });
});

describe("users delta with manager", () => {
  let sim: RunningSimulator;
  let c: SimClient;
  withSimulator({}, (s, client) => {
    sim = s;
    c = client;
  });

  it("tracks properties, manager@delta and removals, honouring odata.maxpagesize", async () => {
    const first = await c.get("/users/delta?$select=displayName,department,manager", { Prefer: "odata.maxpagesize=50" });
    expect(first.body.value).toHaveLength(50);
    expect(first.headers.get("preference-applied")).toBe("odata.maxpagesize=50");
    const { pages, deltaLink } = await round(c, "/users/delta?$select=displayName,department,manager", { Prefer: "odata.maxpagesize=50" });
    const all = pages.flatMap((p) => p.value ?? []);
    expect(all).toHaveLength(120);
    const managed = all.filter((u) => entries(u, "manager@delta").length === 1);
    expect(managed.length).toBeGreaterThan(80);

    expect((await c.patch(`/users/${NORA}`, { department: "Research" })).status).toBe(204);
    expect((await c.put(`/users/${NORA}/manager/$ref`, { "@odata.id": `https://graph.microsoft.com/v1.0/users/${GIL}` })).status).toBe(204);
    const others = all.filter((u) => ![ADA, NORA].includes(String(u["id"])) && String(u["displayName"]) !== "");
    const gone = String(others[40]?.["id"]);
    const purged = String(others[41]?.["id"]);
    expect((await c.del(`/users/${gone}`)).status).toBe(204);
    expect((await c.del(`/users/${purged}`)).status).toBe(204);
    expect((await c.del(`/directory/deletedItems/${purged}`)).status).toBe(204);

    const inc = await round(c, deltaLink);
    const items = inc.pages.flatMap((p) => p.value ?? []);
    const byId = new Map(items.map((i) => [String(i["id"]), i]));
    expect(byId.get(NORA)).toMatchObject({ department: "Research", "manager@delta": [{ "@odata.type": "#microsoft.graph.user", id: GIL }] });
    expect(byId.get(gone)).toEqual({ id: gone, "@removed": { reason: "changed" } });
    expect(byId.get(purged)).toEqual({ id: purged, "@removed": { reason: "deleted" } });
    expect(items).toHaveLength(3);
  });

  it("starts from now with $deltatoken=latest", async () => {
    const latest = await c.get("/users/delta?$deltatoken=latest&$select=displayName");
    expect(latest.body.value).toEqual([]);
    expect((await c.patch(`/users/${ADA}`, { displayName: "Ada A. Admin" })).status).toBe(204);
    const r = await c.get(String(latest.body["@odata.deltaLink"]));
    expect(r.body.value).toEqual([{ id: ADA, displayName: "Ada A. Admin" }]);
  });
});
