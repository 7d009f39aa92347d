import { z } from "zod";
import { alreadyExists, badRequest, notFound, syncedObject } from "../errors";
import { json, noContent, type SimResponse } from "../request";
import { contextUrl, renderDirectoryObject } from "../render";
import { pageByPosition } from "../paging";
import { DEFAULT_PAGE, parseSelect, parseTop } from "../query";
import { makeRef, type Kind, type Ref } from "../../tenant/kinds";
import { bodyObject, checkGuid, refBodyId, requireLive, requireLiveAny } from "./common";
import { DIRECTORY_OBJECT_SELECT } from "./groups";
import type { Route, RouteContext } from "../router";

const SPONSOR_KINDS: ReadonlySet<Kind> = new Set<Kind>(["user", "group"]);
const MANAGER_KINDS: ReadonlySet<Kind> = new Set<Kind>(["user"]);

function userIndex(call: RouteContext): number {
  return requireLive(call, "user", call.params[0] ?? "");
}

function refusesSynced(call: RouteContext, u: number): void {
  if (call.env.dir.raw("user", u)?.["onPremisesSyncEnabled"] === true) throw syncedObject();
}

/** A paged list of directory objects (sponsors, memberOf). */
function listRefs(call: RouteContext, refs: readonly Ref[]): SimResponse {
  const select = parseSelect(call.req.query.get("$select"), DIRECTORY_OBJECT_SELECT, "#microsoft.graph.directoryObject");
  const top = parseTop(call.req.query.get("$top")) ?? DEFAULT_PAGE;
  return pageByPosition(call, contextUrl(call.req.version, "directoryObjects"), top, refs.length, (j) => {
    const r = refs[j];
    const o = r === undefined ? undefined : renderDirectoryObject(call.env.dir, r, select);
    return o ? JSON.stringify(o) : undefined;
  });
}

function getManager(call: RouteContext): SimResponse {
  const u = userIndex(call);
  const m = call.env.dir.manager(u);
  const select = parseSelect(call.req.query.get("$select"), DIRECTORY_OBJECT_SELECT, "#microsoft.graph.directoryObject");
  const o = m === null ? undefined : renderDirectoryObject(call.env.dir, m, select);
  if (!o) throw notFound("manager");
  return json(200, JSON.stringify({ "@odata.context": contextUrl(call.req.version, "directoryObjects/$entity"), ...o }));
}

function putManager(call: RouteContext): SimResponse {
  const u = userIndex(call);
  const id = refBodyId(call);
  refusesSynced(call, u);
  const t = requireLiveAny(call, id, MANAGER_KINDS);
  if (t.index === u) throw badRequest("A user cannot be their own manager.");
  call.env.dir.setManager(u, makeRef("user", t.index));
  return noContent(call.env.dir.idOf("user", u));
}

function deleteManager(call: RouteContext): SimResponse {
  const u = userIndex(call);
  refusesSynced(call, u);
  if (call.env.dir.manager(u) === null) throw notFound("manager");
  call.env.dir.setManager(u, null);
  return noContent(call.env.dir.idOf("user", u));
}

function addSponsor(call: RouteContext): SimResponse {
  const u = userIndex(call);
  const id = refBodyId(call);
  const t = requireLiveAny(call, id, SPONSOR_KINDS);
  if (!call.env.dir.addSponsor(u, makeRef(t.kind, t.index))) throw alreadyExists("sponsors");
  return noContent(call.env.dir.idOf("user", u));
}

function removeSponsor(call: RouteContext): SimResponse {
  const u = userIndex(call);
  const id = checkGuid(call.params[1] ?? "");
  const t = call.env.dir.resolve(id);
  if (!t || !call.env.dir.removeSponsor(u, makeRef(t.kind, t.index))) throw notFound(id);
  return noContent(call.env.dir.idOf("user", u));
}

