import { ODATA_TYPE, refIndex, refKind, type Kind, type Ref } from "../tenant/kinds";
import { DEFAULT_SELECT } from "../tenant/schema";
import type { JsonObject } from "../tenant/json";
import type { Directory } from "../tenant/directory";

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

/** The select list a list answer uses: the client's, else the kind's default (users), else everything. */
export function effectiveSelect(kind: Kind, select: readonly string[] | undefined): readonly string[] | undefined {
  return select ?? DEFAULT_SELECT[kind];
}

/** The `@odata.type` of one object (named locations carry their own subtype). */
export function odataTypeOf(kind: Kind, obj: JsonObject | undefined): string {
  const t = obj?.["@odata.type"];
  return typeof t === "string" ? t : ODATA_TYPE[kind];
}

/**
 * A directory object as navigation lists show it (members, owners, memberOf, manager): with `@odata.type`
 * first, then the selected properties (only those the object's kind has).
 */
export function renderDirectoryObject(dir: Directory, ref: Ref, select: readonly string[] | undefined): JsonObject | undefined {
  const kind = refKind(ref);
  const index = refIndex(ref);
  if (!dir.isLive(kind, index)) return undefined;
  if (select && select.length === 1 && select[0] === "id") return { "@odata.type": ODATA_TYPE[kind], id: dir.idOf(kind, index) };
  const obj = dir.live(kind, index);
  if (!obj) return undefined;
  const body = project(obj, effectiveSelect(kind, select));
  return { "@odata.type": odataTypeOf(kind, obj), ...body };
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
