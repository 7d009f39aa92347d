/**
 * A small model of the Graph schema fixture (test/fixtures/graph/v1.0-rewind.csdl): types with inheritance,
 * properties, navigation properties, entity sets, singletons, bound operations and the capability annotations
 * the conformance rules need. Parsed on first use (`graphModel()`, about 60 ms), then kept: once per jest test
 * file that starts a simulator, since jest gives each test file its own module registry.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { attr, childrenOf, parseXml, tagOf, type XmlNode } from "../../scripts/graph-schema/xml-tree";
import { elementType, indexCsdl, type CsdlIndex } from "../../scripts/graph-schema/csdl-index";

/** A declared type of a property, parameter or return value. */
export interface TypeRef {
  /** Qualified element type: `Edm.String`, `microsoft.graph.assignedLicense`. */
  type: string;
  collection: boolean;
  nullable: boolean;
}

/** A structural property. */
export interface PropertyDef extends TypeRef {
  name: string;
  /** Core.Computed or Core.Permissions Read: never written by a client. */
  readOnly: boolean;
  /** Core.Immutable (or the key): set on create, never updated. */
  immutable: boolean;
}

/** A navigation property. */
export interface NavigationDef extends TypeRef {
  name: string;
  containsTarget: boolean;
  /** The type that declares it (for its annotation target). */
  declaredBy: string;
}

/** An entity or complex type. */
export interface StructuredType {
  name: string;
  kind: "entity" | "complex";
  base?: string;
  abstract: boolean;
  open: boolean;
  properties: Map<string, PropertyDef>;
  navigation: Map<string, NavigationDef>;
}

/** A bound action or function overload. */
export interface OperationDef {
  name: string;
  kind: "action" | "function";
  binding: TypeRef;
  parameters: Map<string, TypeRef & { optional: boolean }>;
  returns?: TypeRef;
}

/** Capability restrictions on an entity set, singleton or navigation property. */
export interface Restrictions {
  readable?: boolean;
  insertable?: boolean;
  updatable?: boolean;
  deletable?: boolean;
}

/** The schema as the conformance rules see it. */
export class CsdlModel {
  readonly types = new Map<string, StructuredType>();
  readonly enums = new Map<string, { members: Set<string>; flags: boolean }>();
  readonly roots = new Map<string, { kind: "set" | "singleton"; type: string }>();
  readonly operations: OperationDef[] = [];
  /** Restrictions by annotation target (`microsoft.graph.GraphService/users`, `microsoft.graph.policyRoot/authorizationPolicy`). */
  readonly restrictions = new Map<string, Restrictions>();
  readonly containerTarget: string;

  constructor(xml: string) {
    const index = indexCsdl(parseXml(xml));
    this.containerTarget = `${index.container.ns}.${attr(index.container.node, "Name") ?? ""}`;
    const flags = readFlags(index);
    for (const [q, decl] of index.types) {
      if (decl.kind === "EnumType") {
        const members = new Set(childrenOf(decl.node).filter((m) => tagOf(m) === "Member").map((m) => attr(m, "Name") ?? ""));
        this.enums.set(q, { members, flags: attr(decl.node, "IsFlags") === "true" });
        continue;
      }
      if (decl.kind !== "EntityType" && decl.kind !== "ComplexType") continue;
      const keys = new Set(childrenOf(decl.node).filter((m) => tagOf(m) === "Key").flatMap((k) => childrenOf(k).map((r) => attr(r, "Name") ?? "")));
      const t: StructuredType = {
        name: q,
        kind: decl.kind === "EntityType" ? "entity" : "complex",
        abstract: attr(decl.node, "Abstract") === "true",
        open: attr(decl.node, "OpenType") === "true",
        properties: new Map(),
        navigation: new Map(),
      };
      const base = attr(decl.node, "BaseType");
      if (base) t.base = index.qualify(base);
      for (const m of childrenOf(decl.node)) {
        const name = attr(m, "Name") ?? "";
        const ref = typeRef(index, m);
        const f = flags.get(`${q}/${name}`) ?? { readOnly: false, immutable: false };
        if (tagOf(m) === "Property") t.properties.set(name, { name, ...ref, readOnly: f.readOnly, immutable: f.immutable || keys.has(name) });
        if (tagOf(m) === "NavigationProperty") t.navigation.set(name, { name, ...ref, containsTarget: attr(m, "ContainsTarget") === "true", declaredBy: q });
      }
      this.types.set(q, t);
    }
    for (const r of childrenOf(index.container.node)) {
      const name = attr(r, "Name") ?? "";
      if (tagOf(r) === "EntitySet") this.roots.set(name, { kind: "set", type: index.qualify(attr(r, "EntityType") ?? "") });
      if (tagOf(r) === "Singleton") this.roots.set(name, { kind: "singleton", type: index.qualify(attr(r, "Type") ?? "") });
    }
    for (const op of index.operations) {
      const params = childrenOf(op.node).filter((c) => tagOf(c) === "Parameter");
      const [binding, ...rest] = params;
      if (!binding) continue;
      const ret = childrenOf(op.node).find((c) => tagOf(c) === "ReturnType");
      const def: OperationDef = {
        name: attr(op.node, "Name") ?? "",
        kind: op.kind === "Action" ? "action" : "function",
        binding: typeRef(index, binding),
        parameters: new Map(rest.map((p) => [attr(p, "Name") ?? "", { ...typeRef(index, p), optional: childrenOf(p).some((a) => attr(a, "Term") === "Org.OData.Core.V1.OptionalParameter") }])),
      };
      if (ret) def.returns = typeRef(index, ret);
      this.operations.push(def);
    }
    for (const [target, r] of readRestrictions(index)) this.restrictions.set(target, r);
  }

