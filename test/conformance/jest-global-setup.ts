/** Makes the run folder the jest workers write their conformance tallies to (the reporter reads and removes it). */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { conformanceMode, RUN_DIR_ENV } from "./conformance-mode";

export default function globalSetup(): void {
  if (conformanceMode() === "off") return;
  // Workers start after this and inherit the variable.
  process.env[RUN_DIR_ENV] = mkdtempSync(path.join(tmpdir(), "graph-conformance-"));
}
