import { startSimulator, type RunningSimulator } from "../../sim/index";
import { SimClient, ids, withSimulator } from "./helpers";

describe("reads: paging, query options and malformed requests", () => {
  let sim: RunningSimulator;
  let c: SimClient;
  withSimulator({ tenant: "small", skipTokenTtlMs: 60000 }, (s, client) => {
    sim = s;
    c = client;
  });

  it("pages users with absolute next links on its own host, every user once", async () => {
    const first = await c.get("/users?$top=999&$select=id");
    expect(first.status).toBe(200);
    expect(first.body.value).toHaveLength(999);
    const next = first.body["@odata.nextLink"] ?? "";
    expect(next.startsWith(`${sim.url}/v1.0/users?`)).toBe(true);
    expect(next).toContain("$skiptoken=");
    const all = await c.all("/users?$top=999&$select=id");
    expect(all).toHaveLength(2000);
    expect(new Set(ids(all)).size).toBe(2000);
  });

  it("defaults to 100 per page and Graph's default user properties", async () => {
    const r = await c.get("/users");
    expect(r.body.value).toHaveLength(100);
    expect(Object.keys(r.body.value?.[0] ?? {}).sort()).toEqual(
      ["businessPhones", "displayName", "givenName", "id", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName"].sort(),
    );
  });

  it("refuses $top outside 1..999", async () => {
    for (const top of ["0", "1000", "abc", "-1"]) {
      const r = await c.get(`/users?$top=${top}`);
      expect(r.status).toBe(400);
      expect(r.body.error?.message).toBe(`Invalid page size specified: '${top}'. Must be between 1 and 999 inclusive.`);
    }
  });

  it("projects $select and refuses unknown properties", async () => {
    const r = await c.get("/groups?$top=3&$select=id,displayName");
    for (const g of r.body.value ?? []) expect(Object.keys(g).sort()).toEqual(["displayName", "id"]);
    const bad = await c.get("/users?$select=id,shoeSize");
    expect(bad.status).toBe(400);
    expect(bad.body.error?.message).toBe("Could not find a property named 'shoeSize' on type 'microsoft.graph.user'.");
  });

  it("filters by id eq, id in and refuses other filters", async () => {
    const some = ids((await c.get("/users?$top=3&$select=id")).body.value ?? []);
    const eq = await c.get(`/users?$filter=id eq '${some[1]}'&$select=id`);
    expect(ids(eq.body.value ?? [])).toEqual([some[1]]);
    const inList = await c.get(`/users?$filter=id in ('${some[0]}','${some[2]}')&$select=id`);
    expect(ids(inList.body.value ?? [])).toEqual([some[0], some[2]]);
    const other = await c.get("/users?$filter=startswith(displayName,'A')");
    expect(other.status).toBe(400);
    expect(other.body.error?.code).toBe("Request_UnsupportedQuery");
  });

  it("expands manager and owners with ($select=id), at most 20 per expanded collection", async () => {
    const users = (await c.get("/users?$top=50&$select=id&$expand=manager($select=id)")).body.value ?? [];
    const managed = users.filter((u) => u["manager"] !== undefined);
    expect(managed.length).toBeGreaterThan(30);
    expect(managed[0]?.["manager"]).toEqual({ "@odata.type": "#microsoft.graph.user", id: expect.any(String) });
    const groups = (await c.get("/groups?$top=50&$select=id&$expand=members($select=id)")).body.value ?? [];
    const sizes = groups.map((g) => (g["members"] as unknown[]).length);
    expect(Math.max(...sizes)).toBe(20);
    const owners = (await c.get("/groups?$top=5&$expand=owners($select=id)")).body.value ?? [];
    for (const g of owners) expect((g["owners"] as unknown[]).length).toBeGreaterThanOrEqual(1);
    const two = await c.get("/groups?$expand=owners,members");
    expect(two.status).toBe(400);
  });

  it("lists members and owners of a group with @odata.type and paging", async () => {
    const groups = await c.all("/groups?$top=999&$select=id");
    let biggest = "";
    let max = 0;
    for (const g of groups.slice(0, 60)) {
      const members = await c.all(`/groups/${String(g["id"])}/members?$select=id&$top=999`);
      if (members.length > max) [max, biggest] = [members.length, String(g["id"])];
    }
    expect(max).toBeGreaterThan(100);
    const page = await c.get(`/groups/${biggest}/members?$select=id&$top=50`);
    expect(page.body.value).toHaveLength(50);
    expect(page.body.value?.[0]?.["@odata.type"]).toMatch(/^#microsoft\.graph\.(user|group|servicePrincipal)$/);
    const all = await c.all(`/groups/${biggest}/members?$select=id&$top=50`);
    expect(all).toHaveLength(max);
  });

  it("expires skip tokens on demand with Directory_ExpiredPageToken", async () => {
    const first = await c.get("/users?$top=10&$select=id");
    sim.expireSkipTokens();
    const r = await c.get(first.body["@odata.nextLink"] ?? "");
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({
      code: "Directory_ExpiredPageToken",
      message: "The specified page token value has expired and can no longer be included in your request.",
    });
    const fresh = await c.get("/users?$top=10&$select=id");
    expect((await c.get(fresh.body["@odata.nextLink"] ?? "")).status).toBe(200);
  });

  it("expires skip tokens by age", async () => {
    const short = await startSimulator({ tenant: "demo", skipTokenTtlMs: 50 });
    const sc = new SimClient(short);
    const first = await sc.get("/users?$top=10");
    await new Promise((r) => setTimeout(r, 120));
    const r = await sc.get(first.body["@odata.nextLink"] ?? "");
    expect(r.body.error?.code).toBe("Directory_ExpiredPageToken");
    await sc.close();
    await short.close();
  });

  it("answers malformed requests like Graph", async () => {
    const badId = await c.get("/users/not-a-guid");
    expect(badId.status).toBe(400);
    expect(badId.body.error?.message).toBe("Invalid object identifier 'not-a-guid'.");
    const missing = await c.get("/users/11111111-2222-4333-8444-555555555555");
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({
      code: "Request_ResourceNotFound",
      message: "Resource '11111111-2222-4333-8444-555555555555' does not exist or one of its queried reference-property objects are not present.",
    });
    const segment = await c.get("/usres");
    expect(segment.status).toBe(400);
    expect(segment.body.error?.message).toBe("Resource not found for the segment 'usres'.");
    const deep = await c.get("/users/11111111-2222-4333-8444-555555555555/hobbies");
    expect(deep.body.error?.message).toBe("Resource not found for the segment 'hobbies'.");
    const someone = String((await c.get("/users?$top=1&$select=id")).body.value?.[0]?.["id"]);
    const badJson = await c.call("PATCH", `/users/${someone}`, "{not json");
    expect(badJson.status).toBe(400);
    expect(badJson.body.error?.code).toBe("BadRequest");
    const method = await c.call("PUT", "/users");
    expect(method.status).toBe(405);
    const err = missing.body.error;
    expect(err?.innerError).toEqual({ date: expect.any(String), "request-id": expect.any(String), "client-request-id": expect.any(String) });
    expect(missing.headers.get("request-id")).toBe(err?.innerError?.["request-id"]);
  });

  it("never serves a next page prepared before a write", async () => {
    const all = ids(await c.all("/users?$top=999&$select=id"));
    const edited = all[1500] ?? "";
    const removed = all[1600] ?? "";
    const first = await c.get("/users?$top=999&$select=id,department");
    await new Promise((r) => setTimeout(r, 100)); // let the next page be prepared in the background
    expect((await c.patch(`/users/${edited}`, { department: "Prefetched?" })).status).toBe(204);
    expect((await c.del(`/users/${removed}`)).status).toBe(204);
    const second = await c.get(first.body["@odata.nextLink"] ?? "");
    const page = second.body.value ?? [];
    expect(page.find((u) => u["id"] === edited)?.["department"]).toBe("Prefetched?");
    expect(ids(page)).not.toContain(removed);
    expect((await c.post(`/directory/deletedItems/${removed}/restore`)).status).toBe(200);
  });
});
