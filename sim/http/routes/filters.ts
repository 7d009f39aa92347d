import type { Kind } from "../../tenant/kinds";
import type { TenantDirectory } from "../../tenant/tenant-directory";
import type { Filter } from "../query";

/** Properties `$filter` accepts per collection (besides `id`): lookups clients really make. */
export const FILTERABLE: Readonly<Record<Kind, readonly string[]>> = {
  user: ["id"],
  group: ["id"],
  application: ["id", "appId"],
  servicePrincipal: ["id", "appId"],
  conditionalAccessPolicy: ["id"],
  namedLocation: ["id"],
  directoryRole: ["id", "roleTemplateId", "displayName"],
};

/**
 * The indices a filter selects, in the order of its values. Ids and appIds map to indices in O(1); other
 * properties are only offered on small collections (directory roles) and compared by scanning.
 */
export function filterIndices(dir: TenantDirectory, kind: Kind, f: Filter): number[] {
  const out: number[] = [];
  const add = (i: number | undefined): void => {
    if (i !== undefined && !out.includes(i)) out.push(i);
  };
  for (const v of f.values) {
    if (f.property === "id") {
      const t = dir.resolve(v);
      add(t && t.kind === kind ? t.index : undefined);
    } else if (f.property === "appId" && (kind === "application" || kind === "servicePrincipal")) {
      const a = dir.tenant.ids.parseAppId(v);
      // Generated apps and their service principals share an index; created ones are found by value.
      if (a !== undefined && a < dir.gen.count("application")) add(a);
      for (const [i, o] of dir.overlay.created[kind]) if (o["appId"] === v.toLowerCase()) add(i);
      if (kind === "servicePrincipal" && v.toLowerCase() === "00000003-0000-0000-c000-000000000000") add(dir.gen.count("application"));
    } else {
      for (let i = 0; i < dir.count(kind); i++) if (dir.raw(kind, i)?.[f.property] === v) add(i);
    }
  }
  return out;
}
