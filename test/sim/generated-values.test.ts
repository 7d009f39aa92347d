import { TenantDirectory } from "../../sim/tenant/tenant-directory";
import { PRESETS } from "../../sim/tenant/presets";
import { KINDS } from "../../sim/tenant/kinds";
import { ENTITY_TYPES, typeProperties } from "../../sim/tenant/schema";
import { checkValue } from "../../sim/http/routes/value-checks";
import type { JsonObject } from "../../sim/tenant/json";

/** Every way `obj` strays from its schema type `typeName`: undeclared properties and values of the wrong type. */
function strays(label: string, typeName: string, obj: JsonObject): string[] {
  const props = typeProperties(typeName);
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (k.startsWith("@odata.")) continue;
    const p = props[k];
    if (!p) out.push(`${label}.${k}: not declared on microsoft.graph.${typeName}`);
    else {
      const problem = checkValue(k, p, v);
      if (problem) out.push(`${label}.${k}: ${problem.message}`);
    }
  }
  return out;
}

describe("generated tenants as Graph v1.0 declares them", () => {
  it("gives every generated object only properties its type declares, each of its declared type", () => {
    for (const [name, demo] of [["demo", true], ["small", false]] as const) {
      const dir = new TenantDirectory(PRESETS[name], demo);
      const found = new Set<string>();
      for (const kind of KINDS) {
        for (let i = 0; i < Math.min(dir.count(kind), 400); i++) {
          const o = dir.raw(kind, i);
          if (!o) continue;
          const cast = o["@odata.type"];
          const typeName = typeof cast === "string" ? cast.replace("#microsoft.graph.", "") : (ENTITY_TYPES[kind][0] ?? kind);
          for (const s of strays(kind, typeName, o)) found.add(s);
        }
      }
      for (const s of strays("authorizationPolicy", "authorizationPolicy", dir.singleton("authorizationPolicy"))) found.add(s);
      expect([name, [...found]]).toEqual([name, []]);
    }
  });
});
