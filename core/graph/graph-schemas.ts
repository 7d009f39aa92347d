import { z } from "zod";
import { DirectoryError } from "../model/directory-error";

/** A directory object as Graph returns it: an id and whatever was selected. */
export type GraphObject = { id: string } & Record<string, unknown>;

/**
 * Checked without copying: pages carry up to 999 objects and a million link entries per tenant, and a
 * cloning object schema doubled the read's CPU time. The check is the same: an object with a non-empty id.
 */
const hasId = (v: unknown): v is GraphObject =>
  typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as { id?: unknown }).id === "string" && (v as { id: string }).id !== "";
export const GraphObjectSchema = z.custom<GraphObject>(hasId, { message: "expected an object with a non-empty string id" });

/** One page of a collection or a delta enumeration. */
export const GraphPageSchema = z.object({
  value: z.array(GraphObjectSchema),
  "@odata.nextLink": z.string().url().optional(),
  "@odata.deltaLink": z.string().url().optional(),
});
export type GraphPage = z.infer<typeof GraphPageSchema>;

/** An entry of a link collection in a delta answer (`members@delta`, `manager@delta`) or an `$expand`. */
export type GraphRef = { id: string; "@odata.type"?: string; "@removed"?: { reason: string } };
const isRef = (v: unknown): v is GraphRef => {
  if (!hasId(v)) return false;
  const t = v["@odata.type"];
  const r = v["@removed"];
  return (t === undefined || typeof t === "string") && (r === undefined || (typeof r === "object" && r !== null));
};
export const GraphRefListSchema = z.array(z.custom<GraphRef>(isRef, { message: "expected a reference with a string id" }));

/** The `@removed` annotation on a delta item. */
export const RemovedSchema = z.object({ reason: z.enum(["changed", "deleted"]) });

/** One answer inside a `$batch` response. */
export const BatchAnswerSchema = z.object({
  id: z.string(),
  status: z.number().int(),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
});
export const BatchResponseSchema = z.object({ responses: z.array(BatchAnswerSchema) });
export type BatchAnswer = z.infer<typeof BatchAnswerSchema>;

/** Graph's error body. */
export const GraphErrorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** Parses a Graph answer; an answer of the wrong shape is a 502 naming what was wrong, not a crash later on. */
export function parseGraph<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
  throw new DirectoryError(502, "invalidGraphResponse", `Microsoft Graph sent an unexpected answer for ${what}${where}: ${issue?.message ?? "invalid"}.`);
}
