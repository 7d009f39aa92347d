import { DirectoryError } from "../../core/model/directory-error";
import { collect, objectsOf, startFixture, targetsOf, type Fixture } from "./gateway-fixture";

const SYNCED_REFUSAL = "Unable to update the specified properties for objects that have originated within an external service.";

describe("Graph gateway writes, against the simulator over HTTPS", () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture({ throttling: false });
  });
  afterAll(() => f.close());

  const cloudUsers = async () =>
    objectsOf(await collect(f.graph.readAll("user"))).filter((u) => u.properties.onPremisesSyncEnabled !== true && !u.id.startsWith("0a0a0a0a-"));
  const staticGroup = async () => {
    const records = await collect(f.graph.readAll("group"));
    return objectsOf(records).find(
      (g) => g.properties.onPremisesSyncEnabled !== true && !(g.properties.groupTypes as string[]).includes("DynamicMembership"),
    )!;
  };

  it("writes all changed properties of an object in one PATCH", async () => {
    const [u] = await cloudUsers();
    f.sim.resetStats();
    const out = await f.graph.updateObject("user", u!.id, { department: "Finance", jobTitle: "Controller", city: "Lyon" });
    expect(out).toEqual({ ok: true });
    expect(f.sim.stats().writesByObject[u!.id]).toBe(1);
    const now = await f.graph.getObject("user", u!.id);
    expect(now?.object.properties).toMatchObject({ department: "Finance", jobTitle: "Controller", city: "Lyon" });
  });

  it("writes the authentication methods policy as Graph's schema has it: its own properties without the configurations, each changed configuration on its own", async () => {
    const from = f.sim.writeLog().entries.at(-1)?.seq ?? 0;
    const properties = {
      policyMigrationState: "migrationInProgress",
      "authenticationMethodConfigurations/Sms/state": "disabled",
      "authenticationMethodConfigurations/Fido2/state": "disabled",
      "authenticationMethodConfigurations/Fido2/isSelfServiceRegistrationAllowed": false,
    };
    expect(await f.graph.writeMany([{ op: "update", type: "authenticationMethodsPolicy", id: "authenticationMethodsPolicy", properties }])).toEqual([{ ok: true }]);
    const writes = f.sim.writeLog(from).entries.map((e) => [e.method, e.path, e.status]);
    expect(writes.sort()).toEqual([
      ["PATCH", "/v1.0/policies/authenticationMethodsPolicy", 204],
      ["PATCH", "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Fido2", 204],
      ["PATCH", "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Sms", 204],
    ]);
    const now = (await f.graph.getObject("authenticationMethodsPolicy", "authenticationMethodsPolicy"))!.object.properties;
    expect(now["policyMigrationState"]).toBe("migrationInProgress");
    const configs = now["authenticationMethodConfigurations"] as Array<Record<string, unknown>>;
    expect(configs.find((m) => m["id"] === "Fido2")).toMatchObject({ state: "disabled", isSelfServiceRegistrationAllowed: false });
    expect(configs.find((m) => m["id"] === "Sms")).toMatchObject({ state: "disabled" });
    expect(configs.find((m) => m["id"] === "Email")).toMatchObject({ state: "enabled" });
  });

  it("sends many writes as $batch requests of 20, one outcome each, in order", async () => {
    const users = (await cloudUsers()).slice(0, 45);
    const missing = "99999999-9999-4999-8999-999999999999";
    const writes = [
      ...users.map((u, i) => ({ op: "update" as const, type: "user" as const, id: u.id, properties: { officeLocation: `Desk ${i}` } })),
      { op: "update" as const, type: "user" as const, id: missing, properties: { officeLocation: "nowhere" } },
    ];
    f.sim.resetStats();
    const out = await f.graph.writeMany(writes);
    expect(out.slice(0, 45).every((o) => o.ok)).toBe(true);
    const last = out[45]!;
    expect(last.ok).toBe(false);
    if (!last.ok) {
      expect(last.error.status).toBe(404);
      expect(last.error.message).toContain(missing);
    }
    const stats = f.sim.stats();
    expect(stats.httpRequests).toBe(3); // 46 writes → 3 envelopes
    expect(stats.writes).toBe(45);
    const check = await f.graph.getObject("user", users[44]!.id);
    expect(check?.object.properties.officeLocation).toBe("Desk 44");
  });

  it("adds members 20 per request, and says which were already there and which no longer exist", async () => {
    const group = await staticGroup();
    const before = targetsOf((await f.graph.getObject("group", group.id))!.links, "members");
    const fresh = (await cloudUsers()).map((u) => u.id).filter((id) => !before.includes(id)).slice(0, 45);
    f.sim.resetStats();
    const out = await f.graph.addLinks("group", group.id, "members", fresh);
    expect(out.every((o) => o.outcome === "applied")).toBe(true);
    expect(f.sim.stats().writesByObject[group.id]).toBe(3); // 20 + 20 + 5
    const after = targetsOf((await f.graph.getObject("group", group.id))!.links, "members");
    expect(after).toEqual(expect.arrayContaining(fresh));

    const gone = "99999999-9999-4999-8999-999999999998";
    const again = await f.graph.addLinks("group", group.id, "members", [fresh[0]!, gone]);
    expect(again[0]).toEqual({ targetId: fresh[0], outcome: "alreadyDone" });
    expect(again[1]!.outcome).toBe("failed");
    expect(again[1]!.error?.message).toContain(gone);

    const removed = await f.graph.removeLinks("group", group.id, "members", [fresh[1]!, fresh[1]!.replace(/.$/, "0")]);
    expect(removed[0]!.outcome).toBe("applied");
  });

  it("writes owners, a manager and sponsors through their $ref endpoints", async () => {
    const group = await staticGroup();
    const [a, b, c] = await cloudUsers();
    expect((await f.graph.addLinks("group", group.id, "owners", [a!.id]))[0]!.outcome).toMatch(/applied|alreadyDone/);
    expect(targetsOf((await f.graph.getObject("group", group.id))!.links, "owners")).toContain(a!.id);
    expect((await f.graph.removeLinks("group", group.id, "owners", [a!.id]))[0]!.outcome).toBe("applied");

    expect((await f.graph.addLinks("user", b!.id, "manager", [c!.id]))[0]!.outcome).toBe("applied");
    expect(targetsOf((await f.graph.getObject("user", b!.id))!.links, "manager")).toEqual([c!.id]);
    // Removing a manager who is no longer the one set leaves the current one alone.
    expect((await f.graph.removeLinks("user", b!.id, "manager", [a!.id]))[0]!.outcome).toBe("alreadyDone");
    expect(await f.graph.getLinkTargets("user", b!.id, "manager")).toEqual([c!.id]);
    expect((await f.graph.removeLinks("user", b!.id, "manager", [c!.id]))[0]!.outcome).toBe("applied");
    expect(targetsOf((await f.graph.getObject("user", b!.id))!.links, "manager")).toEqual([]);
    expect(await f.graph.getLinkTargets("user", b!.id, "manager")).toEqual([]);
    expect((await f.graph.removeLinks("user", b!.id, "manager", [c!.id]))[0]!.outcome).toBe("alreadyDone");

    expect((await f.graph.addLinks("user", b!.id, "sponsors", [c!.id]))[0]!.outcome).toBe("applied");
    expect(targetsOf((await f.graph.getObject("user", b!.id))!.links, "sponsors")).toContain(c!.id);
  });

  it("reports Graph's refusal to write a synced object, word for word", async () => {
    const synced = objectsOf(await collect(f.graph.readAll("user"))).find((u) => u.properties.onPremisesSyncEnabled === true)!;
    const out = await f.graph.updateObject("user", synced.id, { department: "Nope" });
    expect(out).toEqual({ ok: false, error: { status: 400, code: expect.any(String), message: SYNCED_REFUSAL } });
  });

  it("writes a policy singleton and a Conditional Access policy", async () => {
    const policies = objectsOf(await collect(f.graph.readAll("conditionalAccessPolicy")));
    const p = policies.find((x) => x.properties.state === "enabled")!;
    expect(await f.graph.updateObject("conditionalAccessPolicy", p.id, { state: "disabled" })).toEqual({ ok: true });
    expect((await f.graph.getObject("conditionalAccessPolicy", p.id))?.object.properties.state).toBe("disabled");
    expect(await f.graph.updateObject("authorizationPolicy", "", { blockMsolPowerShell: true })).toEqual({ ok: true });
    expect((await f.graph.getObject("authorizationPolicy", ""))?.object.properties.blockMsolPowerShell).toBe(true);
  });

  it("answers malformed requests as Graph does, with typed errors", async () => {
    const bad = await f.graph.getObject("user", "not-a-guid").catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(DirectoryError);
    expect((bad as DirectoryError).status).toBe(400);
    expect((bad as DirectoryError).message).toContain("not-a-guid");
    const [u] = await cloudUsers();
    const unknownProp = await f.graph.updateObject("user", u!.id, { notAProperty: 1 });
    expect(unknownProp.ok).toBe(false);
    if (!unknownProp.ok) expect(unknownProp.error.status).toBe(400);
    const dynamic = objectsOf(await collect(f.graph.readAll("group"))).find((g) =>
      (g.properties.groupTypes as string[]).includes("DynamicMembership"),
    )!;
    const dyn = await f.graph.addLinks("group", dynamic.id, "members", [u!.id]);
    expect(dyn[0]!.outcome).toBe("failed");
    expect(dyn[0]!.error?.status).toBe(400);
    await expect(f.graph.addLinks("group", dynamic.id, "manager", [u!.id])).rejects.toThrow("group has no manager link");
  });
});
