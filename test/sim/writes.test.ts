import { startSimulator, type RunningSimulator } from "../../sim/index";
import { ADA, GIL, NORA, RITA, SimClient, ids } from "./helpers";

const DIR_OBJ = "https://graph.microsoft.com/v1.0/directoryObjects/";

describe("writes, deleted items and restore", () => {
  let sim: RunningSimulator;
  let c: SimClient;
  let groups: Array<Record<string, unknown>>;
  let users: Array<Record<string, unknown>>;
  const staticGroup = (): string =>
    String(groups.find((g) => (g["groupTypes"] as string[]).length === 0 && g["onPremisesSyncEnabled"] !== true)?.["id"]);
  const cloudUsers = (): string[] =>
    ids(users.filter((u) => u["onPremisesSyncEnabled"] !== true && u["userType"] === "Member")).slice(20);

  beforeAll(async () => {
    sim = await startSimulator({ tenant: "demo" });
    c = new SimClient(sim);
    groups = await c.all("/groups?$top=999&$select=id,displayName,groupTypes,onPremisesSyncEnabled,membershipRule");
    users = await c.all("/users?$top=999&$select=id,userType,onPremisesSyncEnabled,displayName");
  });
  afterAll(async () => {
    await c.close();
    await sim.close();
  });

  it("patches properties and counts writes per object", async () => {
    sim.resetStats();
    expect((await c.patch(`/users/${NORA}`, { department: "Finance", jobTitle: "Controller" })).status).toBe(204);
    const r = await c.get(`/users/${NORA}?$select=department,jobTitle`);
    expect(r.body).toMatchObject({ department: "Finance", jobTitle: "Controller" });
    expect(sim.stats().writes).toBe(1);
    expect(sim.stats().writesByObject[NORA]).toBe(1);
    const unknown = await c.patch(`/users/${NORA}`, { shoeSize: 44 });
    expect(unknown.status).toBe(400);
    const readOnly = await c.patch(`/users/${NORA}`, { id: ADA });
    expect(readOnly.status).toBe(400);
    expect(sim.stats().writes).toBe(1);
  });

  it("refuses writes to objects synced from on-premises", async () => {
    const synced = users.find((u) => u["onPremisesSyncEnabled"] === true);
    const r = await c.patch(`/users/${String(synced?.["id"])}`, { department: "Legal" });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({
      code: "Request_BadRequest",
      message: "Unable to update the specified properties for objects that have originated within an external service.",
    });
  });

  it("adds and removes members, refusing duplicates, unknown objects and dynamic groups", async () => {
    const g = staticGroup();
    const before = ids(await c.all(`/groups/${g}/members?$select=id&$top=999`));
    const newcomer = cloudUsers().find((u) => !before.includes(u)) ?? "";
    expect((await c.post(`/groups/${g}/members/$ref`, { "@odata.id": `${DIR_OBJ}${newcomer}` })).status).toBe(204);
    const again = await c.post(`/groups/${g}/members/$ref`, { "@odata.id": `https://example.test/v1.0/users/${newcomer}` });
    expect(again.status).toBe(400);
    expect(again.body.error?.message).toBe("One or more added object references already exist for the following modified properties: 'members'.");
    const ghost = "11111111-2222-4333-8444-555555555555";
    const missing = await c.post(`/groups/${g}/members/$ref`, { "@odata.id": `${DIR_OBJ}${ghost}` });
    expect(missing.status).toBe(404);
    expect(missing.body.error?.message).toBe(`Resource '${ghost}' does not exist or one of its queried reference-property objects are not present.`);
    const after = ids(await c.all(`/groups/${g}/members?$select=id&$top=999`));
    expect(after).toEqual([...before, newcomer]);
    expect((await c.del(`/groups/${g}/members/${newcomer}/$ref`)).status).toBe(204);
    expect((await c.del(`/groups/${g}/members/${newcomer}/$ref`)).status).toBe(404);
    const dynamic = groups.find((x) => (x["groupTypes"] as string[]).includes("DynamicMembership"));
    const dyn = await c.post(`/groups/${String(dynamic?.["id"])}/members/$ref`, { "@odata.id": `${DIR_OBJ}${newcomer}` });
    expect(dyn.status).toBe(400);
    expect(dyn.body.error?.code).toBe("Request_BadRequest");
  });

  it("binds at most 20 members per PATCH", async () => {
    const g = staticGroup();
    const present = new Set(ids(await c.all(`/groups/${g}/members?$select=id&$top=999`)));
    const fresh = cloudUsers().filter((u) => !present.has(u));
    const tooMany = await c.patch(`/groups/${g}`, { "members@odata.bind": fresh.slice(0, 21).map((id) => `${DIR_OBJ}${id}`) });
    expect(tooMany.status).toBe(400);
    expect((await c.all(`/groups/${g}/members?$select=id&$top=999`)).length).toBe(present.size);
    const ok = await c.patch(`/groups/${g}`, { description: "bound", "members@odata.bind": fresh.slice(0, 20).map((id) => `${DIR_OBJ}${id}`) });
    expect(ok.status).toBe(204);
    expect((await c.all(`/groups/${g}/members?$select=id&$top=999`)).length).toBe(present.size + 20);
  });

  it("changes owners, manager and sponsors", async () => {
    const g = staticGroup();
    const owners = ids(await c.all(`/groups/${g}/owners?$select=id`));
    expect((await c.post(`/groups/${g}/owners/$ref`, { "@odata.id": `${DIR_OBJ}${RITA}` })).status).toBe(204);
    expect((await c.post(`/groups/${g}/owners/$ref`, { "@odata.id": `${DIR_OBJ}${RITA}` })).body.error?.message).toContain("'owners'");
    expect((await c.del(`/groups/${g}/owners/${String(owners[0])}/$ref`)).status).toBe(204);
    expect(ids(await c.all(`/groups/${g}/owners?$select=id`))).toEqual([...owners.slice(1), RITA]);

    expect((await c.put(`/users/${NORA}/manager/$ref`, { "@odata.id": `https://graph.microsoft.com/v1.0/users/${GIL}` })).status).toBe(204);
    expect((await c.get(`/users/${NORA}/manager`)).body["id"]).toBe(GIL);
    expect((await c.del(`/users/${NORA}/manager/$ref`)).status).toBe(204);
    expect((await c.get(`/users/${NORA}/manager`)).status).toBe(404);

    expect((await c.post(`/users/${NORA}/sponsors/$ref`, { "@odata.id": `${DIR_OBJ}${ADA}` })).status).toBe(204);
    expect(ids(await c.all(`/users/${NORA}/sponsors`))).toEqual([ADA]);
    expect((await c.del(`/users/${NORA}/sponsors/${ADA}/$ref`)).status).toBe(204);
    expect(await c.all(`/users/${NORA}/sponsors`)).toEqual([]);
  });

  it("creates objects with new ids", async () => {
    const g = await c.post("/groups", {
      displayName: "Created group", mailEnabled: false, mailNickname: "created", securityEnabled: true,
      "members@odata.bind": [`${DIR_OBJ}${NORA}`],
    });
    expect(g.status).toBe(201);
    const gid = String(g.body["id"]);
    expect(gid).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids(await c.all(`/groups/${gid}/members`))).toEqual([NORA]);
    const u = await c.post("/users", {
      accountEnabled: true, displayName: "New Hire", mailNickname: "newhire", userPrincipalName: "newhire@rewinddemo.onmicrosoft.com",
      passwordProfile: { password: "x", forceChangePasswordNextSignIn: true },
    });
    expect(u.status).toBe(201);
    expect((await c.get(`/users/${String(u.body["id"])}?$select=displayName`)).body["displayName"]).toBe("New Hire");
    expect((await c.post("/users", { displayName: "No UPN" })).status).toBe(400);
    const loc = await c.post("/identity/conditionalAccess/namedLocations", {
      "@odata.type": "#microsoft.graph.ipNamedLocation", displayName: "HQ", isTrusted: true,
      ipRanges: [{ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "198.51.100.0/24" }],
    });
    expect(loc.status).toBe(201);
    const pol = await c.post("/identity/conditionalAccess/policies", { displayName: "New policy", state: "disabled", conditions: {}, grantControls: { operator: "OR", builtInControls: ["mfa"] } });
    expect(pol.status).toBe(201);
  });

  it("soft-deletes, lists deleted items, restores with memberships, hard-deletes", async () => {
    const g = staticGroup();
    const members = ids(await c.all(`/groups/${g}/members?$select=id&$top=999`));
    const victim = members.find((m) => users.some((u) => u["id"] === m && u["onPremisesSyncEnabled"] !== true)) ?? "";
    expect((await c.del(`/users/${victim}`)).status).toBe(204);
    expect((await c.get(`/users/${victim}`)).status).toBe(404);
    expect(ids(await c.all(`/groups/${g}/members?$select=id&$top=999`))).not.toContain(victim);
    const deleted = await c.all("/directory/deletedItems/microsoft.graph.user?$select=id,displayName,deletedDateTime");
    expect(ids(deleted)).toContain(victim);
    expect(deleted.find((d) => d["id"] === victim)?.["deletedDateTime"]).toEqual(expect.any(String));
    expect((await c.get(`/directory/deletedItems/${victim}`)).body["id"]).toBe(victim);
    const restored = await c.post(`/directory/deletedItems/${victim}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body["id"]).toBe(victim);
    expect(ids(await c.all(`/groups/${g}/members?$select=id&$top=999`))).toEqual(members);
    expect(await c.all("/directory/deletedItems/microsoft.graph.user")).toEqual([]);

    expect((await c.del(`/users/${victim}`)).status).toBe(204);
    expect((await c.del(`/directory/deletedItems/${victim}`)).status).toBe(204);
    expect((await c.get(`/directory/deletedItems/${victim}`)).status).toBe(404);
    expect((await c.post(`/directory/deletedItems/${victim}/restore`)).status).toBe(404);
    expect(ids(await c.all(`/groups/${g}/members?$select=id&$top=999`))).not.toContain(victim);

    expect((await c.del(`/groups/${g}`)).status).toBe(204);
    expect(ids(await c.all("/directory/deletedItems/microsoft.graph.group"))).toEqual([g]);
    expect((await c.post(`/directory/deletedItems/${g}/restore`)).status).toBe(200);
    expect(ids(await c.all(`/groups/${g}/members?$select=id&$top=999`))).toEqual(members.filter((m) => m !== victim));
  });

  it("refuses to restore a user who holds a directory role", async () => {
    expect((await c.del(`/users/${RITA}`)).status).toBe(204);
    const r = await c.post(`/directory/deletedItems/${RITA}/restore`);
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." });
  });

  it("edits the policy singletons", async () => {
    expect((await c.patch("/policies/authorizationPolicy", { blockMsolPowerShell: true })).status).toBe(204);
    expect((await c.get("/policies/authorizationPolicy")).body["blockMsolPowerShell"]).toBe(true);
    expect((await c.patch("/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Sms", { state: "disabled" })).status).toBe(204);
    const sms = await c.get("/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Sms");
    expect(sms.body["state"]).toBe("disabled");
    expect((await c.patch(`/beta/users/${NORA}/authentication/requirements`, { perUserMfaState: "enforced" })).status).toBe(204);
    expect((await c.get(`/beta/users/${NORA}/authentication/requirements`)).body["perUserMfaState"]).toBe("enforced");
  });
});
