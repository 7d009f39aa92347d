import { graphModel } from "./csdl-model";
import { checkExchange } from "./exchange-check";

const ID = "11111111-2222-3333-4444-555555555555";
const model = graphModel();
const ERROR = { error: { code: "Request_ResourceNotFound", message: "gone", innerError: { date: "2026-08-01T10:00:00", "request-id": ID, "client-request-id": ID } } };

/** The rules (and properties) an answer breaks, for a request that itself is right. */
function broken(method: string, url: string, status: number, answer: unknown): Array<{ rule: string; property?: string }> {
  const u = new URL(url, "https://graph.microsoft.com");
  const f = checkExchange(model, { inBatch: false, method, path: u.pathname, query: u.search, requestBody: undefined, status, responseBody: answer === undefined ? undefined : JSON.stringify(answer) });
  expect(f.violations.filter((v) => v.rule.startsWith("request."))).toEqual([]);
  return f.violations.map((v) => (v.property === undefined ? { rule: v.rule } : { rule: v.rule, property: v.property }));
}

describe("response rules", () => {
  it("catches a collection answer without 'value'", () => {
    expect(broken("GET", "/v1.0/users?$select=id", 200, { users: [] })).toEqual([
      { rule: "response.collection", property: "value" },
    ]);
  });

  it("catches a property on neither the declared type nor the type @odata.type names", () => {
    expect(broken("GET", "/v1.0/servicePrincipals?$select=id", 200, { value: [{ id: ID, publisherName: "Contoso" }] })).toEqual([
      { rule: "response.unknownProperty", property: "value[].publisherName" },
    ]);
    // deletedItems holds directoryObjects: a user's property is right only on an item cast to user.
    expect(broken("GET", "/v1.0/directory/deletedItems/microsoft.graph.group", 200, { value: [{ "@odata.type": "#microsoft.graph.user", id: ID }] })).toEqual([
      { rule: "response.cast", property: "value[].@odata.type" },
    ]);
    expect(broken("GET", `/v1.0/directoryObjects/${ID}`, 200, { id: ID, mailNickname: "ada" })).toEqual([{ rule: "response.unknownProperty", property: "mailNickname" }]);
  });

  it("catches values of the wrong type: a null collection, a bad Guid, an unknown enum member, a wrong complex property", () => {
    expect(broken("GET", `/v1.0/users/${ID}`, 200, { id: ID, businessPhones: null })).toEqual([{ rule: "response.type", property: "businessPhones" }]);
    expect(broken("GET", `/v1.0/applications/${ID}`, 200, { id: ID, appId: "app-1" })).toEqual([]);
    expect(broken("GET", `/v1.0/servicePrincipals/${ID}`, 200, { id: ID, appOwnerOrganizationId: "contoso" })).toEqual([{ rule: "response.type", property: "appOwnerOrganizationId" }]);
    expect(broken("GET", `/v1.0/identity/conditionalAccess/policies/${ID}`, 200, { id: ID, state: "on" })).toEqual([{ rule: "response.type", property: "state" }]);
    expect(broken("GET", `/v1.0/users/${ID}`, 200, { id: ID, assignedLicenses: [{ skuId: ID, colour: "red" }] })).toEqual([{ rule: "response.unknownProperty", property: "assignedLicenses[].colour" }]);
  });

  it("catches a delta page without @odata.nextLink or @odata.deltaLink, and a deltaLink outside delta", () => {
    expect(broken("GET", "/v1.0/users/delta?$select=id", 200, { value: [] })).toEqual([{ rule: "response.delta", property: "@odata.nextLink" }]);
    expect(broken("GET", "/v1.0/users?$select=id", 200, { value: [], "@odata.deltaLink": "https://x" })).toEqual([{ rule: "response.delta", property: "@odata.deltaLink" }]);
  });

  it("catches an error without Graph's error shape", () => {
    expect(broken("GET", `/v1.0/users/${ID}`, 404, { message: "not found" })).toEqual([{ rule: "response.error", property: "error" }]);
    expect(broken("GET", `/v1.0/users/${ID}`, 404, { error: { code: "x", message: "y" } })).toEqual([{ rule: "response.error", property: "error.innerError" }]);
    expect(broken("GET", `/v1.0/users/${ID}`, 500, undefined)).toEqual([{ rule: "response.error" }]);
  });

  it("passes right answers: casts, delta annotations, expanded links, Graph's error", () => {
    expect(broken("GET", `/v1.0/users/${ID}`, 404, ERROR)).toEqual([]);
    expect(broken("GET", "/v1.0/directory/deletedItems/microsoft.graph.user?$select=id", 200, { "@odata.context": "x", value: [{ "@odata.type": "#microsoft.graph.user", id: ID, deletedDateTime: "2026-08-01T10:00:00Z", userPrincipalName: "a@b.c" }], "@odata.nextLink": "https://x" })).toEqual([]);
    expect(
      broken("GET", "/v1.0/groups/delta?$select=id,members", 200, {
        value: [
          { id: ID, displayName: "G", "members@delta": [{ "@odata.type": "#microsoft.graph.user", id: ID, "@removed": "deleted" }] },
          { id: ID, "@removed": { reason: "changed" } },
        ],
        "@odata.deltaLink": "https://x",
      }),
    ).toEqual([]);
    expect(broken("GET", "/v1.0/groups?$expand=owners($select=id)", 200, { value: [{ id: ID, owners: [{ "@odata.type": "#microsoft.graph.servicePrincipal", id: ID }] }] })).toEqual([]);
    expect(broken("GET", "/v1.0/users/$count", 200, 42)).toEqual([]);
    expect(broken("DELETE", `/v1.0/users/${ID}`, 204, undefined)).toEqual([]);
  });

  it("passes a delta annotation only in a delta answer", () => {
    expect(broken("GET", "/v1.0/groups?$select=id", 200, { value: [{ id: ID, "members@delta": [] }] })).toEqual([{ rule: "response.annotation", property: "value[].members@delta" }]);
  });
});

describe("requests the simulator refused as Graph does", () => {
  it("are listed apart from violations, and a wrong request answered 2xx is a violation", () => {
    const base = { inBatch: false, method: "GET", path: "/v1.0/users", query: "?$select=shoeSize", requestBody: undefined };
    const refused = checkExchange(model, { ...base, status: 400, responseBody: JSON.stringify(ERROR) });
    expect(refused.violations).toEqual([]);
    expect(refused.refused.map((v) => v.rule)).toEqual(["request.query.select"]);
    const accepted = checkExchange(model, { ...base, status: 200, responseBody: JSON.stringify({ value: [] }) });
    expect(accepted.violations.map((v) => v.rule)).toEqual(["request.query.select"]);
  });
});

describe("requests to /beta", () => {
  it("are not held to the v1.0 schema, and are named as not checked", () => {
    const f = checkExchange(model, { inBatch: false, method: "GET", path: `/beta/users/${ID}/authentication/requirements`, query: "", requestBody: undefined, status: 200, responseBody: "{}" });
    expect(f.violations).toEqual([]);
    expect(f.unchecked).toEqual(["GET /users/{id}/authentication/requirements (beta)"]);
  });
});
