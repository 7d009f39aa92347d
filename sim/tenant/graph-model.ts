import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

/**
 * The slice of Microsoft Graph v1.0's published schema the simulator serves (`graph-model.json`, written by
 * `sim/graph-model-gen.ts` from the full CSDL): property names, types, nullability, navigation properties,
 * complex types and enums. The authority for `$select`, default property sets and write-body checks.
 */

const Property = z.object({ type: z.string(), collection: z.boolean(), nullable: z.boolean(), readOnly: z.literal(true).optional() });
const Structured = z.object({
  props: z.record(z.string(), Property),
  nav: z.array(z.string()).optional(),
  open: z.boolean(),
  abstract: z.boolean(),
  base: z.string().optional(),
  derived: z.array(z.string()).optional(),
});
const Model = z.object({
  entities: z.record(z.string(), Structured),
  complexTypes: z.record(z.string(), Structured),
  enums: z.record(z.string(), z.object({ members: z.array(z.string()), flags: z.boolean() })),
});

/** One structural property of a type, as the schema declares it. */
export type GraphProperty = z.infer<typeof Property>;
/** An entity or complex type with its base types flattened in. */
export type GraphType = z.infer<typeof Structured>;

const MODEL = Model.parse(JSON.parse(readFileSync(join(__dirname, "graph-model.json"), "utf8")));

/** The entity type `name` (short name, e.g. `user`); throws for a type the model does not carry. */
export function entityType(name: string): GraphType {
  const t = MODEL.entities[name];
  if (!t) throw new Error(`entity type ${name} is not in graph-model.json`);
  return t;
}

/** A complex type by short name, if the model carries it. */
export function complexType(name: string): GraphType | undefined {
  return MODEL.complexTypes[name];
}

/** An enum's members by short name, if the model carries it. */
export function enumType(name: string): { members: string[]; flags: boolean } | undefined {
  return MODEL.enums[name];
}

/** Whether `derived` is `base` or one of the complex types derived from it (transitively). */
export function isComplexSubtype(derived: string, base: string): boolean {
  for (let t: string | undefined = derived; t; t = MODEL.complexTypes[t]?.base) if (t === base) return true;
  return false;
}
