import { GraphError, badRequest, notFound, notImplemented } from "../errors";
import { json, noContent, type SimResponse } from "../request";
import { contextFragment, contextUrl, projectorFor } from "../render";
import { pageByPosition } from "../paging";
import { DEFAULT_PAGE, parseExpand, parseFilter, parseSelect, parseTop, type Expand } from "../query";
import { ODATA_TYPE, type Kind } from "../../tenant/kinds";
import type { Projector } from "../projection";
import { SELECTABLE_ON_READ, SINGLE_USER_ONLY } from "../../tenant/schema";
import { isoSeconds, type JsonObject } from "../../tenant/json";
import { COLLECTIONS, bodyObject, requireLive } from "./common";
import { EXPANDABLE, applyExpand } from "./expand";
import { FILTERABLE, filterIndices } from "./filters";
import { checkNotSynced, checkRequired, splitWriteBody } from "./write-checks";
import { MAX_BINDS, applyAdditions, bindIds, checkLinksWritable, resolveAdditions, type LinkName } from "./group-links";
import type { Route, RouteContext } from "../router";

/**
 * Base list costs: users and applications 2, others 1
 * (https://learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits).
 */
const LIST_COST: Partial<Record<Kind, number>> = { user: 2, application: 2 };

interface ReadOptions {
  /** The compiled `$select` (or default set) projection, resolved once per request. */
  project: Projector;
  /** The client's `$select`, which Graph echoes in `@odata.context`. */
  select: readonly string[] | undefined;
  expand: Expand | undefined;
}

function readOptions(call: RouteContext, kind: Kind): ReadOptions {
  const q = call.req.query;
  const select = parseSelect(q.get("$select"), SELECTABLE_ON_READ[kind], ODATA_TYPE[kind]);
  const expand = parseExpand(q.get("$expand"), EXPANDABLE[kind] ?? [], ODATA_TYPE[kind]);
  return { project: projectorFor(call.env.projections, kind, select), select, expand };
}

function renderObject(call: RouteContext, kind: Kind, index: number, opts: ReadOptions): JsonObject | undefined {
  const obj = call.env.dir.live(kind, index);
  if (!obj) return undefined;
  const out = opts.project(obj);
  if (opts.expand) applyExpand(call.env.dir, kind, index, out, opts.expand);
  return out;
}

function list(call: RouteContext, kind: Kind, context: string): SimResponse {
  const opts = readOptions(call, kind);
  if (kind === "user" && opts.select?.some((p) => SINGLE_USER_ONLY.has(p))) throw notImplemented();
  const top = parseTop(call.req.query.get("$top")) ?? DEFAULT_PAGE;
  const filter = parseFilter(call.req.query.get("$filter"), FILTERABLE[kind], ODATA_TYPE[kind].replace("#microsoft.graph.", ""));
  const ctxUrl = contextUrl(call.req.version, contextFragment(context, opts.select));
  const render = (i: number | undefined): string | undefined => {
    if (i === undefined) return undefined;
    const o = renderObject(call, kind, i, opts);
    return o ? JSON.stringify(o) : undefined;
  };
  if (filter) {
    const indices = filterIndices(call.env.dir, kind, filter);
    return pageByPosition(call, ctxUrl, top, indices.length, (j) => render(indices[j]));
  }
  return pageByPosition(call, ctxUrl, top, call.env.dir.count(kind), render);
}

function get(call: RouteContext, kind: Kind, context: string): SimResponse {
  const i = requireLive(call, kind, call.params[0] ?? "");
  const opts = readOptions(call, kind);
  const o = renderObject(call, kind, i, opts);
  if (!o) throw notFound(call.params[0] ?? "");
  return json(200, JSON.stringify({ "@odata.context": contextUrl(call.req.version, `${contextFragment(context, opts.select)}/$entity`), ...o }));
}

/** Validates and resolves `members@odata.bind` / `owners@odata.bind` (20 references at most per request). */
function prepareBinds(call: RouteContext, g: number | undefined, binds: Record<string, unknown>): Array<{ link: LinkName; ids: string[] }> {
  const out: Array<{ link: LinkName; ids: string[] }> = [];
  for (const [key, value] of Object.entries(binds)) out.push({ link: key.startsWith("members") ? "members" : "owners", ids: bindIds(value, key) });
  const total = out.reduce((n, b) => n + b.ids.length, 0);
  if (total > MAX_BINDS) {
    throw badRequest(`The request exceeds the limit of ${MAX_BINDS} directory object references that can be added in a single request.`);
  }
  if (g !== undefined) for (const b of out) checkLinksWritable(call, g, b.link);
  return out;
}

