import { z } from "zod";

/** A stored conversation reference: a JSON object (the Bot Framework's shape is the bot's business). */
export const StoredReferenceSchema = z.record(z.string(), z.unknown());

/** One person seen in a conversation, as stored (only these fields: anything else a caller passed is not kept). */
const StoredMemberSchema = z
  .object({ userId: z.string().min(1), channelUserId: z.string(), name: z.string().optional(), lastSeenAt: z.string() })
  .strict();

/** The people seen in a conversation, as stored. */
export const StoredMembersSchema = z.array(StoredMemberSchema);

/**
 * A value as the JSON text to store, checked to read back through `schema` (what `parseStored` will do), so a
 * row is never written that fails when read. A value that cannot be stored is the caller's error (RangeError).
 */
export function toStoredText<T>(schema: z.ZodType<T>, value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new RangeError(`${what} cannot be stored as JSON: ${(err as Error).message}`);
  }
  if (text === undefined) throw new RangeError(`${what} cannot be stored as JSON.`);
  const parsed = schema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new RangeError(`${what} cannot be stored: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  return text;
}

/** An id a row is keyed by: a non-empty string. */
export function requireId(value: string, what: string): string {
  if (typeof value !== "string" || value.length === 0) throw new RangeError(`${what} cannot be empty.`);
  return value;
}
