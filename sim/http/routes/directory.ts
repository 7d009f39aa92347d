import { GraphError, badRequest, notFound } from "../errors";
import { json, noContent, type SimResponse } from "../request";
import { contextFragment, contextUrl, project, renderAuthorizationPolicy, renderDirectoryObject } from "../render";
import { pageByPosition } from "../paging";
import { DEFAULT_PAGE, parseFilter, parseSelect, parseTop } from "../query";
import { makeRef, type Kind } from "../../tenant/kinds";
import { appRoleAssignees, appRoleAssignment, generateGrant, grantClient, grantCount, parseGrantId } from "../../tenant/grants";
import { isJsonObject, type JsonObject } from "../../tenant/json";
import { AUTHORIZATION_POLICY_PROPERTIES } from "../../tenant/schema";
import { bodyObject, checkGuid, requireLive } from "./common";
import { checkDeclaredValue } from "./write-checks";
import { DIRECTORY_OBJECT_SELECT } from "./groups";
import type { SingletonName } from "../../tenant/tenant-directory";
import type { Route, RouteContext } from "../router";

function roleMembers(call: RouteContext): SimResponse {
  const dir = call.env.dir;
  const r = requireLive(call, "directoryRole", call.params[0] ?? "");
  const refs = dir.gen.roleHolders(r).map((u) => makeRef("user", u));
  const select = parseSelect(call.req.query.get("$select"), DIRECTORY_OBJECT_SELECT, "#microsoft.graph.directoryObject");
  const top = parseTop(call.req.query.get("$top")) ?? DEFAULT_PAGE;
  return pageByPosition(call, contextUrl(call.req.version, "directoryObjects"), top, refs.length, (j) => {
    const ref = refs[j];
    const o = ref === undefined ? undefined : renderDirectoryObject(dir, ref, select);
    return o ? JSON.stringify(o) : undefined;
  });
}

function appRoleAssignedTo(call: RouteContext): SimResponse {
  const dir = call.env.dir;
  const s = requireLive(call, "servicePrincipal", call.params[0] ?? "");
  const resourceName = dir.raw("servicePrincipal", s)?.["displayName"];
  const list = appRoleAssignees(dir.tenant, s);
  const top = parseTop(call.req.query.get("$top")) ?? DEFAULT_PAGE;
  return pageByPosition(call, contextUrl(call.req.version, `servicePrincipals('${dir.idOf("servicePrincipal", s)}')/appRoleAssignedTo`), top, list.length, (j) => {
    const a = list[j];
    if (!a) return undefined;
    const principal = dir.live(a.kind, a.index);
    if (!principal) return undefined;
    const name = principal["displayName"];
    return JSON.stringify(appRoleAssignment(dir.tenant, s, a, typeof name === "string" ? name : null, typeof resourceName === "string" ? resourceName : null));
  });
}

const GRANT_PROPS: ReadonlySet<string> = new Set(["id", "clientId", "consentType", "principalId", "resourceId", "scope"]);

function grantVisible(call: RouteContext, k: number): boolean {
  return call.env.dir.isLive("servicePrincipal", grantClient(k));
}

function grants(call: RouteContext): SimResponse {
  const dir = call.env.dir;
  const select = parseSelect(call.req.query.get("$select"), GRANT_PROPS, "#microsoft.graph.oAuth2PermissionGrant");
  const top = parseTop(call.req.query.get("$top")) ?? DEFAULT_PAGE;
  const filter = parseFilter(call.req.query.get("$filter"), ["clientId", "id"], "oAuth2PermissionGrant");
  let ks: number[] = [];
  if (filter?.property === "clientId") {
    for (const v of filter.values) {
      const t = dir.resolve(v);
      if (t?.kind === "servicePrincipal" && t.index % 3 === 0 && t.index < dir.tenant.spec.applications) ks.push(t.index / 3);
    }
  } else if (filter) {
    throw badRequest("Filter on 'id' is not supported for oauth2PermissionGrants; use GET /oauth2PermissionGrants/{id}.");
  } else ks = [];
  const length = filter ? ks.length : grantCount(dir.tenant);
  return pageByPosition(call, contextUrl(call.req.version, "oauth2PermissionGrants"), top, length, (j) => {
    const k = filter ? ks[j] : j;
    return k !== undefined && grantVisible(call, k) ? JSON.stringify(project(generateGrant(dir.tenant, k), select)) : undefined;
  });
}

