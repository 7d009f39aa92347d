/**
 * Values against their declared types, for request bodies and answers alike: Edm primitives, enums, complex
 * and entity types with their own properties (and derived types named by `@odata.type`), collections.
 */
import type { CsdlModel, TypeRef } from "./csdl-model";
import { primitiveMismatch, show } from "./edm-values";

/** Which side is checked, and what that side may carry. */
export interface ValueContext {
  model: CsdlModel;
  side: "request" | "response";
  /** A PATCH body: immutable properties are refused too. */
  update?: boolean;
  /** A delta answer: `@removed` and `<navigation>@delta` are allowed on its items. */
  delta?: boolean;
  /** Reports one finding: rule suffix (`unknownProperty`...), the dotted property path, the detail. */
  emit(rule: string, property: string, detail: string): void;
  /** Records each type a value was held to (for the summary's count). */
  saw?(type: string): void;
}

const RESPONSE_ANNOTATIONS = new Set(["@odata.type", "@odata.id", "@odata.etag", "@odata.context", "@odata.editLink"]);
const OPEN_NAME = /^extension_[0-9a-f]{32}_\w+$/i;

function join(at: string, name: string): string {
  return at === "" ? name : `${at}.${name}`;
}

/** Checks a value against a declared type reference. */
export function checkValue(ctx: ValueContext, ref: TypeRef, v: unknown, at: string): void {
  if (ref.collection) {
    if (!Array.isArray(v)) {
      ctx.emit("type", at, `expected Collection(${ref.type}), got ${show(v)}`);
      return;
    }
    // Items share one path (`x[]`), so a finding on many items is one finding.
    for (const item of v) checkOne(ctx, { ...ref, collection: false }, item, `${at}[]`);
    return;
  }
  checkOne(ctx, ref, v, at);
}

function checkOne(ctx: ValueContext, ref: TypeRef, v: unknown, at: string): void {
  if (v === null) {
    if (!ref.nullable) ctx.emit("type", at, `null for non-nullable ${ref.type}`);
    return;
  }
  const e = ctx.model.enums.get(ref.type);
  if (e) {
    const names = typeof v === "string" ? (e.flags ? v.split(",").map((s) => s.trim()) : [v]) : [];
    const bad = names.length === 0 ? show(v) : names.find((n) => !e.members.has(n));
    if (typeof v !== "string" || bad !== undefined) ctx.emit("type", at, `${show(v)} is not a member of enum ${ref.type}`);
    return;
  }
  if (ctx.model.type(ref.type)) {
    if (typeof v !== "object" || Array.isArray(v)) {
      ctx.emit("type", at, `expected an object of ${ref.type}, got ${show(v)}`);
      return;
    }
    checkStructured(ctx, ref.type, v as Record<string, unknown>, at);
    return;
  }
  const why = primitiveMismatch(ref.type, v);
  if (why) ctx.emit("type", at, why);
}

/** The type an object says it is (`@odata.type`), if it is the declared type or derives from it. */
export function actualType(ctx: ValueContext, declared: string, obj: Record<string, unknown>, at: string): string {
  const cast = obj["@odata.type"];
  if (cast === undefined) return declared;
  const name = typeof cast === "string" ? cast.replace(/^#/, "") : "";
  if (!ctx.model.type(name)) {
    ctx.emit("cast", join(at, "@odata.type"), `${show(cast)} names no type in the schema`);
    return declared;
  }
  if (!ctx.model.isA(name, declared)) {
    ctx.emit("cast", join(at, "@odata.type"), `${name} does not derive from ${declared}`);
    return declared;
  }
  return name;
}

/** Checks an object of a complex or entity type, property by property. */
export function checkStructured(ctx: ValueContext, declared: string, obj: Record<string, unknown>, at: string): void {
  const model = ctx.model;
  const type = actualType(ctx, declared, obj, at);
  ctx.saw?.(type);
  for (const [key, value] of Object.entries(obj)) {
    const where = join(at, key);
    const amp = key.indexOf("@");
    if (amp >= 0) {
      checkAnnotation(ctx, type, key.slice(0, amp), key.slice(amp), value, where);
      continue;
    }
    const nav = model.navigation(type, key);
    if (nav) {
      if (ctx.side === "request") ctx.emit("navigation", where, `${key} is a navigation property of ${type}: set it through ${key}@odata.bind or $ref`);
      else checkValue(ctx, nav, value, where);
      continue;
    }
    const p = model.property(type, key);
    if (!p) {
      if (!(model.isOpen(type) && OPEN_NAME.test(key))) ctx.emit("unknownProperty", where, `${type} has no property '${key}'`);
      continue;
    }
    if (ctx.side === "request" && p.readOnly) ctx.emit("readOnly", where, `${type}.${key} is read-only (Core.Computed or Permissions Read)`);
    else if (ctx.side === "request" && ctx.update && p.immutable) ctx.emit("readOnly", where, `${type}.${key} cannot be updated (key or Core.Immutable)`);
    checkValue(ctx, p, value, where);
  }
}

function checkAnnotation(ctx: ValueContext, type: string, target: string, term: string, value: unknown, where: string): void {
  if (target === "") {
    if (term === "@odata.type") return;
    if (ctx.side === "response" && (RESPONSE_ANNOTATIONS.has(term) || (ctx.delta && term === "@removed"))) return;
    ctx.emit("annotation", where, `annotation ${term} is not expected here`);
    return;
  }
  const nav = ctx.model.navigation(type, target);
  if (ctx.side === "request" && term === "@odata.bind") {
    if (!nav) {
      ctx.emit(ctx.model.property(type, target) ? "bind" : "unknownProperty", where, `${type} has no navigation property '${target}' to bind`);
      return;
    }
    const ok = nav.collection ? Array.isArray(value) && value.every((u) => typeof u === "string") : typeof value === "string";
    if (!ok) ctx.emit("type", where, `${target}@odata.bind must be ${nav.collection ? "an array of URLs" : "one URL"}, got ${show(value)}`);
    return;
  }
  if (ctx.side === "response" && ctx.delta && term === "@delta" && nav) return;
  if (ctx.side === "response" && (term === "@odata.navigationLink" || term === "@odata.associationLink" || term === "@odata.type") && (nav || ctx.model.property(type, target))) return;
  ctx.emit("annotation", where, `annotation ${target}${term} is not expected here`);
}
