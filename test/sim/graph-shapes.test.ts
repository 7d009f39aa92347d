import { startSimulator, type RunningSimulator } from "../../sim/index";
import { SimClient, ids } from "./helpers";

const POLICY = "/policies/authenticationMethodsPolicy";
const CONFIGS = `${POLICY}/authenticationMethodConfigurations`;

/** Writes Graph answers differently from what the simulator once accepted: each case as Graph v1.0 answers it. */
describe("the simulator answers writes as Graph v1.0 does", () => {
  let sim: RunningSimulator;
  let c: SimClient;

  beforeAll(async () => {
    sim = await startSimulator({ tenant: "demo" });
    c = new SimClient(sim);
  });
  afterAll(async () => {
    await c.close();
    await sim.close();
  });

  describe("the authentication methods policy", () => {
    it("refuses method configurations inside a PATCH of the policy (a contained navigation property) and changes nothing", async () => {
      sim.resetStats();
      const r = await c.patch(POLICY, { authenticationMethodConfigurations: [{ id: "Sms", state: "disabled" }] });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({
        code: "BadRequest",
        message: "Cannot apply PATCH to navigation property 'authenticationMethodConfigurations' on entity type 'microsoft.graph.authenticationMethodsPolicy'.",
      });
      expect((await c.get(`${CONFIGS}/Sms`)).body["state"]).toBe("enabled");
      expect(sim.stats().writes).toBe(0);
    });

    it("refuses the policy's read-only properties and accepts its own writable ones", async () => {
      expect((await c.patch(POLICY, { displayName: "Renamed" })).body.error?.message).toBe("Property 'displayName' is read-only and cannot be set.");
      expect((await c.patch(POLICY, { policyMigrationState: "migrationInProgress" })).status).toBe(204);
      expect((await c.get(POLICY)).body["policyMigrationState"]).toBe("migrationInProgress");
      expect((await c.patch(POLICY, { policyMigrationState: "migrationComplete" })).status).toBe(204);
    });

    it("serves the configurations inline with the policy, as a list and one by one, and PATCHes one on its own", async () => {
      const policy = await c.get(POLICY);
      const inline = policy.body["authenticationMethodConfigurations"] as Array<Record<string, unknown>>;
      expect(ids(inline)).toEqual(ids(await c.all(CONFIGS)));
      const before = await c.get(`${CONFIGS}/MicrosoftAuthenticator`);
      expect(before.body).toMatchObject({ "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration", state: "enabled" });
      const r = await c.patch(`${CONFIGS}/MicrosoftAuthenticator`, { "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration", state: "disabled" });
      expect(r.status).toBe(204);
      expect((await c.get(`${CONFIGS}/MicrosoftAuthenticator`)).body).toMatchObject({ state: "disabled", isSoftwareOathEnabled: before.body["isSoftwareOathEnabled"] });
      // Another derived type in the body, or a property the configuration does not have, is refused.
      expect((await c.patch(`${CONFIGS}/MicrosoftAuthenticator`, { "@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration", state: "enabled" })).status).toBe(400);
      expect((await c.patch(`${CONFIGS}/Sms`, { isSoftwareOathEnabled: true })).status).toBe(400);
      expect((await c.patch(`${CONFIGS}/NoSuchMethod`, { state: "enabled" })).status).toBe(404);
    });
  });

  describe.each([
    ["conditionalAccessPolicy", "/identity/conditionalAccess/policies", "/identity/conditionalAccess/deletedItems/policies"],
    ["namedLocation", "/identity/conditionalAccess/namedLocations", "/identity/conditionalAccess/deletedItems/namedLocations"],
  ])("a deleted %s", (_kind, live, deleted) => {
    it("goes to Conditional Access's deleted items, is listed and read there, and comes back with restore", async () => {
      const [first] = await c.all(`${live}?$select=id,displayName`);
      const id = String(first?.["id"]);
      expect((await c.del(`${live}/${id}`)).status).toBe(204);
      expect((await c.get(`${live}/${id}`)).status).toBe(404);
      const listed = await c.all(`${deleted}?$select=id,displayName,deletedDateTime`);
      expect(listed.find((p) => p["id"] === id)).toMatchObject({ displayName: first?.["displayName"], deletedDateTime: expect.any(String) });
      expect((await c.get(`${deleted}/${id}`)).body).toMatchObject({ id, deletedDateTime: expect.any(String) });
      // Not a directory object: /directory/deletedItems does not know it.
      expect((await c.get(`/directory/deletedItems/${id}`)).status).toBe(404);

      const restored = await c.post(`${deleted}/${id}/restore`);
      expect(restored.status).toBe(200);
      expect(restored.body).toMatchObject({ id, displayName: first?.["displayName"] });
      expect((await c.get(`${live}/${id}`)).status).toBe(200);
      expect(ids(await c.all(`${deleted}?$select=id`))).not.toContain(id);
      // Restoring again, or an id Graph never had, answers 404.
      expect((await c.post(`${deleted}/${id}/restore`)).status).toBe(404);
      const unknown = await c.post(`${deleted}/11111111-2222-4333-8444-555555555555/restore`);
      expect([unknown.status, unknown.body.error?.code]).toEqual([404, "Request_ResourceNotFound"]);
    });

    it("deleted permanently from deleted items cannot be restored", async () => {
      const all = await c.all(`${live}?$select=id`);
      const id = String(all[all.length - 1]?.["id"]);
      expect((await c.del(`${live}/${id}`)).status).toBe(204);
      expect((await c.del(`${deleted}/${id}`)).status).toBe(204);
      expect((await c.get(`${deleted}/${id}`)).status).toBe(404);
      expect((await c.post(`${deleted}/${id}/restore`)).status).toBe(404);
    });
  });

  describe("deleting a group, by kind (learn.microsoft.com/graph/api/group-delete)", () => {
    const create = async (name: string, props: Record<string, unknown>): Promise<string> => {
      const r = await c.post("/groups", { displayName: name, mailNickname: name.replace(/\W/g, ""), ...props });
      expect(r.status).toBe(201);
      return String(r.body["id"]);
    };

    it.each([
      ["a distribution list", { mailEnabled: true, securityEnabled: false, groupTypes: [] }],
      ["a mail-enabled security group", { mailEnabled: true, securityEnabled: true, groupTypes: [] }],
    ])("removes %s for good: never in deleted items, and restore answers 404", async (name, props) => {
      const id = await create(`Gone ${name}`, props);
      expect((await c.del(`/groups/${id}`)).status).toBe(204);
      expect((await c.get(`/groups/${id}`)).status).toBe(404);
      expect((await c.get(`/directory/deletedItems/${id}`)).status).toBe(404);
      expect(ids(await c.all("/directory/deletedItems/microsoft.graph.group?$select=id"))).not.toContain(id);
      expect((await c.post(`/directory/deletedItems/${id}/restore`)).status).toBe(404);
    });

    it.each([
      ["a Microsoft 365 group", { mailEnabled: true, securityEnabled: false, groupTypes: ["Unified"] }],
      ["a cloud security group", { mailEnabled: false, securityEnabled: true, groupTypes: [] }],
    ])("moves %s to deleted items, from where it is restored", async (name, props) => {
      const id = await create(`Kept ${name}`, props);
      expect((await c.del(`/groups/${id}`)).status).toBe(204);
      expect((await c.get(`/directory/deletedItems/${id}`)).status).toBe(200);
      expect((await c.post(`/directory/deletedItems/${id}/restore`)).status).toBe(200);
      expect((await c.get(`/groups/${id}`)).status).toBe(200);
    });
  });
});
