/**
 * The benchmarks' Graph conformance switch (`npm run bench -- <suite> --graph-conformance`, or
 * GRAPH_CONFORMANCE=report|enforce): the simulator child checks every exchange against Graph's schema, as the
 * jest suites do, and prints the same line when it stops. Off unless asked: checking costs time.
 */
import { setDefaultObserver } from "../sim/observer";
import { ConformanceRecorder } from "../test/conformance/recorder";
import { conformanceMode } from "../test/conformance/conformance-mode";

/** Installs the checker when asked; `finish()` prints the summary and gives the exit code (1: enforced and violated). */
export function watchConformance(): { finish(): number } {
  const recorder = process.env["GRAPH_CONFORMANCE"] && conformanceMode() !== "off" ? new ConformanceRecorder() : undefined;
  if (recorder) setDefaultObserver(recorder.observe);
  return {
    finish: () => {
      if (!recorder) return 0;
      process.stdout.write(`\n${recorder.tally.summary()}\n`);
      return conformanceMode() === "enforce" && recorder.tally.violations.size > 0 ? 1 : 0;
    },
  };
}
