/**
 * `npm run package:check -- <file>`: validates a Teams app package (a .zip) or a manifest (.json) offline,
 * against the schema its `$schema` names (shipped in @microsoft/app-manifest). Prints "valid", or each error
 * on its own line and exits 1. With --json, prints `{"errors":[…]}` (the tests read that).
 */
import { readFileSync } from "node:fs";
import { manifestErrors, packageErrors } from "./app-package";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes("--json");
  const file = args.find((a) => !a.startsWith("--"));
  if (file === undefined) throw new Error("Usage: npm run package:check -- <rewind.zip|manifest.json> [--json]");
  const bytes = readFileSync(file);
  const errors = file.endsWith(".json") ? await manifestErrors(JSON.parse(bytes.toString("utf8")) as Record<string, unknown>) : await packageErrors(bytes);
  if (json) process.stdout.write(`${JSON.stringify({ errors })}\n`);
  else process.stdout.write(errors.length === 0 ? `${file}: valid\n` : `${errors.map((e) => `${file}: ${e}`).join("\n")}\n`);
  if (errors.length > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