function create(call: RouteContext, kind: Kind): SimResponse {
  const dir = call.env.dir;
  const { props, binds } = splitWriteBody(kind, bodyObject(call), true);
  checkRequired(kind, props);
  const now = isoSeconds(call.env.now());
  if (kind === "user" || kind === "group" || kind === "application") props["createdDateTime"] = now;
  if (kind === "conditionalAccessPolicy" || kind === "namedLocation") props["createdDateTime"] = now;
  if (kind === "group") {
    const types = props["groupTypes"];
    if (Array.isArray(types) && types.includes("DynamicMembership") && typeof props["membershipRule"] !== "string") {
      throw badRequest("A dynamic group needs a membershipRule.");
    }
    if (props["groupTypes"] === undefined) props["groupTypes"] = [];
  }
  if (kind === "user" && props["userType"] === undefined) props["userType"] = "Member";
  if (kind === "namedLocation") {
    const t = props["@odata.type"];
    if (t !== "#microsoft.graph.ipNamedLocation" && t !== "#microsoft.graph.countryNamedLocation") {
      throw badRequest("A named location needs '@odata.type' #microsoft.graph.ipNamedLocation or #microsoft.graph.countryNamedLocation.");
    }
  }
  if (kind === "servicePrincipal") {
    const appIndex = typeof props["appId"] === "string" ? dir.tenant.ids.parseAppId(props["appId"]) : undefined;
    if (appIndex === undefined || !dir.isLive("application", appIndex)) {
      throw badRequest(`The appId '${String(props["appId"])}' of the service principal does not reference a valid application object.`);
    }
    if (appIndex < dir.gen.count("application") || [...dir.overlay.created.servicePrincipal.values()].some((s) => s["appId"] === props["appId"])) {
      throw new GraphError(409, "Request_MultipleObjectsWithSameKeyValue", "The service principal name is already present for the tenant.");
    }
    const app = dir.raw("application", appIndex);
    props["displayName"] = app?.["displayName"] ?? null;
    props["appDisplayName"] = app?.["displayName"] ?? null;
    props["servicePrincipalType"] = "Application";
    props["accountEnabled"] = props["accountEnabled"] ?? true;
  }
  const prepared = kind === "group" ? prepareBinds(call, undefined, binds) : [];
  const resolved = prepared.map((b) => ({ link: b.link, refs: resolveAdditions(call, -1, b.link, b.ids) }));
  const index = dir.create(kind, props);
  if (kind === "application") dir.patch(kind, index, { appId: dir.tenant.ids.appId(index) });
  for (const r of resolved) applyAdditions(call, index, r.link, r.refs);
  const obj = dir.raw(kind, index) ?? {};
  const context = COLLECTIONS.find((c) => c.kind === kind)?.context ?? kind;
  // A create answers the new object as a read without `$select` would show it.
  const shown = projectorFor(call.env.projections, kind, undefined)(obj);
  const res = json(201, JSON.stringify({ "@odata.context": contextUrl(call.req.version, `${context}/$entity`), ...shown }), {
    Location: `${call.req.origin}${call.req.path}/${String(obj["id"])}`,
  });
  res.writtenId = String(obj["id"]);
  return res;
}

function patch(call: RouteContext, kind: Kind): SimResponse {
  const dir = call.env.dir;
  const index = requireLive(call, kind, call.params[0] ?? "");
  const current = dir.raw(kind, index);
  const { props, binds } = splitWriteBody(kind, bodyObject(call), false, current);
  checkNotSynced(current, props);
  if (kind === "namedLocation" && props["@odata.type"] !== undefined && props["@odata.type"] !== current?.["@odata.type"]) {
    throw badRequest("The '@odata.type' of a named location cannot change.");
  }
  const prepared = kind === "group" ? prepareBinds(call, index, binds) : [];
  const resolved = prepared.map((b) => ({ link: b.link, refs: resolveAdditions(call, index, b.link, b.ids) }));
  if (kind === "conditionalAccessPolicy" || kind === "namedLocation") props["modifiedDateTime"] = isoSeconds(call.env.now());
  if (Object.keys(props).length > 0) dir.patch(kind, index, props);
  for (const r of resolved) applyAdditions(call, index, r.link, r.refs);
  return noContent(dir.idOf(kind, index));
}

function remove(call: RouteContext, kind: Kind): SimResponse {
  const index = requireLive(call, kind, call.params[0] ?? "");
  call.env.dir.deleteObject(kind, index);
  return noContent(call.env.dir.idOf(kind, index));
}

/** List, read, create, update and delete for every collection (directory roles are read-only). */
export function objectRoutes(): Route[] {
  const routes: Route[] = [];
  for (const c of COLLECTIONS) {
    const { kind, path, context } = c;
    routes.push({ method: "GET", path, cost: LIST_COST[kind] ?? 1, handle: (x) => list(x, kind, context) });
    routes.push({ method: "GET", path: `${path}/:id`, cost: 1, handle: (x) => get(x, kind, context) });
    if (kind === "directoryRole") continue;
    routes.push({ method: "POST", path, cost: 1, write: true, handle: (x) => create(x, kind) });
    routes.push({ method: "PATCH", path: `${path}/:id`, cost: 1, write: true, handle: (x) => patch(x, kind) });
    routes.push({ method: "DELETE", path: `${path}/:id`, cost: 1, write: true, handle: (x) => remove(x, kind) });
  }
  return routes;
}
