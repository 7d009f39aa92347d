import { renderDirectoryObject } from "../render";
import type { Expand } from "../query";
import type { TenantDirectory } from "../../tenant/tenant-directory";
import type { Json, JsonObject } from "../../tenant/json";
import type { Kind, Ref } from "../../tenant/kinds";

/** Graph returns at most 20 objects in an expanded collection. */
export const EXPAND_CAP = 20;

/** The navigation properties `$expand` accepts, per kind. */
export const EXPANDABLE: Partial<Record<Kind, readonly string[]>> = {
  user: ["manager", "sponsors"],
  group: ["members", "owners"],
};

function renderRefs(dir: TenantDirectory, refs: Iterable<Ref>, idOnly: boolean): Json[] {
  const out: Json[] = [];
  for (const r of refs) {
    if (out.length >= EXPAND_CAP) break;
    const o = renderDirectoryObject(dir, r, idOnly ? ["id"] : undefined);
    if (o) out.push(o);
  }
  return out;
}

/** Adds the expanded navigation property to a rendered object (a missing manager is left out, like Graph). */
export function applyExpand(dir: TenantDirectory, kind: Kind, index: number, target: JsonObject, e: Expand): void {
  if (kind === "user" && e.name === "manager") {
    const m = dir.manager(index);
    const o = m === null ? undefined : renderDirectoryObject(dir, m, e.idOnly ? ["id"] : undefined);
    if (o) target["manager"] = o;
  } else if (kind === "user" && e.name === "sponsors") {
    target["sponsors"] = renderRefs(dir, dir.sponsors(index), e.idOnly);
  } else if (kind === "group" && e.name === "owners") {
    target["owners"] = renderRefs(dir, dir.owners(index), e.idOnly);
  } else if (kind === "group" && e.name === "members") {
    const refs: Ref[] = [];
    dir.forEachMember(index, 0, (r) => {
      if (dir.isLiveRef(r)) refs.push(r);
      return refs.length < EXPAND_CAP;
    });
    target["members"] = renderRefs(dir, refs, e.idOnly);
  }
}
