/**
 * Writes `sim/tenant/graph-model.json`: the part of Microsoft Graph v1.0's published schema (CSDL, from
 * msgraph-metadata, MIT licence) that the simulator serves, so `$select`, default property sets and write
 * refusals follow Graph's own type definitions instead of a hand-kept list.
 *
 *   npx tsx sim/graph-model-gen.ts <path to v1.0.csdl> [out.json]
 *
 * Kept: the entity types the simulator serves (base types flattened in), every complex type and enum their
 * properties reach (with the derived complex types a value may name in `@odata.type`), and the read-only
 * annotations (`Core.Computed`, `Core.Permissions` = Read) where the schema has them.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { z } from "zod";

/** Entity types the simulator serves (its kinds, the derived named locations, the policy singleton). */
const ENTITY_ROOTS = [
  "user", "group", "application", "servicePrincipal", "conditionalAccessPolicy", "namedLocation", "ipNamedLocation",
  "countryNamedLocation", "directoryRole", "authorizationPolicy",
] as const;

const Attr = z.record(z.string(), z.unknown());
type Node = Record<string, unknown>;

const asArray = (v: unknown): Node[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is Node => Attr.safeParse(x).success);
const str = (n: Node, k: string): string | undefined => (typeof n[k] === "string" ? n[k] : undefined);

interface RawType {
  name: string;
  base: string | undefined;
  abstract: boolean;
  open: boolean;
  props: Node[];
  nav: string[];
}

/** A structural property as the model stores it. */
interface ModelProperty {
  /** `Edm.String`, or a type name of the graph namespace without prefix. */
  type: string;
  collection: boolean;
  nullable: boolean;
  readOnly?: true;
}

const short = (t: string): string => t.replace(/^(graph|microsoft\.graph)\./, "");

