/**
 * Which declarations of the full CSDL the fixture keeps: the roots' types, their base types, every type derived
 * from a type a path or property can hold (for `@odata.type` casts), every type a kept property needs
 * (transitively), the followed navigation properties' targets, and the kept bound operations with their
 * parameter and return types.
 */
import { attr, childrenOf, tagOf } from "./xml-tree";
import { bindingType, elementType, type CsdlIndex, type Decl } from "./csdl-index";
import { FOLLOW, OPERATIONS, ROOTS } from "./scope";

/** The kept types (qualified names) and operation overloads. */
export interface Kept {
  types: Set<string>;
  operations: Set<Decl>;
}

/** Computes the closure of the roots over the index. */
export function closure(index: CsdlIndex): Kept {
  const types = new Set<string>();
  const withDerived = new Set<string>();
  const follow = new Set(FOLLOW);
  const include = (ref: string, derived: boolean): void => {
    const q = index.qualify(ref);
    if (q.startsWith("Edm.")) return;
    const decl = index.types.get(q);
    if (!decl) throw new Error(`type ${q} is referenced but not declared`);
    if (!types.has(q)) {
      types.add(q);
      const base = attr(decl.node, "BaseType");
      if (base) include(base, false);
      for (const m of childrenOf(decl.node)) {
        const t = attr(m, "Type");
        if (!t) continue;
        if (tagOf(m) === "Property") include(t, true);
        if (tagOf(m) === "NavigationProperty" && (follow.has(`${q}/${attr(m, "Name") ?? ""}`) || follow.has(`*/${attr(m, "Name") ?? ""}`))) include(t, true);
      }
      const underlying = decl.kind === "TypeDefinition" ? attr(decl.node, "UnderlyingType") : undefined;
      if (underlying) include(underlying, false);
    }
    if (derived && !withDerived.has(q)) {
      withDerived.add(q);
      for (const d of index.derived.get(q) ?? []) include(d, true);
    }
  };
  const rootNames = new Set(ROOTS);
  for (const r of childrenOf(index.container.node)) {
    if (!rootNames.has(attr(r, "Name") ?? "")) continue;
    include(attr(r, "EntityType") ?? attr(r, "Type") ?? "", true);
  }
  const operations = new Set<Decl>();
  const names = new Set(OPERATIONS.map((o) => `${index.container.ns}.${o}`));
  for (let grew = true; grew; ) {
    grew = false;
    for (const op of index.operations) {
      if (operations.has(op) || !names.has(op.q) || !types.has(elementType(bindingType(index, op)))) continue;
      operations.add(op);
      grew = true;
      for (const c of childrenOf(op.node)) {
        const t = attr(c, "Type");
        if (t && (tagOf(c) === "Parameter" || tagOf(c) === "ReturnType")) include(t, true);
      }
    }
  }
  return { types, operations };
}