function grant(call: RouteContext): SimResponse {
  const id = call.params[0] ?? "";
  const k = parseGrantId(call.env.dir.tenant, id);
  if (k === undefined || !grantVisible(call, k)) throw notFound(id);
  return json(200, JSON.stringify({ "@odata.context": contextUrl(call.req.version, "oauth2PermissionGrants/$entity"), ...generateGrant(call.env.dir.tenant, k) }));
}

const SINGLETON_WRITABLE: Readonly<Record<SingletonName, ReadonlySet<string>>> = {
  authorizationPolicy: new Set([
    "blockMsolPowerShell", "guestUserRoleId", "allowInvitesFrom", "allowedToSignUpEmailBasedSubscriptions", "allowedToUseSSPR",
    "allowEmailVerifiedUsersToJoinOrganization", "defaultUserRolePermissions", "description", "displayName",
  ]),
  // https://learn.microsoft.com/graph/api/authenticationmethodspolicy-update (v1.0): the policy's own writable
  // properties; description, displayName, policyVersion and lastModifiedDateTime are read-only.
  authenticationMethodsPolicy: new Set(["registrationEnforcement", "policyMigrationState", "reconfirmationInDays"]),
};

/** Declared but read-only properties of each singleton: Graph refuses them in a PATCH. */
const SINGLETON_READ_ONLY: Readonly<Record<SingletonName, ReadonlySet<string>>> = {
  authorizationPolicy: new Set(["id"]),
  authenticationMethodsPolicy: new Set(["id", "description", "displayName", "policyVersion", "lastModifiedDateTime"]),
};

/**
 * Navigation properties of each singleton. `authenticationMethodConfigurations` is contained
 * (`ContainsTarget` in the v1.0 schema): each configuration is updated on its own
 * (https://learn.microsoft.com/graph/api/microsoftauthenticatorauthenticationmethodconfiguration-update and its siblings), never inside the policy's PATCH.
 */
const SINGLETON_NAVIGATION: Readonly<Record<SingletonName, ReadonlySet<string>>> = {
  authorizationPolicy: new Set(),
  authenticationMethodsPolicy: new Set(["authenticationMethodConfigurations"]),
};

/**
 * Graph's answer to a navigation property inside a PATCH body: 400 BadRequest. Graph's docs publish no text
 * for it; this is the OData stack's (ASP.NET OData: "Cannot apply PATCH to navigation property …").
 */
function navigationInPatch(name: string, odataType: string): GraphError {
  return new GraphError(400, "BadRequest", `Cannot apply PATCH to navigation property '${name}' on entity type '${odataType}'.`);
}

function getSingleton(call: RouteContext, name: SingletonName): SimResponse {
  const obj = call.env.dir.singleton(name);
  if (name !== "authorizationPolicy") return json(200, JSON.stringify({ "@odata.context": contextUrl(call.req.version, `policies/${name}/$entity`), ...obj }));
  const select = parseSelect(call.req.query.get("$select"), AUTHORIZATION_POLICY_PROPERTIES, "#microsoft.graph.authorizationPolicy");
  const shown = renderAuthorizationPolicy(call.env.projections, obj, select);
  return json(200, JSON.stringify({ "@odata.context": contextUrl(call.req.version, `${contextFragment("policies/authorizationPolicy", select)}/$entity`), ...shown }));
}

function patchSingleton(call: RouteContext, name: SingletonName): SimResponse {
  const body = bodyObject(call);
  const props: JsonObject = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === "@odata.type") continue;
    if (SINGLETON_NAVIGATION[name].has(k)) throw navigationInPatch(k, `microsoft.graph.${name}`);
    if (SINGLETON_READ_ONLY[name].has(k)) throw badRequest(`Property '${k}' is read-only and cannot be set.`);
    if (!SINGLETON_WRITABLE[name].has(k)) throw badRequest(`Property '${k}' does not exist as a declared property or extension property.`);
    if (name === "authorizationPolicy") checkDeclaredValue("authorizationPolicy", k, v);
    props[k] = v;
  }
  call.env.dir.patchSingleton(name, props);
  return noContent(name);
}

function methodConfigs(call: RouteContext): JsonObject[] {
  const list = call.env.dir.singleton("authenticationMethodsPolicy")["authenticationMethodConfigurations"];
  return Array.isArray(list) ? list.filter(isJsonObject) : [];
}

