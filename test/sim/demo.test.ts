import type { RunningSimulator } from "../../sim/index";
import { ADA, BEN, GIL, NORA, RITA, SimClient, ids, withSimulator } from "./helpers";

describe("demo tenant", () => {
  let sim: RunningSimulator;
  let c: SimClient;
  withSimulator({}, (s, client) => {
    sim = s;
    c = client;
  });

  it("has the fixed tenant id and publishes its CA", async () => {
    expect(sim.tenantId).toBe("d0d0d0d0-0000-4000-8000-00000000d0d0");
    expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.ca).toContain("BEGIN CERTIFICATE");
    const org = await c.get("/organization");
    expect(org.body.value?.[0]?.["id"]).toBe(sim.tenantId);
  });

  it("serves the fixed people with their ids and UPNs", async () => {
    const people: Array<[string, string, string]> = [
      [ADA, "Ada Admin", "ada@rewinddemo.onmicrosoft.com"],
      [BEN, "Ben Second", "ben@rewinddemo.onmicrosoft.com"],
      [GIL, "Gil Global", "gil@rewinddemo.onmicrosoft.com"],
      [RITA, "Rita Reader", "rita@rewinddemo.onmicrosoft.com"],
      [NORA, "Nora Nobody", "nora@rewinddemo.onmicrosoft.com"],
    ];
    for (const [id, name, upn] of people) {
      const r = await c.get(`/users/${id}?$select=id,displayName,userPrincipalName,userType,onPremisesSyncEnabled`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id, displayName: name, userPrincipalName: upn, userType: "Member", onPremisesSyncEnabled: null });
    }
  });

  it("holds the roles as directory role memberships", async () => {
    const roles = await c.all("/directoryRoles");
    const byName = new Map(roles.map((r) => [String(r["displayName"]), r]));
    expect(byName.get("Global Administrator")?.["roleTemplateId"]).toBe("62e90394-69f5-4237-9190-012177145e10");
    const ga = await c.get("/directoryRoles?$filter=roleTemplateId eq '62e90394-69f5-4237-9190-012177145e10'");
    expect(ids(ga.body.value ?? [])).toEqual([byName.get("Global Administrator")?.["id"]]);
    const members = async (name: string): Promise<string[]> => ids(await c.all(`/directoryRoles/${String(byName.get(name)?.["id"])}/members?$select=id`));
    expect(await members("Global Administrator")).toEqual([GIL]);
    expect((await members("Microsoft Entra Backup Administrator")).sort()).toEqual([ADA, BEN].sort());
    expect(await members("Microsoft Entra Backup Reader")).toEqual([RITA]);
    const adaRoles = await c.all(`/users/${ADA}/memberOf/microsoft.graph.directoryRole`);
    expect(adaRoles.map((r) => r["displayName"])).toEqual(["Microsoft Entra Backup Administrator"]);
    expect(adaRoles[0]?.["@odata.type"]).toBe("#microsoft.graph.directoryRole");
    expect(await c.all(`/users/${NORA}/memberOf/microsoft.graph.directoryRole`)).toEqual([]);
  });

  it("refuses requests without a bearer token", async () => {
    const anon = new SimClient(sim, null);
    const r = await anon.get("/users");
    expect(r.status).toBe(401);
    expect(r.body.error?.code).toBe("InvalidAuthenticationToken");
    expect(r.headers.get("request-id")).toBeTruthy();
    await anon.close();
  });

  it("mixes synced users, guests, dynamic groups, unified and security groups", async () => {
    const users = await c.all("/users?$top=999&$select=id,userType,userPrincipalName,onPremisesSyncEnabled,onPremisesImmutableId");
    expect(users.length).toBe(120);
    const guests = users.filter((u) => u["userType"] === "Guest");
    expect(guests.length).toBeGreaterThan(0);
    for (const g of guests) expect(String(g["userPrincipalName"])).toContain("#EXT#");
    const synced = users.filter((u) => u["onPremisesSyncEnabled"] === true);
    expect(synced.length).toBeGreaterThan(0);
    for (const s of synced) expect(s["onPremisesImmutableId"]).toEqual(expect.any(String));
    const groups = await c.all("/groups?$top=999");
    expect(groups.some((g) => (g["groupTypes"] as string[]).includes("DynamicMembership") && typeof g["membershipRule"] === "string")).toBe(true);
    expect(groups.some((g) => (g["groupTypes"] as string[]).includes("Unified"))).toBe(true);
    expect(groups.some((g) => (g["groupTypes"] as string[]).length === 0 && g["securityEnabled"] === true)).toBe(true);
  });

  it("carries every supported user property", async () => {
    const props = [
      "accountEnabled", "ageGroup", "city", "companyName", "consentProvidedForMinor", "country", "department", "displayName",
      "employeeHireDate", "employeeId", "employeeLeaveDateTime", "employeeOrgData", "employeeType", "faxNumber", "givenName",
      "jobTitle", "mail", "mailNickname", "mobilePhone", "otherMails", "passwordPolicies", "officeLocation", "postalCode",
      "preferredDataLocation", "preferredLanguage", "state", "streetAddress", "surname", "businessPhones", "usageLocation",
      "userPrincipalName", "userType", "id", "createdDateTime", "onPremisesSyncEnabled",
    ];
    const r = await c.get(`/users/${ADA}?$select=${props.join(",")}`);
    expect(r.status).toBe(200);
    for (const p of props) expect(r.body).toHaveProperty(p);
    const mfa = await c.get(`/beta/users/${ADA}/authentication/requirements`);
    expect(["disabled", "enabled", "enforced"]).toContain(mfa.body["perUserMfaState"]);
  });

  it("serves applications with service principals, grants, assignments, policies and locations", async () => {
    const apps = await c.all("/applications");
    const sps = await c.all("/servicePrincipals");
    expect(apps.length).toBe(12);
    const spAppIds = new Set(sps.map((s) => s["appId"]));
    for (const a of apps) expect(spAppIds.has(a["appId"])).toBe(true);
    const byAppId = await c.get(`/servicePrincipals?$filter=appId eq '${String(apps[1]?.["appId"])}'&$select=id,appId`);
    expect(byAppId.body.value?.map((s) => s["appId"])).toEqual([apps[1]?.["appId"]]);
    const graphSp = await c.get("/servicePrincipals?$filter=appId eq '00000003-0000-0000-c000-000000000000'&$select=displayName");
    expect(graphSp.body.value).toEqual([{ displayName: "Microsoft Graph" }]);
    const grants = await c.all("/oauth2PermissionGrants");
    expect(grants.length).toBeGreaterThan(0);
    expect(grants.every((g) => g["consentType"] === "AllPrincipals")).toBe(true);
    const first = grants[0];
    const byClient = await c.get(`/oauth2PermissionGrants?$filter=clientId eq '${String(first?.["clientId"])}'`);
    expect(ids(byClient.body.value ?? [])).toEqual([first?.["id"]]);
    const withRoles = sps.find((s) => Array.isArray(s["appRoles"]) && (s["appRoles"] as unknown[]).length > 0);
    const assigned = await c.all(`/servicePrincipals/${String(withRoles?.["id"])}/appRoleAssignedTo`);
    expect(assigned.length).toBeGreaterThan(0);
    expect(assigned[0]?.["resourceId"]).toBe(withRoles?.["id"]);
    const ca = await c.all("/identity/conditionalAccess/policies");
    expect(ca.length).toBe(6);
    for (const p of ca) {
      expect(["enabled", "disabled", "enabledForReportingButNotEnforced"]).toContain(p["state"]);
      expect(p["conditions"]).toEqual(expect.objectContaining({ users: expect.any(Object) }));
      expect(p["grantControls"]).toEqual(expect.objectContaining({ builtInControls: expect.any(Array) }));
    }
    const locations = await c.all("/identity/conditionalAccess/namedLocations");
    const types = new Set(locations.map((l) => l["@odata.type"]));
    expect(types).toEqual(new Set(["#microsoft.graph.ipNamedLocation", "#microsoft.graph.countryNamedLocation"]));
    const authz = await c.get("/policies/authorizationPolicy");
    expect(authz.body).toMatchObject({ blockMsolPowerShell: false, guestUserRoleId: expect.any(String) });
    const methods = await c.get("/policies/authenticationMethodsPolicy");
    const configIds = (methods.body["authenticationMethodConfigurations"] as Array<{ id: string }>).map((m) => m.id);
    expect(configIds).toEqual(["Email", "Fido2", "MicrosoftAuthenticator", "Voice", "Sms", "SoftwareOath", "TemporaryAccessPass", "X509Certificate"]);
  });
});
