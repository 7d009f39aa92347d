import { graphModel } from "./csdl-model";
import { checkRequest, type RecordedRequest } from "./request-rules";
import type { Violation } from "./violation";

const ID = "11111111-2222-3333-4444-555555555555";
const OTHER = "66666666-7777-8888-9999-000000000000";
const model = graphModel();

/** The rules (and properties) a request breaks, inner `$batch` requests included. */
function broken(method: string, url: string, body?: unknown): Array<{ rule: string; property?: string }> {
  const u = new URL(url, "https://graph.microsoft.com");
  const req: RecordedRequest = { method, path: u.pathname, query: u.search, body };
  const f = checkRequest(model, req);
  return [...f.violations, ...f.inner].map((v: Violation) => (v.property === undefined ? { rule: v.rule } : { rule: v.rule, property: v.property }));
}

describe("request rules: the path resolves in Graph's schema", () => {
  it("catches an unknown segment", () => {
    expect(broken("GET", `/v1.0/users/${ID}/hobbies`)).toEqual([{ rule: "request.path", property: "hobbies" }]);
    expect(broken("GET", "/v1.0/usres")).toEqual([{ rule: "request.path", property: "usres" }]);
  });

  it("catches a type cast to a type that does not derive from the collection's", () => {
    expect(broken("GET", "/v1.0/users/microsoft.graph.group")).toEqual([{ rule: "request.path", property: "microsoft.graph.group" }]);
  });

  it("passes the paths Rewind uses: sets, singletons, keys, casts, delta, restore, $ref, $count", () => {
    for (const [method, url, body] of [
      ["GET", "/v1.0/users?$select=id,displayName&$top=999"],
      ["GET", "/v1.0/users/delta()?$select=id,displayName,manager"],
      ["GET", "/v1.0/groups/delta?$select=id,members"],
      ["GET", "/v1.0/directory/deletedItems/microsoft.graph.user?$select=id,displayName"],
      ["GET", `/v1.0/users/${ID}/memberOf/microsoft.graph.group?$select=id`],
      ["GET", "/v1.0/users/$count"],
      ["POST", `/v1.0/directory/deletedItems/${ID}/restore`, {}],
      ["POST", `/v1.0/identity/conditionalAccess/deletedItems/policies/${ID}/restore`],
      ["PUT", `/v1.0/users/${ID}/manager/$ref`, { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${OTHER}` }],
      ["DELETE", `/v1.0/groups/${ID}/owners/${OTHER}/$ref`],
      ["POST", `/v1.0/groups/${ID}/members/$ref`, { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${OTHER}` }],
      ["GET", `/v1.0/applications?$select=id&$expand=owners($select=id)`],
      ["GET", "/v1.0/directoryRoles?$select=id,displayName"],
      ["DELETE", `/v1.0/identity/conditionalAccess/namedLocations/${ID}`],
    ] as Array<[string, string, unknown?]>) {
      expect({ method, url, found: broken(method, url, body) }).toEqual({ method, url, found: [] });
    }
  });
});

describe("request rules: the method is allowed there", () => {
  it("catches PUT on a collection, DELETE on a singleton's contained policy, POST to a reference collection", () => {
    expect(broken("PUT", "/v1.0/users", { displayName: "x" })).toEqual([{ rule: "request.method" }]);
    expect(broken("DELETE", "/v1.0/policies/authorizationPolicy")).toEqual([{ rule: "request.method" }]);
    expect(broken("POST", `/v1.0/groups/${ID}/members`, { id: OTHER })).toEqual([{ rule: "request.method" }]);
    expect(broken("GET", `/v1.0/directory/deletedItems/${ID}/restore`)).toEqual([{ rule: "request.method" }]);
  });

  it("catches a write the schema's capability annotations forbid", () => {
    expect(broken("GET", "/v1.0/identity/conditionalAccess")).toEqual([{ rule: "request.method" }]);
  });
});