/** Groups (live) and directory roles the user belongs to directly. */
function memberOf(call: RouteContext, only: "group" | "directoryRole" | undefined): SimResponse {
  const dir = call.env.dir;
  const u = userIndex(call);
  const ref = makeRef("user", u);
  const refs: Ref[] = [];
  if (only !== "directoryRole") for (const g of dir.groupsContaining(ref)) refs.push(makeRef("group", g));
  if (only !== "group") for (const r of dir.rolesOf(u)) refs.push(makeRef("directoryRole", r));
  return listRefs(call, refs);
}

/** Groups (live) a group or service principal belongs to directly (nested groups hold no roles here). */
function memberOfGroups(call: RouteContext, kind: "group" | "servicePrincipal"): SimResponse {
  const dir = call.env.dir;
  const ref = makeRef(kind, requireLive(call, kind, call.params[0] ?? ""));
  return listRefs(call, dir.groupsContaining(ref).map((g) => makeRef("group", g)));
}

const MfaBody = z.object({ perUserMfaState: z.enum(["disabled", "enabled", "enforced"]) }).strict();

function mfa(call: RouteContext, write: boolean): SimResponse {
  const u = userIndex(call);
  if (write) {
    const parsed = MfaBody.safeParse(bodyObject(call));
    if (!parsed.success) throw badRequest("Invalid value for 'perUserMfaState': expected disabled, enabled or enforced.");
    call.env.dir.setMfa(u, parsed.data.perUserMfaState);
    return noContent(call.env.dir.idOf("user", u));
  }
  return json(200, JSON.stringify({
    "@odata.context": contextUrl("beta", `users('${call.env.dir.idOf("user", u)}')/authentication/requirements/$entity`),
    perUserMfaState: call.env.dir.mfaState(u),
  }));
}

/** User links (manager, sponsors), memberOf (also of groups and service principals) and the per-user MFA state. */
export const userRoutes: readonly Route[] = [
  { method: "GET", path: "users/:id/manager", cost: 1, handle: getManager },
  { method: "PUT", path: "users/:id/manager/$ref", cost: 1, write: true, handle: putManager },
  { method: "DELETE", path: "users/:id/manager/$ref", cost: 1, write: true, handle: deleteManager },
  { method: "GET", path: "users/:id/sponsors", cost: 1, handle: (c) => listRefs(c, c.env.dir.sponsors(userIndex(c))) },
  { method: "POST", path: "users/:id/sponsors/$ref", cost: 1, write: true, handle: addSponsor },
  { method: "DELETE", path: "users/:id/sponsors/:sid/$ref", cost: 1, write: true, handle: removeSponsor },
  { method: "GET", path: "users/:id/memberOf", cost: 1, handle: (c) => memberOf(c, undefined) },
  { method: "GET", path: "users/:id/memberOf/microsoft.graph.group", cost: 1, handle: (c) => memberOf(c, "group") },
  { method: "GET", path: "users/:id/memberOf/microsoft.graph.directoryRole", cost: 1, handle: (c) => memberOf(c, "directoryRole") },
  { method: "GET", path: "groups/:id/memberOf", cost: 1, handle: (c) => memberOfGroups(c, "group") },
  { method: "GET", path: "groups/:id/memberOf/microsoft.graph.group", cost: 1, handle: (c) => memberOfGroups(c, "group") },
  { method: "GET", path: "servicePrincipals/:id/memberOf", cost: 1, handle: (c) => memberOfGroups(c, "servicePrincipal") },
  { method: "GET", path: "servicePrincipals/:id/memberOf/microsoft.graph.group", cost: 1, handle: (c) => memberOfGroups(c, "servicePrincipal") },
  { method: "GET", path: "users/:id/authentication/requirements", cost: 1, betaOnly: true, handle: (c) => mfa(c, false) },
  { method: "PATCH", path: "users/:id/authentication/requirements", cost: 1, write: true, betaOnly: true, handle: (c) => mfa(c, true) },
];
