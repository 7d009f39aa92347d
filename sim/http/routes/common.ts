import { z } from "zod";
import { badJson, badRequest, invalidId, notFound } from "../errors";
import { isGuid } from "../../tenant/ids";
import { isJsonObject, type JsonObject } from "../../tenant/json";
import type { Kind } from "../../tenant/kinds";
import type { RouteContext } from "../router";

/** Collection path → kind, for the generic object routes. */
export const COLLECTIONS: ReadonlyArray<{ path: string; kind: Kind; context: string }> = [
  { path: "users", kind: "user", context: "users" },
  { path: "groups", kind: "group", context: "groups" },
  { path: "applications", kind: "application", context: "applications" },
  { path: "servicePrincipals", kind: "servicePrincipal", context: "servicePrincipals" },
  { path: "identity/conditionalAccess/policies", kind: "conditionalAccessPolicy", context: "identity/conditionalAccess/policies" },
  { path: "identity/conditionalAccess/namedLocations", kind: "namedLocation", context: "identity/conditionalAccess/namedLocations" },
  { path: "directoryRoles", kind: "directoryRole", context: "directoryRoles" },
];

/** An id from the path: malformed → 400 "Invalid object identifier". */
export function checkGuid(id: string): string {
  if (!isGuid(id)) throw invalidId(id);
  return id.toLowerCase();
}

/** The index of a live object of `kind` named by `id`, or 404. */
export function requireLive(call: RouteContext, kind: Kind, id: string): number {
  checkGuid(id);
  const t = call.env.dir.resolve(id);
  if (!t || t.kind !== kind || !call.env.dir.isLive(kind, t.index)) throw notFound(id);
  return t.index;
}

/** Any live directory object named by `id` (for references in `$ref` bodies and binds), or 404. */
export function requireLiveAny(call: RouteContext, id: string, kinds: ReadonlySet<Kind>): { kind: Kind; index: number } {
  checkGuid(id);
  const t = call.env.dir.resolve(id);
  if (!t || !kinds.has(t.kind) || !call.env.dir.isLive(t.kind, t.index)) throw notFound(id);
  return t;
}

/** The JSON object body of a write: absent or malformed → 400, like Graph. */
export function bodyObject(call: RouteContext): JsonObject {
  if (call.req.bodyMalformed) throw badJson();
  const b = call.req.body;
  if (!isJsonObject(b)) throw badJson();
  return b;
}

const RefBody = z.object({ "@odata.id": z.string().min(1) });

/** The object id at the end of an `@odata.id` URL (any host prefix: `.../directoryObjects/{id}`, `.../users/{id}`). */
export function idFromODataUrl(url: string): string {
  const clean = url.split("?")[0] ?? "";
  const last = clean.replace(/\/+$/, "").split("/").pop() ?? "";
  const m = /^[A-Za-z.]*\('?([^')]*)'?\)$/.exec(last); // directoryObjects('id') form
  return decodeURIComponent(m?.[1] ?? last);
}

/** The referenced id of a `$ref` body `{"@odata.id": "..."}`. */
export function refBodyId(call: RouteContext): string {
  const parsed = RefBody.safeParse(bodyObject(call));
  if (!parsed.success) throw badRequest("Invalid request body: expected {\"@odata.id\": \"https://graph.microsoft.com/v1.0/directoryObjects/{id}\"}.");
  return checkGuid(idFromODataUrl(parsed.data["@odata.id"]));
}
