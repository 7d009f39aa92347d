/** Writes the kept part of a CSDL document: the same elements in the same order, the rest left out. */
import { attr, buildXml, childrenOf, parseXml, tagOf, withChildren, type XmlNode } from "./xml-tree";
import { indexCsdl, type CsdlIndex } from "./csdl-index";
import { closure, type Kept } from "./closure";
import { DROPPED_TERMS, ROOTS } from "./scope";

const dropped = new Set(DROPPED_TERMS);

/** The element without prose annotations, at any depth. */
function withoutProse(n: XmlNode): XmlNode {
  if (tagOf(n) === "#text") return n;
  const kids = childrenOf(n)
    .filter((c) => !(tagOf(c) === "Annotation" && dropped.has(attr(c, "Term") ?? "")))
    .map(withoutProse);
  return withChildren(n, kids);
}

/** Resolves the kept navigation property of a type (or of its base types) to its target type. */
function navTarget(index: CsdlIndex, kept: Kept, typeQ: string, name: string): string | undefined {
  for (let q: string | undefined = typeQ; q; ) {
    const decl = index.types.get(q);
    if (!decl) return undefined;
    const nav = childrenOf(decl.node).find((m) => tagOf(m) === "NavigationProperty" && attr(m, "Name") === name);
    const t = nav ? attr(nav, "Type") : undefined;
    if (t && kept.types.has(index.qualify(t))) return index.qualify(t);
    const base = attr(decl.node, "BaseType");
    q = base ? index.qualify(base) : undefined;
  }
  return undefined;
}

/** True when a `/`-separated binding path (navigation properties and type casts) resolves in the kept types. */
function resolves(index: CsdlIndex, kept: Kept, from: string, path: string[]): boolean {
  let q = from;
  for (const seg of path) {
    if (seg.includes(".")) {
      if (!kept.types.has(index.qualify(seg))) return false;
      q = index.qualify(seg);
    } else {
      const t = navTarget(index, kept, q, seg);
      if (!t) return false;
      q = t;
    }
  }
  return true;
}

function filterContainer(index: CsdlIndex, kept: Kept): XmlNode {
  const roots = new Map<string, string>();
  for (const r of childrenOf(index.container.node)) {
    const name = attr(r, "Name") ?? "";
    if (ROOTS.includes(name)) roots.set(name, index.qualify(attr(r, "EntityType") ?? attr(r, "Type") ?? ""));
  }
  const kids = childrenOf(index.container.node)
    .filter((r) => roots.has(attr(r, "Name") ?? ""))
    .map((r) => {
      const own = roots.get(attr(r, "Name") ?? "") ?? "";
      const bindings = childrenOf(r).filter((b) => {
        if (tagOf(b) !== "NavigationPropertyBinding") return true;
        const [first = "", ...rest] = (attr(b, "Target") ?? "").split("/");
        const target = roots.get(first);
        return resolves(index, kept, own, (attr(b, "Path") ?? "").split("/")) && target !== undefined && resolves(index, kept, target, rest);
      });
      return withChildren(r, bindings);
    });
  return withChildren(index.container.node, kids);
}

/** True when an `Annotations` target names something the fixture keeps (operation targets are dropped). */
function keptTarget(index: CsdlIndex, kept: Kept, target: string): boolean {
  if (target.includes("(")) return false;
  const [typePart = "", member] = target.split("/");
  const q = index.qualify(typePart);
  if (q === `${index.container.ns}.${attr(index.container.node, "Name") ?? ""}`) return member !== undefined && ROOTS.includes(member);
  if (!kept.types.has(q)) return false;
  if (member === undefined) return true;
  const decl = index.types.get(q);
  const m = decl ? childrenOf(decl.node).find((c) => attr(c, "Name") === member) : undefined;
  if (!m) return false;
  return tagOf(m) !== "NavigationProperty" || kept.types.has(index.qualify(attr(m, "Type") ?? ""));
}

function filterSchema(index: CsdlIndex, kept: Kept, schema: XmlNode): XmlNode | undefined {
  const ns = attr(schema, "Namespace") ?? "";
  const out: XmlNode[] = [];
  for (const n of childrenOf(schema)) {
    const kind = tagOf(n);
    const q = `${ns}.${attr(n, "Name") ?? ""}`;
    if (kind === "EntityType" || kind === "ComplexType") {
      if (!kept.types.has(q)) continue;
      const members = childrenOf(n).filter((m) => tagOf(m) !== "NavigationProperty" || kept.types.has(index.qualify(attr(m, "Type") ?? "")));
      out.push(withoutProse(withChildren(n, members)));
    } else if (kind === "EnumType" || kind === "TypeDefinition") {
      if (kept.types.has(q)) out.push(withoutProse(n));
    } else if (kind === "Action" || kind === "Function") {
      if ([...kept.operations].some((o) => o.node === n)) out.push(withoutProse(n));
    } else if (kind === "EntityContainer") {
      out.push(filterContainer(index, kept));
    } else if (kind === "Annotations") {
      if (!keptTarget(index, kept, attr(n, "Target") ?? "")) continue;
      const a = withoutProse(n);
      if (childrenOf(a).length > 0) out.push(a);
    }
  }
  return out.length > 0 ? withChildren(schema, out) : undefined;
}

/** The part of a CSDL document that Rewind touches, as CSDL text. */
export function extractRewindCsdl(xml: string): string {
  const tree = parseXml(xml);
  const index = indexCsdl(tree);
  const kept = closure(index);
  const rebuild = (nodes: XmlNode[]): XmlNode[] =>
    nodes.map((n) => {
      const tag = tagOf(n);
      if (tag === "edmx:Edmx") return withChildren(n, rebuild(childrenOf(n)));
      if (tag !== "edmx:DataServices") return n;
      const schemas: XmlNode[] = [];
      for (const s of childrenOf(n)) {
        const kept1 = tagOf(s) === "Schema" ? filterSchema(index, kept, s) : s;
        if (kept1) schemas.push(kept1);
      }
      return withChildren(n, schemas);
    });
  return buildXml(rebuild(tree));
}
