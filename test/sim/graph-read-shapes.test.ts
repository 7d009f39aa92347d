import { entityType } from "../../sim/tenant/graph-model";
import { NORA, SimClient, withSimulator, type Reply } from "./helpers";

/** Every property Graph v1.0's schema declares on a type (base types included). */
const declared = (typeName: string): string[] => Object.keys(entityType(typeName).props);

/** Graph's error envelope: `{error:{code,message,innerError:{date,request-id,client-request-id}}}`. */
function expectGraphError(r: Reply, status: number, code: string, message: string): void {
  expect(r.status).toBe(status);
  expect(r.body.error?.code).toBe(code);
  expect(r.body.error?.message).toBe(message);
  const inner = r.body.error?.innerError ?? {};
  expect(Object.keys(inner).sort()).toEqual(["client-request-id", "date", "request-id"]);
  expect(String(inner["date"])).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  expect(r.headers.get("request-id")).toBe(inner["request-id"]);
}

/** The documented default group answer (https://learn.microsoft.com/graph/api/group-get, example 1). */
const GROUP_DEFAULTS = [
  "id", "deletedDateTime", "classification", "createdDateTime", "description", "displayName", "expirationDateTime",
  "groupTypes", "isAssignableToRole", "mail", "mailEnabled", "mailNickname", "membershipRule",
  "membershipRuleProcessingState", "onPremisesDomainName", "onPremisesLastSyncDateTime", "onPremisesNetBiosName",
  "onPremisesSamAccountName", "onPremisesSecurityIdentifier", "onPremisesSyncEnabled", "preferredDataLocation",
  "preferredLanguage", "proxyAddresses", "renewedDateTime", "resourceBehaviorOptions", "resourceProvisioningOptions",
  "securityEnabled", "securityIdentifier", "theme", "visibility", "onPremisesProvisioningErrors",
];

const sorted = (xs: Iterable<string>): string[] => [...xs].sort();
const keysOf = (o: unknown): string[] => sorted(Object.keys(o as Record<string, unknown>).filter((k) => k !== "@odata.type"));

