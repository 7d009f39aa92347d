import { z } from "zod";
import { parseFlags } from "./flags";

/** The tenant: the simulator's `large` preset (as the engine benchmark). */
const LARGE = { seed: 13, users: 100_000, groups: 20_000, links: 1_000_000, applications: 1_000, conditionalAccessPolicies: 120, namedLocations: 40 };

const share = z.coerce.number().min(0).max(1);

const Flags = z
  .object({
    users: z.coerce.number().int().positive().default(LARGE.users),
    groups: z.coerce.number().int().positive().default(LARGE.groups),
    links: z.coerce.number().int().nonnegative().default(LARGE.links),
    applications: z.coerce.number().int().nonnegative().default(LARGE.applications),
    seed: z.coerce.number().int().default(LARGE.seed),
    /** Objects the drift changes: the report, and so the recovery, has about this many changes. */
    changes: z.coerce.number().int().positive().default(20_000),
    /** The simulator's throttling windows (10 s, 150 s) times this, as in the engine benchmark. */
    "time-scale": z.coerce.number().positive().max(1).default(0.05),
    /** Seeds the kill points, the storm's place and the simulator's fault draws. */
    "chaos-seed": z.coerce.number().int().default(13),
    /** SIGKILLs of the replica holding the job's lease, at random points of the recovery. */
    kills: z.coerce.number().int().min(0).max(20).default(3),
    /** Share of Graph requests answered 503/504 (some after carrying out the write). */
    "error-rate": share.default(0.05),
    /** Share of Graph requests whose connection drops (some after carrying out the write). */
    "drop-rate": share.default(0.01),
    /** Of the 5xx and drops of a request that writes, the part that comes after the write was carried out (the answer lost). */
    "lost-share": share.default(0.3),
    /** The 429 storm's length, as a share of the recovery's time (0: no storm). */
    "storm-share": share.default(0.1),
    /** Graph's budgets during the storm, as a share of the normal ones. */
    "storm-budget": z.coerce.number().positive().max(1).default(0.01),
    /** The job lease of the replicas (production: 60 s); a killed replica's job is taken over after it. */
    "lease-seconds": z.coerce.number().positive().default(10),
    /** Pairs of runs (fault-free, then chaos); times are medians. */
    runs: z.coerce.number().int().positive().default(1),
  })
  .strict();

/** The chaos benchmark's settings. */
export interface ChaosOptions {
  readonly tenant: typeof LARGE;
  readonly changes: number;
  readonly timeScale: number;
  readonly chaosSeed: number;
  readonly kills: number;
  readonly errorRate: number;
  readonly dropRate: number;
  readonly lostShare: number;
  readonly stormShare: number;
  readonly stormBudget: number;
  readonly leaseMs: number;
  readonly runs: number;
}

export const CHAOS_USAGE =
  "chaos [--changes=N] [--kills=N] [--error-rate=X] [--drop-rate=X] [--lost-share=X] [--storm-share=X] [--storm-budget=X] [--lease-seconds=N] [--time-scale=X] [--chaos-seed=N] [--runs=N] [--users=N --groups=N --links=N --applications=N --seed=N]";

/** Parses `--name=value` flags. */
export function parseChaosOptions(args: readonly string[]): ChaosOptions {
  const f = parseFlags(args, Flags, CHAOS_USAGE);
  if (f["error-rate"] + f["drop-rate"] > 1) throw new Error(`Bad flags: --error-rate + --drop-rate must not exceed 1. Usage: ${CHAOS_USAGE}`);
  return {
    tenant: { ...LARGE, seed: f.seed, users: f.users, groups: f.groups, links: f.links, applications: f.applications },
    changes: f.changes,
    timeScale: f["time-scale"],
    chaosSeed: f["chaos-seed"],
    kills: f.kills,
    errorRate: f["error-rate"],
    dropRate: f["drop-rate"],
    lostShare: f["lost-share"],
    stormShare: f["storm-share"],
    stormBudget: f["storm-budget"],
    leaseMs: Math.round(f["lease-seconds"] * 1000),
    runs: f.runs,
  };
}
