/**
 * `npm run build`: compiles the product (app/, bot/, cards/, core/ and the card templates they import) to
 * dist/ with tsconfig.build.json, for `npm run serve` (`node dist/app/main.js`) on an install without dev
 * dependencies.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..");

/** The folders the product is made of; anything else in the output means product code imports dev-only code. */
export const PRODUCT_FOLDERS: readonly string[] = ["app", "bot", "cards", "core", "lib"];

/**
 * Compiles the product into outDir, emptied first so no output of a deleted source survives. Throws with
 * the compiler's messages when the code does not type-check (nothing is emitted then), and when the output
 * holds more than the product folders (an import reached sim/, scripts/ or test/).
 */
export function buildProduct(outDir: string): void {
  rmSync(outDir, { recursive: true, force: true });
  const tsc = require.resolve("typescript/bin/tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", path.join(ROOT, "tsconfig.build.json"), "--outDir", outDir], { cwd: ROOT, encoding: "utf8" });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`The build failed (tsc exit ${result.status}):\n${result.stdout}${result.stderr}`);
  const extra = readdirSync(outDir).filter((entry) => !PRODUCT_FOLDERS.includes(entry));
  if (extra.length > 0) {
    rmSync(outDir, { recursive: true, force: true });
    throw new Error(`The build failed: product code imports ${extra.map((e) => `${e}/`).join(", ")}, which production installs do not carry.`);
  }
}

if (require.main === module) {
  try {
    const outDir = path.join(ROOT, "dist");
    buildProduct(outDir);
    process.stdout.write(`Built ${path.relative(process.cwd(), outDir) || "."}/ (run it with npm run serve).\n`);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