describe("read shapes as Graph v1.0 declares them", () => {
  let c: SimClient;
  withSimulator({ tenant: "demo" }, (_s, client) => {
    c = client;
  });

  it("selects real user properties the simulator does not model, answering them unset (null, or [] for collections)", async () => {
    const r = await c.get("/users?$top=3&$select=id,imAddresses,onPremisesExtensionAttributes,signInActivity,employeeHireDate");
    expect(r.status).toBe(200);
    for (const u of r.body.value ?? []) {
      expect(keysOf(u)).toEqual(sorted(["id", "imAddresses", "onPremisesExtensionAttributes", "signInActivity", "employeeHireDate"]));
      expect(u).toMatchObject({ imAddresses: [], onPremisesExtensionAttributes: null, signInActivity: null });
    }
    // Profile properties are served for one user only; a list selecting them gets Graph's 501.
    const one = await c.get(`/users/${NORA}?$select=displayName,aboutMe,skills,mySite`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ displayName: "Nora Nobody", aboutMe: null, skills: [], mySite: null });
    const listed = await c.get("/users?$select=id,preferredName");
    expect(listed.status).toBe(501);
    expect(listed.body.error).toMatchObject({ code: "NotImplemented", message: "This operation target is not yet supported." });
  });

  it("selects real properties of every served type, each object shaped by its own type", async () => {
    const cases: Array<[string, string]> = [
      ["/groups?$top=2", "resourceBehaviorOptions,assignedLicenses"],
      ["/applications?$top=2", "keyCredentials,parentalControlSettings"],
      ["/servicePrincipals?$top=2", "keyCredentials,verifiedPublisher"],
      ["/identity/conditionalAccess/policies?$top=2", "description,deletedDateTime"],
      ["/identity/conditionalAccess/namedLocations?$top=2", "displayName,deletedDateTime"],
      ["/directoryRoles?$top=2", "roleTemplateId,deletedDateTime"],
    ];
    for (const [path, select] of cases) {
      const r = await c.get(`${path}&$select=${select}`);
      expect([path, r.status]).toEqual([path, 200]);
      for (const o of r.body.value ?? []) expect(keysOf(o)).toEqual(sorted(select.split(",")));
    }
    const policy = await c.get("/policies/authorizationPolicy?$select=allowUserConsentForRiskyApps,guestUserRoleId");
    expect(policy.status).toBe(200);
    expect(keysOf(policy.body).filter((k) => !k.startsWith("@"))).toEqual(["allowUserConsentForRiskyApps", "guestUserRoleId"]);
    expect(policy.body["@odata.context"]).toBe("https://graph.microsoft.com/v1.0/$metadata#policies/authorizationPolicy(allowUserConsentForRiskyApps,guestUserRoleId)/$entity");
    // Each named location shows the properties of its own type; a derived type's property is not the base
    // type's, so an unqualified $select of one is refused as OData refuses it.
    const r = await c.get("/identity/conditionalAccess/namedLocations");
    const byType = new Map((r.body.value ?? []).map((o) => [String(o["@odata.type"]), keysOf(o)]));
    expect(byType.get("#microsoft.graph.ipNamedLocation")).toEqual(sorted(declared("ipNamedLocation")));
    expect(byType.get("#microsoft.graph.countryNamedLocation")).toEqual(sorted(declared("countryNamedLocation")));
    expectGraphError(
      await c.get("/identity/conditionalAccess/namedLocations?$select=displayName,ipRanges"),
      400,
      "BadRequest",
      "Could not find a property named 'ipRanges' on type 'microsoft.graph.namedLocation'.",
    );
  });

  it("refuses an unknown $select name with Graph's status, code and message per service", async () => {
    expectGraphError(await c.get("/users?$select=id,shoeSize"), 400, "Request_BadRequest", "Could not find a property named 'shoeSize' on type 'microsoft.graph.user'.");
    expectGraphError(await c.get(`/groups?$select=shoeSize`), 400, "Request_BadRequest", "Could not find a property named 'shoeSize' on type 'microsoft.graph.group'.");
    expectGraphError(
      await c.get("/identity/conditionalAccess/policies?$select=shoeSize"),
      400,
      "BadRequest",
      "Could not find a property named 'shoeSize' on type 'microsoft.graph.conditionalAccessPolicy'.",
    );
    // A beta-only property is unknown to v1.0.
    expectGraphError(
      await c.get("/servicePrincipals?$select=publisherName"),
      400,
      "Request_BadRequest",
      "Could not find a property named 'publisherName' on type 'microsoft.graph.servicePrincipal'.",
    );
  });

  it("answers Graph's default property set per type without $select", async () => {
    const group = await c.get("/groups?$top=5");
    for (const g of group.body.value ?? []) expect(keysOf(g)).toEqual(sorted(GROUP_DEFAULTS));
    expect(group.body.value?.[0]).toMatchObject({ resourceBehaviorOptions: [], resourceProvisioningOptions: [], onPremisesProvisioningErrors: [] });

    const sp = await c.get("/servicePrincipals?$top=5");
    for (const s of sp.body.value ?? []) expect(keysOf(s)).toEqual(sorted(declared("servicePrincipal").filter((p) => p !== "customSecurityAttributes")));
    expect(sp.body.value?.[0]).toMatchObject({ keyCredentials: [], passwordCredentials: [], verifiedPublisher: null });

    const app = await c.get("/applications?$top=5");
    // `logo` is a media stream (Edm.Stream): Graph serves it at /applications/{id}/logo, never inline.
    for (const a of app.body.value ?? []) expect(keysOf(a)).toEqual(sorted(declared("application").filter((p) => p !== "logo")));
    expect(app.body.value?.[0]).toMatchObject({ oauth2RequirePostResponse: false, keyCredentials: [], certification: null });

    const ca = await c.get("/identity/conditionalAccess/policies?$top=5");
    for (const p of ca.body.value ?? []) expect(keysOf(p)).toEqual(sorted(declared("conditionalAccessPolicy")));

    const policy = await c.get("/policies/authorizationPolicy");
    expect(keysOf(policy.body).filter((k) => !k.startsWith("@"))).toEqual(sorted(declared("authorizationPolicy")));
    expect(policy.body["allowUserConsentForRiskyApps"]).toBeNull();

    const one = await c.get(`/groups/${String(group.body.value?.[0]?.["id"])}`);
    expect(keysOf(one.body).filter((k) => !k.startsWith("@"))).toEqual(sorted(GROUP_DEFAULTS));
  });

  it("answers created objects with the default set, unset properties as Graph leaves them", async () => {
    const app = await c.post("/applications", { displayName: "Shape check" });
    expect(app.status).toBe(201);
    expect(keysOf(app.body).filter((k) => !k.startsWith("@"))).toEqual(sorted(declared("application").filter((p) => p !== "logo")));
    expect(app.body).toMatchObject({ displayName: "Shape check", oauth2RequirePostResponse: false, tags: [], identifierUris: [], keyCredentials: [] });
    const sp = await c.post("/servicePrincipals", { appId: app.body["appId"] });
    expect(sp.status).toBe(201);
    const read = await c.get(`/servicePrincipals/${String(sp.body["id"])}`);
    expect(read.body).toMatchObject({ appRoleAssignmentRequired: false, tags: [], servicePrincipalNames: [], replyUrls: [] });
  });

  it("answers group delta pages with the group's default properties without $select", async () => {
    const r = await c.get("/groups/delta");
    expect(r.status).toBe(200);
    const first = r.body.value?.[0] ?? {};
    expect(keysOf(first)).toEqual(sorted(GROUP_DEFAULTS));
  });

  it("echoes the $select list in @odata.context as Graph does", async () => {
    const list = await c.get("/users?$top=1&$select=id,displayName");
    expect(list.body["@odata.context"]).toBe("https://graph.microsoft.com/v1.0/$metadata#users(id,displayName)");
    const one = await c.get(`/users/${NORA}?$select=displayName`);
    expect(one.body["@odata.context"]).toBe("https://graph.microsoft.com/v1.0/$metadata#users(displayName)/$entity");
    const plain = await c.get(`/users/${NORA}`);
    expect(plain.body["@odata.context"]).toBe("https://graph.microsoft.com/v1.0/$metadata#users/$entity");
    const delta = await c.get("/groups/delta?$select=displayName,description", { Prefer: "odata.maxpagesize=5" });
    expect(delta.body["@odata.context"]).toBe("https://graph.microsoft.com/v1.0/$metadata#groups(displayName,description)");
    const next = await c.get(delta.body["@odata.nextLink"] ?? "");
    expect(next.body["@odata.context"]).toBe("https://graph.microsoft.com/v1.0/$metadata#groups(displayName,description)");
  });
  it("answers deleted items and a restore with the type's default set, and selects unmodeled properties as unset", async () => {
    const groups = (await c.get("/groups?$top=50&$select=id,groupTypes,mailEnabled,securityEnabled")).body.value ?? [];
    // A cloud security group (soft-deleted; distribution lists and mail-enabled security groups are not).
    const g = groups.find((x) => x["securityEnabled"] === true && x["mailEnabled"] === false);
    expect(g).toBeDefined();
    const id = String(g?.["id"]);
    expect((await c.del(`/groups/${id}`)).status).toBe(204);
    const listed = (await c.get("/directory/deletedItems/microsoft.graph.group")).body.value ?? [];
    const item = listed.find((x) => x["id"] === id);
    expect(keysOf(item)).toEqual(sorted(GROUP_DEFAULTS));
    expect(item?.["@odata.type"]).toBe("#microsoft.graph.group");
    expect(keysOf((await c.get(`/directory/deletedItems/${id}`)).body).filter((k) => !k.startsWith("@"))).toEqual(sorted(GROUP_DEFAULTS));
    const selected = (await c.get("/directory/deletedItems/microsoft.graph.group?$select=id,assignedLicenses,deletedDateTime")).body.value ?? [];
    expect(selected.find((x) => x["id"] === id)).toMatchObject({ assignedLicenses: [], deletedDateTime: expect.any(String) });
    // Cast to its own type, $select may name the type's properties; cast to another type, it is not found.
    const cast = await c.get(`/directory/deletedItems/${id}/microsoft.graph.group?$select=displayName,securityEnabled`);
    expect(cast.status).toBe(200);
    expect(keysOf(cast.body).filter((k) => !k.startsWith("@"))).toEqual(["displayName", "securityEnabled"]);
    expect(cast.body["@odata.context"]).toBe("https://graph.microsoft.com/v1.0/$metadata#directory/deletedItems/microsoft.graph.group/$entity");
    expect((await c.get(`/directory/deletedItems/${id}/microsoft.graph.user?$select=displayName`)).status).toBe(404);
    const restored = await c.post(`/directory/deletedItems/${id}/restore`);
    expect(restored.status).toBe(200);
    expect(keysOf(restored.body).filter((k) => !k.startsWith("@"))).toEqual(sorted(GROUP_DEFAULTS));
  });
});
