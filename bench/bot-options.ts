import { z } from "zod";
import type { TenantSpec } from "../sim/index";
import { parseFlags } from "./flags";

/** The tenant: the simulator's `large` preset (as the engine benchmark uses it). */
const LARGE: TenantSpec = { seed: 13, users: 100_000, groups: 20_000, links: 1_000_000, applications: 1_000, conditionalAccessPolicies: 120, namedLocations: 40 };
/** Objects the engine benchmark's drift changes in the large tenant (so its report has about 100,000 changes). */
const LARGE_DRIFT = 100_000;

const Flags = z
  .object({
    /** Share of the large tenant to simulate (users, groups, links, apps, policies); 1 is the tenant. */
    scale: z.coerce.number().positive().max(1).default(1),
    /** Objects the drift changes before the report; default the engine bench's 100,000, times --scale. */
    changes: z.coerce.number().int().positive().optional(),
    seed: z.coerce.number().int().default(LARGE.seed),
    /** Timed samples per command and click. */
    iterations: z.coerce.number().int().min(1).max(10_000).default(50),
    /** Untimed rounds before them (JIT, SQLite page cache, role cache, keep-alive sockets). */
    warmup: z.coerce.number().int().min(0).max(1_000).default(5),
    /** Samples of the "roles read from Graph on every call" series (a second app with the role cache off). */
    "uncached-iterations": z.coerce.number().int().min(0).max(1_000).default(20),
  })
  .strict();

/** The bot benchmark's settings. */
export interface BotBenchOptions {
  readonly tenant: TenantSpec;
  readonly scale: number;
  readonly changes: number;
  readonly iterations: number;
  readonly warmup: number;
  readonly uncachedIterations: number;
}

export const BOT_USAGE = "bot [--scale=0..1] [--changes=N] [--iterations=N] [--warmup=N] [--uncached-iterations=N] [--seed=N]";

/** Parses `--name=value` flags (the engine benchmark's style). */
export function parseBotOptions(args: readonly string[]): BotBenchOptions {
  const f = parseFlags(args, Flags, BOT_USAGE);
  const scaled = (n: number, min: number): number => Math.max(min, Math.round(n * f.scale));
  const tenant: TenantSpec = {
    seed: f.seed,
    users: scaled(LARGE.users, 6),
    groups: scaled(LARGE.groups, 1),
    links: scaled(LARGE.links, 0),
    applications: scaled(LARGE.applications, 1),
    conditionalAccessPolicies: scaled(LARGE.conditionalAccessPolicies, 1),
    namedLocations: scaled(LARGE.namedLocations, 1),
  };
  return {
    tenant,
    scale: f.scale,
    changes: f.changes ?? scaled(LARGE_DRIFT, 10),
    iterations: f.iterations,
    warmup: f.warmup,
    uncachedIterations: f["uncached-iterations"],
  };
}
