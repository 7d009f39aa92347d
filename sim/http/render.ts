import { ODATA_TYPE, refIndex, refKind, type Kind, type Ref } from "../tenant/kinds";
import { AUTHORIZATION_POLICY_PROPERTIES, DEFAULT_SELECT, ENTITY_TYPES } from "../tenant/schema";
import { ProjectionCache, type Projector } from "./projection";
import type { JsonObject } from "../tenant/json";
import type { TenantDirectory } from "../tenant/tenant-directory";

/** The properties of `obj` named in `select` (in that order), or all of them. */
export function project(obj: JsonObject, select: readonly string[] | undefined): JsonObject {
  if (!select) return obj;
  const out: JsonObject = {};
  const t = obj["@odata.type"];
  if (t !== undefined) out["@odata.type"] = t; // derived types (named locations) keep their cast
  for (const p of select) {
    const v = obj[p];
    if (v !== undefined) out[p] = v;
  }
  return out;
}

/** The select list a read uses: the client's, else Graph's default property set of the kind. */
export function effectiveSelect(kind: Kind, select: readonly string[] | undefined): readonly string[] {
  return select ?? DEFAULT_SELECT[kind];
}

/**
 * The projection of a read of `kind`: the client's `$select` or the kind's default set, each object shaped by
 * its own schema type (an ip named location never shows the country properties, and the other way round).
 */
export function projectorFor(projections: ProjectionCache, kind: Kind, select: readonly string[] | undefined): Projector {
  const list = effectiveSelect(kind, select);
  const [base, ...derived] = ENTITY_TYPES[kind];
  const baseProjector = projections.get(base ?? kind, list);
  if (derived.length === 0) return baseProjector;
  const byType = new Map(derived.map((t) => [`#microsoft.graph.${t}`, projections.get(t, list)]));
  return (o) => {
    const t = o["@odata.type"];
    return (typeof t === "string" ? byType.get(t) : undefined)?.(o) ?? baseProjector(o);
  };
}

/** The `@odata.context` fragment of a read: `users`, or `users(displayName,mail)` with a `$select`, as Graph prints it. */
export function contextFragment(base: string, select: readonly string[] | undefined): string {
  return select ? `${base}(${select.join(",")})` : base;
}

/**
 * The authorization policy as Graph reads it: the client's `$select`, else every property of its type, unset
 * ones as null (https://learn.microsoft.com/graph/api/authorizationpolicy-get).
 */
export function renderAuthorizationPolicy(projections: ProjectionCache, obj: JsonObject, select: readonly string[] | undefined): JsonObject {
  return projections.get("authorizationPolicy", select ?? [...AUTHORIZATION_POLICY_PROPERTIES])(obj);
}

/** The `@odata.type` of one object (named locations carry their own subtype). */
export function odataTypeOf(kind: Kind, obj: JsonObject | undefined): string {
  const t = obj?.["@odata.type"];
  return typeof t === "string" ? t : ODATA_TYPE[kind];
}

/** Projections of navigation lists, which have no simulator at hand (pure and bounded, so one serves all). */
const NAVIGATION_PROJECTIONS = new ProjectionCache();

/**
 * A directory object as navigation lists show it (members, owners, memberOf, manager): with `@odata.type`
 * first, then the selected properties (only those the object's kind has), else its kind's default set.
 */
export function renderDirectoryObject(dir: TenantDirectory, ref: Ref, select: readonly string[] | undefined): JsonObject | undefined {
  const kind = refKind(ref);
  const index = refIndex(ref);
  if (!dir.isLive(kind, index)) return undefined;
  if (select && select.length === 1 && select[0] === "id") return { "@odata.type": ODATA_TYPE[kind], id: dir.idOf(kind, index) };
  const obj = dir.live(kind, index);
  if (!obj) return undefined;
  const body = projectorFor(NAVIGATION_PROJECTIONS, kind, select)(obj);
  body["@odata.type"] = odataTypeOf(kind, obj);
  return body;
}

/** Serializes a collection page; the items are already JSON text so pages are built without re-walking them. */
export function pageJson(context: string, items: readonly string[], extra: Record<string, string> = {}): string {
  let head = `{"@odata.context":${JSON.stringify(context)}`;
  for (const [k, v] of Object.entries(extra)) head += `,${JSON.stringify(k)}:${JSON.stringify(v)}`;
  return `${head},"value":[${items.join(",")}]}`;
}

/** The `@odata.context` Graph prints, on graph.microsoft.com like the real service. */
export function contextUrl(version: string, fragment: string): string {
  return `https://graph.microsoft.com/${version}/$metadata#${fragment}`;
}