  /** A structured type, or undefined. */
  type(q: string): StructuredType | undefined {
    return this.types.get(q);
  }

  /** The type and its base types, most derived first. */
  lineage(q: string): StructuredType[] {
    const out: StructuredType[] = [];
    for (let t = this.types.get(q); t; t = t.base ? this.types.get(t.base) : undefined) out.push(t);
    return out;
  }

  /** True when `q` is `base` or derives from it. */
  isA(q: string, base: string): boolean {
    return this.lineage(q).some((t) => t.name === base);
  }

  /** A structural property of the type or its base types. */
  property(q: string, name: string): PropertyDef | undefined {
    for (const t of this.lineage(q)) {
      const p = t.properties.get(name);
      if (p) return p;
    }
    return undefined;
  }

  /** A navigation property of the type or its base types. */
  navigation(q: string, name: string): NavigationDef | undefined {
    for (const t of this.lineage(q)) {
      const n = t.navigation.get(name);
      if (n) return n;
    }
    return undefined;
  }

  /** True when the type or one of its bases is open (accepts dynamic properties). */
  isOpen(q: string): boolean {
    return this.lineage(q).some((t) => t.open);
  }

  /** The bound operation named so, bound to the type (or a base type), as a collection or single. */
  operation(name: string, q: string, collection: boolean): OperationDef | undefined {
    const short = name.replace(/^microsoft\.graph\./, "").replace(/\(\)$/, "");
    const lineage = this.lineage(q).map((t) => t.name);
    for (const t of lineage) {
      const op = this.operations.find((o) => o.name === short && o.binding.type === t && o.binding.collection === collection);
      if (op) return op;
    }
    return undefined;
  }
}

function typeRef(index: CsdlIndex, n: XmlNode): TypeRef {
  const raw = attr(n, "Type") ?? "";
  const collection = raw.startsWith("Collection(");
  return { type: index.qualify(elementType(raw)), collection, nullable: attr(n, "Nullable") !== "false" };
}

/** Read-only and immutable flags by `type/property` from the `Annotations` elements. */
function readFlags(index: CsdlIndex): Map<string, { readOnly: boolean; immutable: boolean }> {
  const out = new Map<string, { readOnly: boolean; immutable: boolean }>();
  for (const [target, annotations] of annotationsByTarget(index)) {
    const f = { readOnly: false, immutable: false };
    for (const a of annotations) {
      const term = attr(a, "Term");
      if (term === "Org.OData.Core.V1.Computed" && attr(a, "Bool") !== "false") f.readOnly = true;
      if (term === "Org.OData.Core.V1.Immutable" && attr(a, "Bool") !== "false") f.immutable = true;
      if (term === "Org.OData.Core.V1.Permissions" && textOf(a).trim() === "Org.OData.Core.V1.Permission/Read") f.readOnly = true;
    }
    out.set(target, f);
  }
  return out;
}

const RESTRICTION_TERMS: Record<string, [keyof Restrictions, string]> = {
  "Org.OData.Capabilities.V1.ReadRestrictions": ["readable", "Readable"],
  "Org.OData.Capabilities.V1.InsertRestrictions": ["insertable", "Insertable"],
  "Org.OData.Capabilities.V1.UpdateRestrictions": ["updatable", "Updatable"],
  "Org.OData.Capabilities.V1.DeleteRestrictions": ["deletable", "Deletable"],
};

function readRestrictions(index: CsdlIndex): Map<string, Restrictions> {
  const out = new Map<string, Restrictions>();
  for (const [target, annotations] of annotationsByTarget(index)) {
    const r: Restrictions = {};
    for (const a of annotations) {
      const spec = RESTRICTION_TERMS[attr(a, "Term") ?? ""];
      if (!spec) continue;
      const record = childrenOf(a).find((c) => tagOf(c) === "Record");
      const value = record ? childrenOf(record).find((p) => attr(p, "Property") === spec[1]) : undefined;
      const b = value ? attr(value, "Bool") : undefined;
      if (b !== undefined) r[spec[0]] = b === "true";
    }
    if (Object.keys(r).length > 0) out.set(target, r);
  }
  return out;
}

function annotationsByTarget(index: CsdlIndex): Map<string, XmlNode[]> {
  const out = new Map<string, XmlNode[]>();
  for (const s of index.schemas) {
    for (const n of childrenOf(s)) {
      if (tagOf(n) !== "Annotations") continue;
      const [typePart = "", member] = (attr(n, "Target") ?? "").split("/");
      const target = member === undefined ? index.qualify(typePart) : `${index.qualify(typePart)}/${member}`;
      out.set(target, [...(out.get(target) ?? []), ...childrenOf(n).filter((a) => tagOf(a) === "Annotation")]);
    }
  }
  return out;
}

function textOf(n: XmlNode): string {
  return childrenOf(n)
    .map((c) => (tagOf(c) === "#text" ? String(c["#text"] ?? "") : textOf(c)))
    .join("");
}

/** Where the committed fixture lives. */
export const GRAPH_FIXTURE = path.join(__dirname, "..", "fixtures", "graph", "v1.0-rewind.csdl");

let loaded: CsdlModel | undefined;

/** The fixture's model, parsed on first use and kept for the module's life (a jest test file, a benchmark child). */
export function graphModel(): CsdlModel {
  loaded ??= new CsdlModel(readFileSync(GRAPH_FIXTURE, "utf8"));
  return loaded;
}