describe("request rules: query options name real properties", () => {
  it("catches an unknown $select, $expand, $filter and $orderby property", () => {
    expect(broken("GET", "/v1.0/users?$select=id,shoeSize")).toEqual([{ rule: "request.query.select", property: "$select=shoeSize" }]);
    expect(broken("GET", "/v1.0/groups?$expand=drivers")).toEqual([{ rule: "request.query.expand", property: "$expand=drivers" }]);
    expect(broken("GET", "/v1.0/groups?$expand=members($select=shoeSize)")).toEqual([{ rule: "request.query.select", property: "$expand=members($select=shoeSize" }]);
    expect(broken("GET", "/v1.0/users?$filter=startswith(nickName,'a')")).toEqual([{ rule: "request.query.filter", property: "$filter nickName" }]);
    expect(broken("GET", "/v1.0/users?$orderby=height desc")).toEqual([{ rule: "request.query.orderby", property: "$orderby height" }]);
    expect(broken("GET", "/v1.0/users?$frobnicate=1")).toEqual([{ rule: "request.query.option", property: "$frobnicate" }]);
  });

  it("passes real properties, a cast-qualified one, and lambda filters", () => {
    expect(broken("GET", "/v1.0/users?$filter=assignedLicenses/any(x: x/skuId eq 'a') and accountEnabled eq true&$orderby=displayName")).toEqual([]);
    expect(broken("GET", "/v1.0/directoryObjects?$select=microsoft.graph.user/userPrincipalName")).toEqual([]);
  });
});

describe("request rules: a body names only writable structural properties, each of its type", () => {
  it("catches a navigation property in a PATCH body (the authentication-methods policy's configurations)", () => {
    expect(broken("PATCH", "/v1.0/policies/authenticationMethodsPolicy", { authenticationMethodConfigurations: [{ id: "Sms", state: "enabled" }] })).toEqual([
      { rule: "request.body.navigation", property: "authenticationMethodConfigurations" },
    ]);
    expect(broken("PATCH", `/v1.0/users/${ID}`, { manager: { id: OTHER } })).toEqual([{ rule: "request.body.navigation", property: "manager" }]);
  });

  it("catches a read-only property: a key, Core.Immutable on update, Core.Computed inside a complex value", () => {
    expect(broken("PATCH", `/v1.0/users/${ID}`, { id: OTHER })).toEqual([{ rule: "request.body.readOnly", property: "id" }]);
    expect(broken("PATCH", `/v1.0/applications/${ID}`, { createdByAppId: OTHER })).toEqual([{ rule: "request.body.readOnly", property: "createdByAppId" }]);
    expect(broken("PATCH", `/v1.0/applications/${ID}`, { certification: { certificationDetailsUrl: "https://x" } })).toEqual([
      { rule: "request.body.readOnly", property: "certification.certificationDetailsUrl" },
    ]);
  });

  it("catches wrong primitive types: Boolean, Guid, DateTimeOffset, Int32, String, Binary", () => {
    expect(broken("PATCH", `/v1.0/users/${ID}`, { accountEnabled: "yes" })).toEqual([{ rule: "request.body.type", property: "accountEnabled" }]);
    expect(broken("POST", "/v1.0/applications", { displayName: "a", appRoles: [{ id: "not-a-guid" }] })).toEqual([{ rule: "request.body.type", property: "appRoles[].id" }]);
    expect(broken("PATCH", `/v1.0/users/${ID}`, { employeeHireDate: "yesterday" })).toEqual([{ rule: "request.body.type", property: "employeeHireDate" }]);
    expect(broken("PATCH", `/v1.0/users/${ID}`, { deviceEnrollmentLimit: 1.5 })).toEqual([{ rule: "request.body.type", property: "deviceEnrollmentLimit" }]);
    expect(broken("PATCH", `/v1.0/users/${ID}`, { displayName: 42 })).toEqual([{ rule: "request.body.type", property: "displayName" }]);
    expect(broken("POST", "/v1.0/applications", { displayName: "a", keyCredentials: [{ key: "%%%" }] })).toEqual([{ rule: "request.body.type", property: "keyCredentials[].key" }]);
  });

  it("catches a wrong enum member and a collection given as one value", () => {
    expect(broken("PATCH", `/v1.0/identity/conditionalAccess/policies/${ID}`, { state: "on" })).toEqual([{ rule: "request.body.type", property: "state" }]);
    expect(broken("PATCH", `/v1.0/users/${ID}`, { businessPhones: "+1 555" })).toEqual([{ rule: "request.body.type", property: "businessPhones" }]);
  });

  it("catches an unknown property, at the top and inside a complex value", () => {
    expect(broken("PATCH", `/v1.0/users/${ID}`, { shoeSize: 44 })).toEqual([{ rule: "request.body.unknownProperty", property: "shoeSize" }]);
    expect(broken("PATCH", `/v1.0/users/${ID}`, { passwordProfile: { password: "x", colour: "red" } })).toEqual([{ rule: "request.body.unknownProperty", property: "passwordProfile.colour" }]);
  });

  it("catches an @odata.type that does not derive from the declared type, and a bad $ref body", () => {
    expect(broken("PATCH", `/v1.0/identity/conditionalAccess/namedLocations/${ID}`, { "@odata.type": "#microsoft.graph.user" })).toEqual([
      { rule: "request.body.cast", property: "@odata.type" },
    ]);
    expect(broken("POST", `/v1.0/groups/${ID}/members/$ref`, { id: OTHER })).toEqual([{ rule: "request.body.ref", property: "id" }]);
  });

  it("passes right bodies: derived types through @odata.type, members@odata.bind, per-configuration writes", () => {
    expect(broken("PATCH", `/v1.0/users/${ID}`, { displayName: "Ada", accountEnabled: false, businessPhones: ["+1 555"], passwordProfile: { password: "x", forceChangePasswordNextSignIn: true } })).toEqual([]);
    expect(broken("PATCH", `/v1.0/groups/${ID}`, { "members@odata.bind": [`https://graph.microsoft.com/v1.0/directoryObjects/${OTHER}`] })).toEqual([]);
    expect(broken("PATCH", `/v1.0/identity/conditionalAccess/namedLocations/${ID}`, { "@odata.type": "#microsoft.graph.countryNamedLocation", countriesAndRegions: ["NL"], includeUnknownCountriesAndRegions: false })).toEqual([]);
    expect(broken("PATCH", `/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Sms`, { "@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration", state: "disabled" })).toEqual([]);
    expect(broken("PATCH", `/v1.0/identity/conditionalAccess/policies/${ID}`, { state: "enabledForReportingButNotEnforced" })).toEqual([]);
  });

  it("catches a body on a GET or DELETE", () => {
    expect(broken("DELETE", `/v1.0/users/${ID}`, { reason: "x" })).toEqual([{ rule: "request.body.unexpected" }]);
  });
});

