import { ADA, NORA, SimClient, withSimulator, type Reply } from "./helpers";

/** Graph's error envelope with the expected status, code and message. */
function expectRefused(r: Reply, code: string, message: string | RegExp): void {
  expect(r.status).toBe(400);
  expect(r.body.error?.code).toBe(code);
  if (typeof message === "string") expect(r.body.error?.message).toBe(message);
  else expect(r.body.error?.message).toMatch(message);
  expect(Object.keys(r.body.error?.innerError ?? {}).sort()).toEqual(["client-request-id", "date", "request-id"]);
}

const CA_1007 =
  "1007: Incoming ConditionalAccessPolicy object is null or does not match the schema of ConditionalAccessPolicy type. For examples, please see API documentation at https://docs.microsoft.com/en-us/graph/api/conditionalaccessroot-post-policies?view=graph-rest-1.0.";

describe("write bodies refused as Graph v1.0 refuses them", () => {
  let c: SimClient;
  let policyId = "";
  let groupId = "";
  let appId = "";
  withSimulator({ tenant: "demo" }, (_s, client) => {
    c = client;
  });
  beforeAll(async () => {
    policyId = String((await c.get("/identity/conditionalAccess/policies?$top=1&$select=id")).body.value?.[0]?.["id"]);
    groupId = String((await c.get("/groups?$top=1&$select=id")).body.value?.[0]?.["id"]);
    appId = String((await c.get("/applications?$top=1&$select=id")).body.value?.[0]?.["id"]);
  });

  it("refuses a navigation property given as a value in a PATCH body, and changes nothing", async () => {
    const before = await c.get(`/users/${NORA}/manager?$select=id`);
    expectRefused(await c.patch(`/users/${NORA}`, { manager: { id: ADA } }), "Request_BadRequest", /^Property 'manager' is a navigation property/);
    expectRefused(await c.patch(`/groups/${groupId}`, { members: [{ id: ADA }] }), "Request_BadRequest", /^Property 'members' is a navigation property/);
    const after = await c.get(`/users/${NORA}/manager?$select=id`);
    expect(after.body["id"]).toBe(before.body["id"]);
  });

  it("refuses an unknown property with the code and text of the service that owns the type", async () => {
    expectRefused(await c.patch(`/users/${NORA}`, { shoeSize: 44 }), "Request_BadRequest", "Property 'shoeSize' does not exist as a declared property or extension property.");
    expectRefused(
      await c.patch(`/identity/conditionalAccess/policies/${policyId}`, { shoeSize: 44 }),
      "BadRequest",
      "The property 'shoeSize' does not exist on type 'microsoft.graph.conditionalAccessPolicy'. Make sure to only use property names that are defined by the type or mark the type as open type.",
    );
    // A real property of the type is no longer "unknown", though the simulator had not modeled it.
    expect((await c.patch(`/users/${NORA}`, { onPremisesExtensionAttributes: { extensionAttribute1: "cost-42" } })).status).toBe(204);
    const read = await c.get(`/users/${NORA}?$select=onPremisesExtensionAttributes`);
    expect(read.body["onPremisesExtensionAttributes"]).toEqual({ extensionAttribute1: "cost-42" });
  });

  it("refuses read-only properties Graph documents, known to the schema", async () => {
    expectRefused(await c.patch(`/users/${NORA}`, { securityIdentifier: "S-1-12-1-1-2-3-4" }), "Request_BadRequest", "Property 'securityIdentifier' is read-only and cannot be set.");
    expectRefused(await c.patch(`/applications/${appId}`, { publisherDomain: "evil.example" }), "Request_BadRequest", "Property 'publisherDomain' is read-only and cannot be set.");
    const app = await c.get(`/applications/${appId}?$select=publisherDomain`);
    expect(app.body["publisherDomain"]).not.toBe("evil.example");
  });

  it("refuses Edm primitive values of the wrong type, in PATCH and in POST", async () => {
    expectRefused(await c.patch(`/users/${NORA}`, { accountEnabled: "yes" }), "Request_BadRequest", "Cannot convert the literal 'yes' to the expected type 'Edm.Boolean'.");
    expectRefused(await c.patch(`/users/${NORA}`, { employeeHireDate: 5 }), "Request_BadRequest", "Cannot convert the literal '5' to the expected type 'Edm.DateTimeOffset'.");
    expectRefused(await c.patch(`/users/${NORA}`, { employeeHireDate: "last tuesday" }), "Request_BadRequest", "Cannot convert the literal 'last tuesday' to the expected type 'Edm.DateTimeOffset'.");
    const create = await c.post("/groups", { displayName: "Typed", mailEnabled: false, mailNickname: "typed", securityEnabled: "true" });
    expectRefused(create, "Request_BadRequest", "Cannot convert the literal 'true' to the expected type 'Edm.Boolean'.");
    // Values of the right type still pass.
    expect((await c.patch(`/users/${NORA}`, { accountEnabled: true, employeeHireDate: "2024-05-01T00:00:00Z" })).status).toBe(204);
  });

  it("refuses an enum value that is not a member of the schema's enum", async () => {
    expectRefused(await c.patch(`/identity/conditionalAccess/policies/${policyId}`, { state: "on" }), "BadRequest", CA_1007);
    const p = await c.get(`/identity/conditionalAccess/policies/${policyId}?$select=state`);
    expect(["enabled", "disabled", "enabledForReportingButNotEnforced"]).toContain(p.body["state"]);
    expectRefused(await c.patch("/policies/authorizationPolicy", { allowInvitesFrom: "anyoneAtAll" }), "Request_BadRequest", "Requested value 'anyoneAtAll' was not found.");
  });

  it("refuses complex values that are not objects or carry properties their type lacks", async () => {
    expectRefused(
      await c.patch(`/users/${NORA}`, { employeeOrgData: "Sales" }),
      "Request_BadRequest",
      "An unexpected 'PrimitiveValue' node was found when reading from the JSON reader. A 'StartObject' node was expected.",
    );
    expectRefused(
      await c.patch(`/identity/conditionalAccess/policies/${policyId}`, { grantControls: { operator: "OR", builtInControls: ["mfa"], bogus: 1 } }),
      "BadRequest",
      CA_1007,
    );
  });

  it("refuses collections given as a single value, with items of the wrong type, or null where the schema forbids it", async () => {
    expectRefused(
      await c.patch(`/users/${NORA}`, { businessPhones: "+1 425 555 0100" }),
      "Request_BadRequest",
      "An unexpected 'PrimitiveValue' node was found when reading from the JSON reader. A 'StartArray' node was expected.",
    );
    expectRefused(await c.patch(`/users/${NORA}`, { businessPhones: [4255550100] }), "Request_BadRequest", "Cannot convert the literal '4255550100' to the expected type 'Edm.String'.");
    expectRefused(
      await c.patch(`/users/${NORA}`, { businessPhones: null }),
      "Request_BadRequest",
      "A null value was found for the property named 'businessPhones', which has the expected type 'Collection(Edm.String)[Nullable=False]'. The expected type 'Collection(Edm.String)[Nullable=False]' does not allow null values.",
    );
    const u = await c.get(`/users/${NORA}?$select=businessPhones`);
    expect(Array.isArray(u.body["businessPhones"])).toBe(true);
  });
});