function main(): void {
  const [csdlPath, outArg] = process.argv.slice(2);
  if (!csdlPath) {
    process.stderr.write("usage: tsx sim/graph-model-gen.ts <path to v1.0.csdl> [out.json]\n");
    process.exit(2);
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "",
    isArray: (name) => ["Schema", "EntityType", "ComplexType", "EnumType", "Member", "Property", "NavigationProperty", "Annotations", "Annotation", "EnumMember"].includes(name),
  });
  const doc: unknown = parser.parse(readFileSync(csdlPath, "utf8"));
  const edmx = Attr.parse(Attr.parse(doc)["edmx:Edmx"]);
  const services = Attr.parse(edmx["edmx:DataServices"]);
  const schema = asArray(services["Schema"]).find((s) => str(s, "Namespace") === "microsoft.graph");
  if (!schema) throw new Error("no microsoft.graph schema in the file");

  const entities = new Map<string, RawType>();
  const complexes = new Map<string, RawType>();
  const read = (n: Node): RawType => ({
    name: str(n, "Name") ?? "",
    base: str(n, "BaseType") ? short(str(n, "BaseType") ?? "") : undefined,
    abstract: str(n, "Abstract") === "true",
    open: str(n, "OpenType") === "true",
    props: asArray(n["Property"]),
    nav: asArray(n["NavigationProperty"]).map((p) => str(p, "Name") ?? ""),
  });
  for (const e of asArray(schema["EntityType"])) entities.set(str(e, "Name") ?? "", read(e));
  for (const c of asArray(schema["ComplexType"])) complexes.set(str(c, "Name") ?? "", read(c));
  const enums = new Map<string, { members: string[]; flags: boolean }>();
  for (const e of asArray(schema["EnumType"])) {
    enums.set(str(e, "Name") ?? "", { members: asArray(e["Member"]).map((m) => str(m, "Name") ?? ""), flags: str(e, "IsFlags") === "true" });
  }

  // Read-only annotations: Core.Computed, or Core.Permissions of Read only (out-of-line Annotations blocks).
  const readOnly = new Set<string>();
  for (const block of asArray(schema["Annotations"])) {
    const target = str(block, "Target");
    if (!target) continue;
    for (const a of asArray(block["Annotation"])) {
      const term = str(a, "Term");
      const perm = asArray(a["EnumMember"]).map(String).join(" ") + String(a["EnumMember"] ?? "");
      if ((term === "Org.OData.Core.V1.Computed" && str(a, "Bool") !== "false") || (term === "Org.OData.Core.V1.Permissions" && /Permission\/Read$/.test(perm.trim()))) {
        readOnly.add(short(target));
      }
    }
  }

  const complexNeeded = new Set<string>();
  const enumNeeded = new Set<string>();
  const derivedOf = (name: string, pool: Map<string, RawType>): string[] => [...pool.values()].filter((t) => t.base === name).map((t) => t.name);

  function flatten(pool: Map<string, RawType>, name: string): { props: Record<string, ModelProperty>; nav: string[]; open: boolean; abstract: boolean; base: string | undefined } {
    const chain: RawType[] = [];
    for (let t = pool.get(name); t; t = t.base ? pool.get(t.base) : undefined) chain.unshift(t);
    const props: Record<string, ModelProperty> = {};
    const nav: string[] = [];
    for (const t of chain) {
      for (const p of t.props) {
        const pname = str(p, "Name") ?? "";
        const raw = str(p, "Type") ?? "Edm.String";
        const m = /^Collection\((.*)\)$/.exec(raw);
        const type = short(m?.[1] ?? raw);
        const prop: ModelProperty = { type, collection: m !== null, nullable: str(p, "Nullable") !== "false" };
        if (readOnly.has(`${t.name}/${pname}`)) prop.readOnly = true;
        props[pname] = prop;
        if (complexes.has(type)) complexNeeded.add(type);
        if (enums.has(type)) enumNeeded.add(type);
      }
      nav.push(...t.nav);
    }
    const own = pool.get(name);
    return { props, nav, open: chain.some((t) => t.open), abstract: own?.abstract ?? false, base: own?.base };
  }

  const outEntities: Record<string, unknown> = {};
  for (const name of ENTITY_ROOTS) {
    if (!entities.has(name)) throw new Error(`entity type ${name} not in the schema`);
    outEntities[name] = flatten(entities, name);
  }
  // Complex types, closed over their properties and derived types.
  const outComplex: Record<string, unknown> = {};
  const queue = [...complexNeeded];
  while (queue.length > 0) {
    const name = queue.shift() ?? "";
    if (outComplex[name] !== undefined) continue;
    const before = new Set(complexNeeded);
    const f = flatten(complexes, name);
    outComplex[name] = { props: f.props, open: f.open, abstract: f.abstract, base: f.base, derived: derivedOf(name, complexes) };
    for (const d of derivedOf(name, complexes)) complexNeeded.add(d);
    if (f.base) complexNeeded.add(f.base);
    for (const c of complexNeeded) if (!before.has(c) || outComplex[c] === undefined) if (!queue.includes(c) && outComplex[c] === undefined) queue.push(c);
  }
  const outEnums: Record<string, unknown> = {};
  for (const e of [...enumNeeded].sort()) outEnums[e] = enums.get(e);

  const out = {
    source: "Microsoft Graph v1.0 schema (msgraph-metadata, MIT licence): the types the simulator serves. Generated by sim/graph-model-gen.ts; do not edit.",
    entities: outEntities,
    complexTypes: Object.fromEntries(Object.entries(outComplex).sort(([a], [b]) => a.localeCompare(b))),
    enums: outEnums,
  };
  const target = outArg ?? resolve(__dirname, "tenant/graph-model.json");
  writeFileSync(target, `${JSON.stringify(out, null, 1)}\n`); // one property a line: regenerations diff readably
  process.stdout.write(`wrote ${target}: ${Object.keys(outEntities).length} entity types, ${Object.keys(outComplex).length} complex types, ${Object.keys(outEnums).length} enums\n`);
}

main();