function methodConfig(call: RouteContext, write: boolean): SimResponse {
  const id = call.params[0] ?? "";
  const found = methodConfigs(call).find((c) => String(c["id"]).toLowerCase() === id.toLowerCase());
  if (!found) throw notFound(id);
  if (!write) {
    return json(200, JSON.stringify({ "@odata.context": contextUrl(call.req.version, "policies/authenticationMethodsPolicy/authenticationMethodConfigurations/$entity"), ...found }));
  }
  // https://learn.microsoft.com/graph/api/microsoftauthenticatorauthenticationmethodconfiguration-update and its siblings: the body names the derived
  // type and carries that type's own properties (its state, targets and settings).
  const body = { ...bodyObject(call) };
  const odataType = body["@odata.type"];
  delete body["@odata.type"];
  if (odataType !== undefined && odataType !== found["@odata.type"]) {
    throw badRequest(`The '@odata.type' '${String(odataType)}' does not match the type of configuration '${String(found["id"])}'.`);
  }
  for (const k of Object.keys(body)) {
    if (k === "id") throw badRequest("Property 'id' is read-only and cannot be set.");
    if (!(k in found)) throw badRequest(`Property '${k}' does not exist as a declared property or extension property.`);
  }
  call.env.dir.patchMethodConfiguration(String(found["id"]), body);
  return noContent(`authenticationMethodsPolicy/${String(found["id"])}`);
}

function directoryObject(call: RouteContext): SimResponse {
  const id = checkGuid(call.params[0] ?? "");
  const t = call.env.dir.resolve(id);
  const kinds: ReadonlySet<Kind> = new Set<Kind>(["user", "group", "application", "servicePrincipal", "directoryRole"]);
  const o = t && kinds.has(t.kind) ? renderDirectoryObject(call.env.dir, makeRef(t.kind, t.index), undefined) : undefined;
  if (!o) throw notFound(id);
  return json(200, JSON.stringify({ "@odata.context": contextUrl(call.req.version, "directoryObjects/$entity"), ...o }));
}

function organization(call: RouteContext): SimResponse {
  const c = call.env.dir.tenant;
  const org = { id: c.tenantId, displayName: c.demo ? "Rewind Demo" : `Simulated tenant ${c.seed}`, verifiedDomains: [{ name: c.domain, isDefault: true, isInitial: true, type: "Managed", capabilities: "Email, OfficeCommunicationsOnlineService" }], onPremisesSyncEnabled: true };
  return json(200, JSON.stringify({ "@odata.context": contextUrl(call.req.version, "organization"), value: [org] }));
}

/** Directory roles' members, app role assignments, grants, the policy singletons and a few lookups. */
export const directoryRoutes: readonly Route[] = [
  { method: "GET", path: "directoryRoles/:id/members", cost: 1, handle: roleMembers },
  { method: "GET", path: "servicePrincipals/:id/appRoleAssignedTo", cost: 1, handle: appRoleAssignedTo },
  { method: "GET", path: "oauth2PermissionGrants", cost: 1, handle: grants },
  { method: "GET", path: "oauth2PermissionGrants/:id", cost: 1, handle: grant },
  { method: "GET", path: "policies/authorizationPolicy", cost: 1, handle: (c) => getSingleton(c, "authorizationPolicy") },
  { method: "PATCH", path: "policies/authorizationPolicy", cost: 1, write: true, handle: (c) => patchSingleton(c, "authorizationPolicy") },
  { method: "GET", path: "policies/authenticationMethodsPolicy", cost: 1, handle: (c) => getSingleton(c, "authenticationMethodsPolicy") },
  { method: "PATCH", path: "policies/authenticationMethodsPolicy", cost: 1, write: true, handle: (c) => patchSingleton(c, "authenticationMethodsPolicy") },
  {
    method: "GET",
    path: "policies/authenticationMethodsPolicy/authenticationMethodConfigurations",
    cost: 1,
    handle: (c) => json(200, JSON.stringify({ "@odata.context": contextUrl(c.req.version, "policies/authenticationMethodsPolicy/authenticationMethodConfigurations"), value: methodConfigs(c) })),
  },
  { method: "GET", path: "policies/authenticationMethodsPolicy/authenticationMethodConfigurations/:mid", cost: 1, handle: (c) => methodConfig(c, false) },
  { method: "PATCH", path: "policies/authenticationMethodsPolicy/authenticationMethodConfigurations/:mid", cost: 1, write: true, handle: (c) => methodConfig(c, true) },
  { method: "GET", path: "directoryObjects/:id", cost: 1, handle: directoryObject },
  { method: "GET", path: "organization", cost: 1, handle: organization },
];