describe("request rules: $batch bodies are checked request by request", () => {
  it("catches a wrong inner request, and a malformed envelope", () => {
    const batch = {
      requests: [
        { id: "1", method: "PATCH", url: `/users/${ID}`, body: { displayName: "ok" }, headers: { "Content-Type": "application/json" } },
        { id: "2", method: "PATCH", url: `/groups/${ID}`, body: { owners: [] }, headers: { "Content-Type": "application/json" } },
        { id: "3", method: "GET", url: "/users?$select=shoeSize" },
      ],
    };
    expect(broken("POST", "/v1.0/$batch", batch)).toEqual([
      { rule: "request.body.navigation", property: "owners" },
      { rule: "request.query.select", property: "$select=shoeSize" },
    ]);
    expect(broken("POST", "/v1.0/$batch", { requests: [{ id: "1", method: "GET", url: "https://graph.microsoft.com/v1.0/users" }] })).toEqual([{ rule: "request.batch", property: "requests.0.url" }]);
  });

  it("passes a right batch", () => {
    const batch = { requests: [{ id: "1", method: "POST", url: `/directory/deletedItems/${ID}/restore`, body: {}, headers: { "Content-Type": "application/json" } }, { id: "2", method: "DELETE", url: `/users/${OTHER}` }] };
    expect(broken("POST", "/v1.0/$batch", batch)).toEqual([]);
  });
});
