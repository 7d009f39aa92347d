import { z } from "zod";
import { parseFlags } from "./flags";

const Flags = z
  .object({
    /** Objects in the backup (users and groups, five users per group, ten member links per user). */
    objects: z.coerce.number().int().min(10).max(1_000_000).default(100_000),
    /** Changes in the report paged through. */
    changes: z.coerce.number().int().min(10).max(1_000_000).default(100_000),
    /** Times each Cosmos part runs (each on a fresh database); figures are per run, with medians. */
    runs: z.coerce.number().int().min(1).max(10).default(1),
    /** Which parts run: the backup, the changes, or both. */
    parts: z.enum(["backup", "changes", "both"]).default("both"),
    /** Also run both parts on SQLite (a temp file) for comparison. */
    sqlite: z.enum(["true", "false"]).default("true").transform((v) => v === "true"),
  })
  .strict();

export type CosmosBenchOptions = z.infer<typeof Flags>;

export const COSMOS_USAGE = "cosmos [--objects=N] [--changes=N] [--runs=N] [--parts=backup|changes|both] [--sqlite=true|false]";

/** Parses `--name=value` flags (the other benchmarks' style). */
export function parseCosmosOptions(args: readonly string[]): CosmosBenchOptions {
  return parseFlags(args, Flags, COSMOS_USAGE);
}
