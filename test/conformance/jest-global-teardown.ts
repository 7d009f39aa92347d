/**
 * Prints once at the end of a jest run: `Graph conformance: N distinct request shapes, M response types checked,
 * K violations`, then each violation, from the tallies the suites wrote; a violation fails the run unless
 * `GRAPH_CONFORMANCE=report` asked only for the list. (A globalTeardown, not a reporter: jest transforms TypeScript for the former only.)
 */
import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { Tally, TallyFile } from "./tally";
import { conformanceMode, RUN_DIR_ENV } from "./conformance-mode";

export default function globalTeardown(): void {
  const dir = process.env[RUN_DIR_ENV];
  if (conformanceMode() === "off" || !dir) return;
  const tally = new Tally();
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".json"))) tally.add(TallyFile.parse(JSON.parse(readFileSync(path.join(dir, f), "utf8"))));
  rmSync(dir, { recursive: true, force: true });
  delete process.env[RUN_DIR_ENV];
  process.stdout.write(`\n${tally.summary()}\n`);
  if (conformanceMode() === "enforce" && tally.violations.size > 0) {
    throw new Error(`Graph conformance: ${tally.violations.size} violations (GRAPH_CONFORMANCE=report lists them without failing)`);
  }
}
