import { insufficientPrivileges, notFound } from "../errors";
import { json, noContent, type SimResponse } from "../request";
import { contextUrl, odataTypeOf, projectorFor } from "../render";
import type { JsonObject } from "../../tenant/json";
import { pageByPosition } from "../paging";
import { DEFAULT_PAGE, parseSelect, parseTop } from "../query";
import { ODATA_TYPE, SOFT_DELETABLE, type Kind } from "../../tenant/kinds";
import { SELECTABLE_ON_READ } from "../../tenant/schema";
import { checkGuid } from "./common";
import type { Route, RouteContext } from "../router";

/**
 * A deleted (or just restored) object as Graph shows it: the selected properties, else its type's default
 * set, unset ones as null, with its own `@odata.type` (a named location keeps its subtype).
 */
function shaped(call: RouteContext, kind: Kind, o: JsonObject, select: readonly string[] | undefined): JsonObject {
  const body = projectorFor(call.env.projections, kind, select)(o);
  body["@odata.type"] = odataTypeOf(kind, o);
  return body;
}

/** The soft-deleted object named by the path id, or 404. */
function requireDeleted(call: RouteContext): { kind: Kind; index: number; id: string } {
  const id = checkGuid(call.params[0] ?? "");
  const t = call.env.dir.resolve(id);
  if (!t || !SOFT_DELETABLE.has(t.kind) || call.env.dir.state(t.kind, t.index) !== "softDeleted") throw notFound(id);
  return { ...t, id };
}

function listDeleted(call: RouteContext, kind: Kind): SimResponse {
  const dir = call.env.dir;
  const select = parseSelect(call.req.query.get("$select"), SELECTABLE_ON_READ[kind], ODATA_TYPE[kind]);
  const top = parseTop(call.req.query.get("$top")) ?? DEFAULT_PAGE;
  // Only tombstones are scanned: their number follows the deletions made, not the tenant size.
  const indices = [...dir.overlay.tombstones[kind].keys()].sort((a, b) => a - b);
  return pageByPosition(call, contextUrl(call.req.version, `directory/deletedItems/${ODATA_TYPE[kind].slice(1)}`), top, indices.length, (j) => {
    const i = indices[j];
    const o = i === undefined ? undefined : dir.deleted(kind, i);
    return o ? JSON.stringify(shaped(call, kind, o, select)) : undefined;
  });
}

/**
 * `GET /directory/deletedItems/{id}` and its cast to one type (`…/{id}/microsoft.graph.user`, which lets
 * `$select` name the type's own properties); an item of another type is not found through a cast.
 */
function getDeleted(call: RouteContext, as?: Kind): SimResponse {
  const t = requireDeleted(call);
  if (as !== undefined && t.kind !== as) throw notFound(t.id);
  const o = call.env.dir.deleted(t.kind, t.index) ?? {};
  const select = parseSelect(call.req.query.get("$select"), SELECTABLE_ON_READ[t.kind], ODATA_TYPE[t.kind]);
  return json(200, JSON.stringify({
    "@odata.context": contextUrl(call.req.version, as === undefined ? "directory/deletedItems/$entity" : `directory/deletedItems/${ODATA_TYPE[as].slice(1)}/$entity`),
    ...shaped(call, t.kind, o, select),
  }));
}

/** Restores with the original id; memberships come back because they were only hidden. */
function restore(call: RouteContext): SimResponse {
  const dir = call.env.dir;
  const t = requireDeleted(call);
  // Restoring a user who holds an admin role needs more privilege than User.ReadWrite.All
  // (https://learn.microsoft.com/graph/api/directory-deleteditems-restore).
  if (t.kind === "user" && dir.rolesOf(t.index).length > 0) throw insufficientPrivileges();
  dir.restore(t.kind, t.index);
  const o = dir.live(t.kind, t.index) ?? {};
  const res = json(200, JSON.stringify({
    "@odata.context": contextUrl(call.req.version, "directoryObjects/$entity"),
    ...shaped(call, t.kind, o, undefined),
  }));
  res.writtenId = t.id;
  return res;
}

function hardDelete(call: RouteContext): SimResponse {
  const t = requireDeleted(call);
  call.env.dir.hardDelete(t.kind, t.index);
  return noContent(t.id);
}

/**
 * Conditional Access's own deleted items (v1.0 schema: `conditionalAccessRoot/deletedItems`, a
 * `caPoliciesDeletableRoot` with `policies` and `namedLocations`, each item with a bound `restore`):
 * list, get, restore (200 with the restored object) and delete for good.
 * https://learn.microsoft.com/graph/api/resources/capoliciesdeletableroot ·
 * https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy (list/get deleted, restore, purge) ·
 * https://learn.microsoft.com/graph/api/conditionalaccesspolicy-restore
 */
