import type { z } from "zod";

/**
 * Parses a stored document through its schema; a damaged value fails loudly with what it was, never passes as
 * data. `value` is the JSON text (SQLite columns) or the already-decoded document (Cosmos DB).
 */
export function parseStored<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  let decoded: unknown = value;
  if (typeof value === "string") {
    try {
      decoded = JSON.parse(value);
    } catch (err) {
      throw new Error(`Stored ${what} is not valid JSON: ${(err as Error).message}`);
    }
  }
  const parsed = schema.safeParse(decoded);
  if (!parsed.success) throw new Error(`Stored ${what} is malformed: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  return parsed.data;
}
