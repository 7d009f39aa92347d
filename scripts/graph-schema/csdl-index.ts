/** An index of a CSDL document's declarations, by qualified name, over the ordered XML tree. */
import { attr, childrenOf, findPath, tagOf, type XmlNode } from "./xml-tree";

/** A type, operation overload or container declared in a schema. */
export interface Decl {
  /** Qualified name (`microsoft.graph.user`); operations share theirs across overloads. */
  q: string;
  kind: string;
  node: XmlNode;
}

/** The declarations of a CSDL document and the helpers to resolve its type references. */
export interface CsdlIndex {
  schemas: XmlNode[];
  types: Map<string, Decl>;
  operations: Decl[];
  container: { ns: string; node: XmlNode };
  /** Directly derived types by qualified base type. */
  derived: Map<string, string[]>;
  /** Qualified name of a reference (`graph.user`, `Collection(self.alert)`), without `Collection(...)`. */
  qualify(ref: string): string;
}

const TYPE_KINDS = new Set(["EntityType", "ComplexType", "EnumType", "TypeDefinition"]);

/** Strips `Collection(...)` from a type reference. */
export function elementType(ref: string): string {
  const m = /^Collection\((.*)\)$/.exec(ref);
  return m?.[1] ?? ref;
}

/** Indexes a parsed CSDL document (`edmx:Edmx/edmx:DataServices/Schema*`). */
export function indexCsdl(tree: XmlNode[]): CsdlIndex {
  const services = findPath(tree, ["edmx:Edmx", "edmx:DataServices"]);
  if (!services) throw new Error("not a CSDL document: no edmx:Edmx/edmx:DataServices");
  const schemas = childrenOf(services).filter((n) => tagOf(n) === "Schema");
  const aliases = new Map<string, string>();
  for (const s of schemas) {
    const ns = attr(s, "Namespace") ?? "";
    aliases.set(ns, ns);
    const alias = attr(s, "Alias");
    if (alias) aliases.set(alias, ns);
  }
  const qualify = (ref: string): string => {
    const t = elementType(ref);
    if (t.startsWith("Edm.")) return t;
    const dot = t.lastIndexOf(".");
    const prefix = t.slice(0, dot);
    return `${aliases.get(prefix) ?? prefix}${t.slice(dot)}`;
  };
  const types = new Map<string, Decl>();
  const operations: Decl[] = [];
  const derived = new Map<string, string[]>();
  let container: CsdlIndex["container"] | undefined;
  for (const s of schemas) {
    const ns = attr(s, "Namespace") ?? "";
    for (const n of childrenOf(s)) {
      const kind = tagOf(n);
      const q = `${ns}.${attr(n, "Name") ?? ""}`;
      if (TYPE_KINDS.has(kind)) {
        types.set(q, { q, kind, node: n });
        const base = attr(n, "BaseType");
        if (base) derived.set(qualify(base), [...(derived.get(qualify(base)) ?? []), q]);
      } else if (kind === "Action" || kind === "Function") {
        if (attr(n, "IsBound") === "true") operations.push({ q, kind, node: n });
      } else if (kind === "EntityContainer") {
        container = { ns, node: n };
      }
    }
  }
  if (!container) throw new Error("not a CSDL service: no EntityContainer");
  return { schemas, types, operations, container, derived, qualify };
}

/** The binding parameter's type of a bound operation (qualified, `Collection(...)` kept). */
export function bindingType(index: CsdlIndex, op: Decl): string {
  const p = childrenOf(op.node).find((c) => tagOf(c) === "Parameter");
  const t = p ? attr(p, "Type") : undefined;
  if (!t) throw new Error(`bound operation ${op.q} has no binding parameter`);
  return t.startsWith("Collection(") ? `Collection(${index.qualify(t)})` : index.qualify(t);
}