const CA_DELETED: ReadonlyArray<{ kind: Kind; segment: string }> = [
  { kind: "conditionalAccessPolicy", segment: "policies" },
  { kind: "namedLocation", segment: "namedLocations" },
];

/** The soft-deleted policy or named location named by the path id, or 404 (unknown, live, of the other kind, or purged). */
function requireCaDeleted(call: RouteContext, kind: Kind): { index: number; id: string } {
  const id = checkGuid(call.params[0] ?? "");
  const t = call.env.dir.resolve(id);
  if (!t || t.kind !== kind || call.env.dir.state(kind, t.index) !== "softDeleted") throw notFound(id);
  return { index: t.index, id };
}

function listCaDeleted(call: RouteContext, kind: Kind, segment: string): SimResponse {
  const dir = call.env.dir;
  const select = parseSelect(call.req.query.get("$select"), SELECTABLE_ON_READ[kind], ODATA_TYPE[kind]);
  const top = parseTop(call.req.query.get("$top")) ?? DEFAULT_PAGE;
  const indices = [...dir.overlay.tombstones[kind].keys()].sort((a, b) => a - b);
  return pageByPosition(call, contextUrl(call.req.version, `identity/conditionalAccess/deletedItems/${segment}`), top, indices.length, (j) => {
    const i = indices[j];
    const o = i === undefined ? undefined : dir.deleted(kind, i);
    return o ? JSON.stringify(shaped(call, kind, o, select)) : undefined;
  });
}

function getCaDeleted(call: RouteContext, kind: Kind, segment: string): SimResponse {
  const t = requireCaDeleted(call, kind);
  const o = call.env.dir.deleted(kind, t.index) ?? {};
  const select = parseSelect(call.req.query.get("$select"), SELECTABLE_ON_READ[kind], ODATA_TYPE[kind]);
  return json(200, JSON.stringify({
    "@odata.context": contextUrl(call.req.version, `identity/conditionalAccess/deletedItems/${segment}/$entity`),
    ...shaped(call, kind, o, select),
  }));
}

function restoreCa(call: RouteContext, kind: Kind, segment: string): SimResponse {
  const dir = call.env.dir;
  const t = requireCaDeleted(call, kind);
  dir.restore(kind, t.index);
  const o = dir.live(kind, t.index) ?? {};
  const res = json(200, JSON.stringify({
    "@odata.context": contextUrl(call.req.version, `identity/conditionalAccess/${segment}/$entity`),
    ...shaped(call, kind, o, undefined),
  }));
  res.writtenId = t.id;
  return res;
}

function purgeCa(call: RouteContext, kind: Kind): SimResponse {
  const t = requireCaDeleted(call, kind);
  call.env.dir.hardDelete(kind, t.index);
  return noContent(t.id);
}

/** `/directory/deletedItems` and Conditional Access's deleted items: list per type, read, restore, delete permanently. */
export const deletedItemRoutes: readonly Route[] = [
  ...(["user", "group", "application", "servicePrincipal"] as const).map((kind): Route => ({
    method: "GET",
    path: `directory/deletedItems/${ODATA_TYPE[kind].slice(1)}`,
    cost: 1,
    handle: (c) => listDeleted(c, kind),
  })),
  { method: "GET", path: "directory/deletedItems/:id", cost: 1, handle: (c) => getDeleted(c) },
  ...(["user", "group", "application", "servicePrincipal"] as const).map((kind): Route => ({
    method: "GET",
    path: `directory/deletedItems/:id/${ODATA_TYPE[kind].slice(1)}`,
    cost: 1,
    handle: (c) => getDeleted(c, kind),
  })),
  { method: "POST", path: "directory/deletedItems/:id/restore", cost: 1, write: true, handle: restore },
  { method: "DELETE", path: "directory/deletedItems/:id", cost: 1, write: true, handle: hardDelete },
  ...CA_DELETED.flatMap(({ kind, segment }): Route[] => {
    const base = `identity/conditionalAccess/deletedItems/${segment}`;
    return [
      { method: "GET", path: base, cost: 1, handle: (c) => listCaDeleted(c, kind, segment) },
      { method: "GET", path: `${base}/:id`, cost: 1, handle: (c) => getCaDeleted(c, kind, segment) },
      { method: "POST", path: `${base}/:id/restore`, cost: 1, write: true, handle: (c) => restoreCa(c, kind, segment) },
      { method: "DELETE", path: `${base}/:id`, cost: 1, write: true, handle: (c) => purgeCa(c, kind) },
    ];
  }),
];
