/**
 * `npm run graph-schema -- <path to the full v1.0.csdl>`: writes test/fixtures/graph/v1.0-rewind.csdl, the part of
 * Microsoft Graph v1.0's published schema that Rewind touches. The full file is Microsoft's, from
 * github.com/microsoftgraph/msgraph-metadata (MIT licence, copied beside the fixture); it is not kept in this
 * repository (3.3 MB).
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { extractRewindCsdl } from "./filter";

/** Where the fixture is written. */
export const FIXTURE = path.join(__dirname, "..", "..", "test", "fixtures", "graph", "v1.0-rewind.csdl");

function main(): void {
  const input = process.argv[2];
  if (!input) {
    process.stderr.write("usage: npm run graph-schema -- <path to Microsoft Graph's full v1.0.csdl>\n");
    process.exit(2);
  }
  const out = extractRewindCsdl(readFileSync(input, "utf8"));
  writeFileSync(FIXTURE, out);
  process.stdout.write(`wrote ${path.relative(process.cwd(), FIXTURE)} (${Math.round(out.length / 1024)} KB)\n`);
}

if (require.main === module) main();
