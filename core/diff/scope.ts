import { z } from "zod";
import { CATALOG, OBJECT_TYPES, type ObjectType } from "../model/catalog";
import { badRequestError } from "../model/errors";
import type { Scope } from "../model/job";

/** Most object ids one scope may name (Microsoft's service takes 100; reading them one by one stays quick). */
export const MAX_SCOPE_IDS = 1000;
/** Object ids as Graph writes them (GUIDs), and the singletons' names. */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const ScopeSchema = z
  .object({
    types: z.array(z.string()).optional(),
    objects: z.array(z.object({ type: z.string(), ids: z.array(z.string()) }).strict()).optional(),
    attributes: z.array(z.string()).optional(),
  })
  .strict();

const KNOWN = new Set<string>(OBJECT_TYPES);
const isType = (t: string): t is ObjectType => KNOWN.has(t);
const acceptedTypes = `Accepted types: ${OBJECT_TYPES.join(", ")}.`;

/**
 * Checks a scope from outside (a command, card data) and returns it normalized: known types only, no type
 * named twice among `objects`, well-formed and de-duplicated ids, at most `MAX_SCOPE_IDS` of them, and
 * attributes that are supported properties or links of a type in scope. Throws a 400 `RewindError` naming
 * what was wrong and what is accepted.
 */
export function parseScope(input: unknown): Scope {
  const parsed = ScopeSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw badRequestError(
      `The scope is malformed: ${parsed.error.issues.map((i) => `${i.path.join(".") || "scope"}: ${i.message}`).join("; ")}.`,
      "A scope has optional `types` (type names), `objects` ([{ type, ids }]) and `attributes` (property or link names).",
    );
  }
  const raw = parsed.data;
  const types: ObjectType[] = [];
  for (const t of raw.types ?? []) {
    if (!isType(t)) throw badRequestError(`Unknown object type "${t}".`, acceptedTypes);
    if (!types.includes(t)) types.push(t);
  }
  const objects: { type: ObjectType; ids: string[] }[] = [];
  let idCount = 0;
  for (const entry of raw.objects ?? []) {
    if (!isType(entry.type)) throw badRequestError(`Unknown object type "${entry.type}".`, acceptedTypes);
    if (objects.some((o) => o.type === entry.type)) {
      throw badRequestError(`The type "${entry.type}" is named twice in the scope's objects.`, "Name each type once, with all its ids.");
    }
    const ids = [...new Set(entry.ids)];
    const bad = ids.find((id) => !ID_PATTERN.test(id));
    if (bad !== undefined) throw badRequestError(`"${bad.slice(0, 64)}" is not an object id.`, "Object ids are GUIDs such as 0a0a0a0a-0000-4000-8000-000000000001.");
    if (ids.length === 0) throw badRequestError(`No object ids given for the type "${entry.type}".`, "Give at least one id per type.");
    idCount += ids.length;
    objects.push({ type: entry.type, ids: ids.sort() });
  }
  if (idCount > MAX_SCOPE_IDS) {
    throw badRequestError(`The scope names ${idCount} object ids; at most ${MAX_SCOPE_IDS} are accepted.`, "Scope by object type instead, or split the list.");
  }
  const inScope = scopeTypes({ types, objects });
  const attributes: string[] = [];
  for (const a of raw.attributes ?? []) {
    const known = inScope.some((t) => CATALOG[t].properties.some((p) => p.name === a && p.writable) || CATALOG[t].links.some((l) => l.name === a));
    if (!known) {
      throw badRequestError(
        `"${a.slice(0, 64)}" is not a recoverable property or link of ${inScope.length === OBJECT_TYPES.length ? "any type" : inScope.join(", ")}.`,
        "Name writable properties (such as department) or links (members, owners, manager, sponsors).",
      );
    }
    if (!attributes.includes(a)) attributes.push(a);
  }
  return {
    ...(types.length > 0 ? { types } : {}),
    ...(objects.length > 0 ? { objects } : {}),
    ...(attributes.length > 0 ? { attributes } : {}),
  };
}

/** The types a scope covers, in catalog order (all of them for an empty scope). */
export function scopeTypes(scope: Scope): ObjectType[] {
  const named = new Set<ObjectType>([...(scope.types ?? []), ...(scope.objects ?? []).map((o) => o.type)]);
  return named.size === 0 ? [...OBJECT_TYPES] : OBJECT_TYPES.filter((t) => named.has(t));
}

/** The ids a scope names for a type, sorted; null when the whole type is in scope. */
export function scopeIds(scope: Scope, type: ObjectType): readonly string[] | null {
  if (scope.types?.includes(type)) return null;
  const entry = scope.objects?.find((o) => o.type === type);
  return entry ? [...entry.ids].sort() : null;
}
