/**
 * `npm run bench -- <suite>`: runs a named benchmark and writes its figures to bench/results/<suite>.json
 * with the machine and the date. Benchmarks are never part of `npm test`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { machineFacts } from "./machine";
import { SUITES } from "./suites/index";

async function main(): Promise<void> {
  const names = Object.keys(SUITES) as [string, ...string[]];
  const parsed = z.enum(names).safeParse(process.argv[2]);
  if (!parsed.success) {
    process.stderr.write(`Usage: npm run bench -- <suite> [options]\nSuites: ${names.join(", ")}\n`);
    process.exit(2);
  }
  const suite = SUITES[parsed.data]!;
  const started = new Date();
  process.stdout.write(`bench ${parsed.data}: ${suite.description}\n`);
  // `--graph-conformance`: the simulator child checks every exchange against Graph's schema (GRAPH_CONFORMANCE=enforce also works).
  const args = process.argv.slice(3).filter((a) => a !== "--graph-conformance");
  if (args.length < process.argv.length - 3) process.env["GRAPH_CONFORMANCE"] ??= "report";
  const figures = await suite.run(args);
  const result = { suite: parsed.data, date: started.toISOString(), durationS: (Date.now() - started.getTime()) / 1000, machine: machineFacts(), figures };
  const dir = path.join(__dirname, "results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${parsed.data}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\nwritten to ${path.relative(process.cwd(), file)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
