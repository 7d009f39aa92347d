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

function userIndex(ctx: RouteContext): number {
  return requireLive(ctx, "user", ctx.params[0] ?? "");
}

function refusesSynced(ctx: RouteContext, u: number): void {
  if (ctx.env.dir.raw("user", u)?.["onPremisesSyncEnabled"] === true) throw syncedObject();
}

/** A paged list of directory objects (sponsors, memberOf). */
function listRefs(ctx: RouteContext, refs: readonly Ref[]): SimResponse {
  const select = parseSelect(ctx.req.query.get("$select"), DIRECTORY_OBJECT_SELECT, "#microsoft.graph.directoryObject");
  const top = parseTop(ctx.req.query.get("$top")) ?? DEFAULT_PAGE;
  return pageByPosition(ctx, contextUrl(ctx.req.version, "directoryObjects"), top, refs.length, (j) => {
    const r = refs[j];
    const o = r === undefined ? undefined : renderDirectoryObject(ctx.env.dir, r, select);
    return o ? JSON.stringify(o) : undefined;
  });
}

function getManager(ctx: RouteContext): SimResponse {
  const u = userIndex(ctx);
  const m = ctx.env.dir.manager(u);
  const select = parseSelect(ctx.req.query.get("$select"), DIRECTORY_OBJECT_SELECT, "#microsoft.graph.directoryObject");
  const o = m === null ? undefined : renderDirectoryObject(ctx.env.dir, m, select);
  if (!o) throw notFound("manager");
  return json(200, JSON.stringify({ "@odata.context": contextUrl(ctx.req.version, "directoryObjects/$entity"), ...o }));
}

function putManager(ctx: RouteContext): SimResponse {
  const u = userIndex(ctx);
  const id = refBodyId(ctx);
  refusesSynced(ctx, u);
  const t = requireLiveAny(ctx, id, MANAGER_KINDS);
  if (t.index === u) throw badRequest("A user cannot be their own manager.");
  ctx.env.dir.setManager(u, makeRef("user", t.index));
  return noContent(ctx.env.dir.idOf("user", u));
}

function deleteManager(ctx: RouteContext): SimResponse {
  const u = userIndex(ctx);
  refusesSynced(ctx, u);
  if (ctx.env.dir.manager(u) === null) throw notFound("manager");
  ctx.env.dir.setManager(u, null);
  return noContent(ctx.env.dir.idOf("user", u));
}

function addSponsor(ctx: RouteContext): SimResponse {
  const u = userIndex(ctx);
  const id = refBodyId(ctx);
  const t = requireLiveAny(ctx, id, SPONSOR_KINDS);
  if (!ctx.env.dir.addSponsor(u, makeRef(t.kind, t.index))) throw alreadyExists("sponsors");
  return noContent(ctx.env.dir.idOf("user", u));
}

function removeSponsor(ctx: RouteContext): SimResponse {
  const u = userIndex(ctx);
  const id = checkGuid(ctx.params[1] ?? "");
  const t = ctx.env.dir.resolve(id);
  if (!t || !ctx.env.dir.removeSponsor(u, makeRef(t.kind, t.index))) throw notFound(id);
  return noContent(ctx.env.dir.idOf("user", u));
}

/** Groups (live) and directory roles the user belongs to directly. */
function memberOf(ctx: RouteContext, only: "group" | "directoryRole" | undefined): SimResponse {
  const dir = ctx.env.dir;
  const u = userIndex(ctx);
  const ref = makeRef("user", u);
  const refs: Ref[] = [];
  if (only !== "directoryRole") for (const g of dir.groupsContaining(ref)) refs.push(makeRef("group", g));
  if (only !== "group") for (const r of dir.rolesOf(u)) refs.push(makeRef("directoryRole", r));
  return listRefs(ctx, refs);
}

/** Groups (live) a group or service principal belongs to directly (nested groups hold no roles here). */
function memberOfGroups(ctx: RouteContext, kind: "group" | "servicePrincipal"): SimResponse {
  const dir = ctx.env.dir;
  const ref = makeRef(kind, requireLive(ctx, kind, ctx.params[0] ?? ""));
  return listRefs(ctx, dir.groupsContaining(ref).map((g) => makeRef("group", g)));
}

const MfaBody = z.object({ perUserMfaState: z.enum(["disabled", "enabled", "enforced"]) }).strict();

function mfa(ctx: RouteContext, write: boolean): SimResponse {
  const u = userIndex(ctx);
  if (write) {
    const parsed = MfaBody.safeParse(bodyObject(ctx));
    if (!parsed.success) throw badRequest("Invalid value for 'perUserMfaState': expected disabled, enabled or enforced.");
    ctx.env.dir.setMfa(u, parsed.data.perUserMfaState);
    return noContent(ctx.env.dir.idOf("user", u));
  }
  return json(200, JSON.stringify({
    "@odata.context": contextUrl("beta", `users('${ctx.env.dir.idOf("user", u)}')/authentication/requirements/$entity`),
    perUserMfaState: ctx.env.dir.mfaState(u),
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
