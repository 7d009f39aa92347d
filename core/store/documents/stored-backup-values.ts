import { z } from "zod";
import { OBJECT_TYPES } from "../../model/catalog";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");

/**
 * An object's stored properties. Checked without copying: a backup holds a hundred thousand of them and a
 * cloning record schema would cost more than the read itself; the check is the same (a JSON object).
 */
export const StoredPropertiesSchema = z.custom<Record<string, unknown>>(isRecord, { message: "expected a JSON object" });

/** A stored link target set (also a staged chunk): a JSON array of ids. */
export const StoredTargetsSchema = z.custom<string[]>(isStringArray, { message: "expected a JSON array of strings" });

/** A completed backup's counts per type. */
export const StoredCountsSchema = z.partialRecord(
  z.enum(OBJECT_TYPES),
  z.object({ live: z.number().int().nonnegative(), deleted: z.number().int().nonnegative() }),
);
