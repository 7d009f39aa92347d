import { z } from "zod";
import { parseFlags } from "../flags";

/** The parts of the engine benchmark, as `--parts=` names them. */
export const ENGINE_PARTS = ["backup", "report", "recovery", "storage"] as const;
export type EnginePart = (typeof ENGINE_PARTS)[number];

/** The tenant: the simulator's `large` preset. */
const LARGE = { seed: 13, users: 100_000, groups: 20_000, links: 1_000_000, applications: 1_000, conditionalAccessPolicies: 120, namedLocations: 40 };

const Flags = z
  .object({
    users: z.coerce.number().int().positive().default(LARGE.users),
    groups: z.coerce.number().int().positive().default(LARGE.groups),
    links: z.coerce.number().int().nonnegative().default(LARGE.links),
    applications: z.coerce.number().int().nonnegative().default(LARGE.applications),
    seed: z.coerce.number().int().default(LARGE.seed),
    /** Objects changed before the difference report (and recovered). */
    changes: z.coerce.number().int().positive().default(100_000),
    /** Runs of the backup (fresh process each) and of the report (same drifted tenant). */
    runs: z.coerce.number().int().positive().default(1),
    /**
     * The simulator's timeScale: throttling windows of 10 s and 150 s times this. 0.05 compresses Graph's write
     * budget twentyfold (400 writes/s), still the limit on this 2-core machine; at 0.01 (2,000 writes/s) the
     * machine, not the budget, limits the recovery, and "budget used" would measure the CPU instead.
     */
    "time-scale": z.coerce.number().positive().max(1).default(0.05),
    parts: z
      .string()
      .default(ENGINE_PARTS.join(","))
      .transform((s) => s.split(",").filter((p) => p.length > 0))
      .pipe(z.array(z.enum(ENGINE_PARTS)).min(1)),
    days: z.coerce.number().int().min(2).default(5),
    /** Share of users and groups changed per day in the storage part. */
    "daily-share": z.coerce.number().positive().max(1).default(0.01),
  })
  .strict();

/** The engine benchmark's settings, from `--name=value` flags. */
export interface EngineOptions {
  readonly tenant: typeof LARGE;
  readonly changes: number;
  readonly runs: number;
  readonly timeScale: number;
  readonly parts: ReadonlySet<EnginePart>;
  readonly days: number;
  readonly changesPerDay: number;
}

export const ENGINE_USAGE =
  "engine [--runs=N] [--parts=backup,report,recovery,storage] [--changes=N] [--time-scale=X] [--users=N --groups=N --links=N --applications=N --seed=N] [--days=N] [--daily-share=X]";

export function parseEngineOptions(args: readonly string[]): EngineOptions {
  const f = parseFlags(args, Flags, ENGINE_USAGE);
  const tenant = { ...LARGE, seed: f.seed, users: f.users, groups: f.groups, links: f.links, applications: f.applications };
  return {
    tenant,
    changes: f.changes,
    runs: f.runs,
    timeScale: f["time-scale"],
    parts: new Set(f.parts),
    days: f.days,
    changesPerDay: Math.max(1, Math.round((f.users + f.groups) * f["daily-share"])),
  };
}
