import { z } from "zod";
import pino from "pino";
import { startSimulator, resolveTenant } from "./index";
import type { SimulatorOptions } from "./types";

/** `npm run sim -- --port 8443 --tenant demo`: runs the simulator until SIGINT/SIGTERM. */

const USAGE = `usage: npm run sim -- [--port N] [--tenant demo|small|large] [--seed N] [--users N --groups N --links N]
                     [--applications N] [--time-scale X] [--no-throttling] [--ru-limit N] [--write-limit N]
                     [--error-rate X] [--drop-rate X] [--latency-ms N] [--hang-rate X] [--hang-body-rate X]
                     [--lost-answer-drop-rate X] [--lost-answer-error-rate X] [--lost-inner-answer-rate X]
                     [--after-write-share X] [--max-faults N] [--write-log-limit N] [--cert-dir DIR] [--verbose]`;

const num = z.coerce.number().refine(Number.isFinite, "must be a number");
const int = z.coerce.number().int().nonnegative();

const Flags = z
  .object({
    port: int.max(65535).default(0),
    tenant: z.enum(["demo", "small", "large"]).default("demo"),
    seed: int.optional(),
    users: int.optional(),
    groups: int.optional(),
    links: int.optional(),
    applications: int.optional(),
    "time-scale": num.positive().default(1),
    "no-throttling": z.literal(true).optional(),
    "ru-limit": int.positive().optional(),
    "write-limit": int.positive().optional(),
    "error-rate": num.min(0).max(1).optional(),
    "drop-rate": num.min(0).max(1).optional(),
    "latency-ms": int.optional(),
    "hang-rate": num.min(0).max(1).optional(),
    "hang-body-rate": num.min(0).max(1).optional(),
    "lost-answer-drop-rate": num.min(0).max(1).optional(),
    "lost-answer-error-rate": num.min(0).max(1).optional(),
    "lost-inner-answer-rate": num.min(0).max(1).optional(),
    "after-write-share": num.min(0).max(1).optional(),
    "max-faults": int.optional(),
    "write-log-limit": int.positive().optional(),
    "cert-dir": z.string().min(1).optional(),
    verbose: z.literal(true).optional(),
  })
  .strict();
type Flags = z.infer<typeof Flags>;

const BOOLEAN_FLAGS = new Set(["no-throttling", "verbose"]);

/** `--name value` pairs (and bare boolean flags) into a record for zod. */
export function tokenize(argv: readonly string[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (!a.startsWith("--")) throw new Error(`unexpected argument '${a}'`);
    const [name, inline] = a.slice(2).split("=", 2) as [string, string | undefined];
    if (BOOLEAN_FLAGS.has(name)) out[name] = true;
    else if (inline !== undefined) out[name] = inline;
    else {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith("--")) throw new Error(`--${name} needs a value`);
      out[name] = v;
      i++;
    }
  }
  return out;
}

/** The command line as checked flags; throws one message naming each bad flag. */
export function parseFlags(argv: readonly string[]): Flags {
  const parsed = Flags.safeParse(tokenize(argv));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) =>
      i.code === "unrecognized_keys" ? `unknown flag ${i.keys.map((k) => `--${k}`).join(", ")}` : `--${i.path.join(".")}: ${i.message}`,
    );
    throw new Error(lines.join("\n"));
  }
  return parsed.data;
}

export function optionsFromFlags(f: Flags): SimulatorOptions {
  const custom = [f.seed, f.users, f.groups, f.links, f.applications].some((v) => v !== undefined);
  const base = resolveTenant(f.tenant).spec;
  const opts: SimulatorOptions = {
    port: f.port,
    tenant: custom
      ? {
          ...base,
          seed: f.seed ?? base.seed,
          users: f.users ?? base.users,
          groups: f.groups ?? base.groups,
          links: f.links ?? base.links,
          applications: f.applications ?? base.applications,
        }
      : f.tenant,
    timeScale: f["time-scale"],
  };
  if (f["no-throttling"]) opts.throttling = false;
  else if (f["ru-limit"] !== undefined || f["write-limit"] !== undefined) {
    const t: { resourceUnitsPer10s?: number; writesPer150s?: number } = {};
    if (f["ru-limit"] !== undefined) t.resourceUnitsPer10s = f["ru-limit"];
    if (f["write-limit"] !== undefined) t.writesPer150s = f["write-limit"];
    opts.throttling = t;
  }
  const faults: NonNullable<SimulatorOptions["faults"]> = {};
  if (f["error-rate"] !== undefined) faults.errorRate = f["error-rate"];
  if (f["drop-rate"] !== undefined) faults.dropRate = f["drop-rate"];
  if (f["latency-ms"] !== undefined) faults.latencyMs = f["latency-ms"];
  if (f["hang-rate"] !== undefined) faults.hangRate = f["hang-rate"];
  if (f["hang-body-rate"] !== undefined) faults.hangBodyRate = f["hang-body-rate"];
  if (f["lost-answer-drop-rate"] !== undefined) faults.lostAnswerDropRate = f["lost-answer-drop-rate"];
  if (f["lost-answer-error-rate"] !== undefined) faults.lostAnswerErrorRate = f["lost-answer-error-rate"];
  if (f["lost-inner-answer-rate"] !== undefined) faults.lostInnerAnswerRate = f["lost-inner-answer-rate"];
  if (f["after-write-share"] !== undefined) faults.afterWriteShare = f["after-write-share"];
  if (f["max-faults"] !== undefined) faults.maxFaults = f["max-faults"];
  opts.faults = faults;
  if (f["write-log-limit"] !== undefined) opts.writeLogLimit = f["write-log-limit"];
  if (f["cert-dir"] !== undefined) opts.certDir = f["cert-dir"];
  if (f.verbose) opts.logger = pino({ level: "info" });
  return opts;
}

async function main(): Promise<void> {
  let flags: Flags;
  try {
    flags = parseFlags(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
    process.exit(2);
  }
  const opts = optionsFromFlags(flags);
  if (typeof opts.tenant === "object" && flags.tenant === "demo") {
    process.stderr.write("note: size or seed overrides make a generated tenant without the demo's fixed people\n");
  }
  const sim = await startSimulator(opts);
  process.stdout.write(`Graph simulator ready\n  Graph URL: ${sim.url}/v1.0\n  tenant id: ${sim.tenantId}\n  CA file:   ${sim.caFile}\n  controls:  ${sim.url}/_sim/stats\n`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping\n`);
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

if (require.main === module) void main();
