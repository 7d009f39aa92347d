import type { z } from "zod";

/**
 * Parses a stored document through its schema; a damaged value fails loudly with what it was, never passes as
 * data. `value` is the JSON text (SQLite columns) or the already-decoded document (Cosmos DB): the one parser
 * and error shape both stores use for what they read back.
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
  if (!parsed.success) throw new Error(`Stored ${what} is malformed: ${describeIssues(parsed.error.issues)}`);
  return parsed.data;
}

/** Each problem as `path: message` (the path left out at the document's root), so the damaged field is named. */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => (i.path.length > 0 ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}
