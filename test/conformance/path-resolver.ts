/**
 * Resolves a Graph request path against the schema model: entity set or singleton, key, navigation property,
 * type cast, bound action or function, `$ref`, `$count`. The result says what the path addresses, so the method,
 * query and body rules know the type they hold the request to.
 */
import type { CsdlModel, NavigationDef, OperationDef } from "./csdl-model";

/** What a resolved path addresses. */
export type Target =
  | { kind: "collection"; type: string }
  | { kind: "entity"; type: string; byKey: boolean }
  | { kind: "property"; type: string }
  | { kind: "ref"; collection: boolean; item: boolean }
  | { kind: "count" }
  | { kind: "operation"; op: OperationDef };

/** A resolved path: its target, the last navigation property or root on the way, and the path with keys as `{id}`. */
export interface Resolved {
  target: Target;
  /** Annotation target of the last entity set, singleton or navigation property (for capability restrictions). */
  restrictionsAt?: string;
  /** Reached through a navigation property that does not contain its targets (members, owners, manager...). */
  viaReference: boolean;
  pattern: string;
}

/** A path that does not resolve: the first segment that fails, and why. */
export interface Unresolved {
  error: string;
  segment: string;
  pattern: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path's segments after `/v1.0` (decoded), or the segments of a relative `$batch` url. */
export function pathSegments(pathname: string): string[] {
  const parts = pathname.split("/").filter((s) => s !== "").map((s) => decodeURIComponent(s));
  if (parts[0] === "v1.0" || parts[0] === "beta") parts.shift();
  return parts;
}

/** The path's shape with keys abstracted, for unresolved paths too (GUID-like segments become `{id}`). */
export function literalPattern(segments: string[]): string {
  return `/${segments.map((s) => (GUID.test(s) ? "{id}" : s)).join("/")}`;
}

/** Resolves path segments (after the version) against the model. */
export function resolvePath(model: CsdlModel, segments: string[]): Resolved | Unresolved {
  const pattern: string[] = [];
  const fail = (error: string, segment: string): Unresolved => ({ error, segment, pattern: `/${[...pattern, ...segments.slice(pattern.length).map((s) => (GUID.test(s) ? "{id}" : s))].join("/")}` });
  const [first, ...rest] = segments;
  const root = first === undefined ? undefined : model.roots.get(first);
  if (!root || first === undefined) return fail(`no entity set or singleton named '${first ?? ""}'`, first ?? "");
  pattern.push(first);
  let target: Target = root.kind === "set" ? { kind: "collection", type: root.type } : { kind: "entity", type: root.type, byKey: false };
  let restrictionsAt: string | undefined = `${model.containerTarget}/${first}`;
  let nav: NavigationDef | undefined;
  for (const seg of rest) {
    if (target.kind === "ref" || target.kind === "count" || target.kind === "operation" || target.kind === "property") return fail(`nothing can follow ${pattern[pattern.length - 1] ?? ""}`, seg);
    const type: string = target.type;
    const collection: boolean = target.kind === "collection";
    if (seg === "$count" && collection) {
      target = { kind: "count" };
      pattern.push(seg);
      continue;
    }
    if (seg === "$ref") {
      if (!nav || nav.containsTarget) return fail("$ref only follows a navigation property that references its targets", seg);
      target = { kind: "ref", collection: nav.collection, item: !collection && nav.collection };
      pattern.push(seg);
      continue;
    }
    if (seg.includes(".") && model.type(seg)) {
      if (!model.isA(seg, type)) return fail(`type cast ${seg} does not derive from ${type}`, seg);
      target = collection ? { kind: "collection", type: seg } : { kind: "entity", type: seg, byKey: target.kind === "entity" && target.byKey };
      pattern.push(seg);
      continue;
    }
    const op = model.operation(seg, type, collection);
    if (op) {
      target = { kind: "operation", op };
      pattern.push(seg.replace(/^microsoft\.graph\./, "").replace(/\(\)$/, ""));
      continue;
    }
    if (collection) {
      if (seg.startsWith("$") || seg.includes("(")) return fail(`'${seg}' is not a key of ${type}`, seg);
      target = { kind: "entity", type, byKey: true };
      pattern.push("{id}");
      continue;
    }
    const n = model.navigation(type, seg);
    if (n) {
      nav = n;
      restrictionsAt = `${n.declaredBy}/${n.name}`;
      target = n.collection ? { kind: "collection", type: n.type } : { kind: "entity", type: n.type, byKey: false };
      pattern.push(seg);
      continue;
    }
    const p = model.property(type, seg);
    if (p) {
      target = { kind: "property", type: p.type };
      pattern.push(seg);
      continue;
    }
    return fail(`${type} has no navigation property, property or bound operation '${seg}'`, seg);
  }
  const out: Resolved = { target, viaReference: nav !== undefined && !nav.containsTarget, pattern: `/${pattern.join("/")}` };
  if (restrictionsAt) out.restrictionsAt = restrictionsAt;
  return out;
}

/** The type a successful answer carries: `Collection(T)`, `T`, or a primitive, from a resolved path. */
export function answerType(r: Resolved): { type: string; collection: boolean } | undefined {
  const t = r.target;
  if (t.kind === "collection") return { type: t.type, collection: true };
  if (t.kind === "entity" || t.kind === "property") return { type: t.type, collection: false };
  if (t.kind === "operation") return t.op.returns ? { type: t.op.returns.type, collection: t.op.returns.collection } : undefined;
  return undefined;
}
