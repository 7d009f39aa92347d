/**
 * Installed by jest (setupFilesAfterEnv) in every suite: each simulator the suite starts in-process reports its
 * exchanges to the conformance checker, and the suite's tally is written to the run folder for the reporter.
 */
import { writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import { setDefaultObserver } from "../../sim/observer";
import { ConformanceRecorder } from "./recorder";
import { conformanceMode, RUN_DIR_ENV } from "./conformance-mode";

const dir = process.env[RUN_DIR_ENV];
if (conformanceMode() !== "off" && dir) {
  const recorder = new ConformanceRecorder();
  setDefaultObserver(recorder.observe);
  afterAll(() => {
    setDefaultObserver(undefined);
    const t = recorder.tally;
    if (t.shapes.size === 0 && t.types.size === 0 && t.violations.size === 0) return;
    const testPath = expect.getState().testPath ?? "unknown";
    const name = `${path.basename(testPath)}-${createHash("sha256").update(testPath).digest("hex").slice(0, 8)}.json`;
    writeFileSync(path.join(dir, name), JSON.stringify(t.toFile()));
  });
}
