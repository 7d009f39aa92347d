/** Runs the simulator in its own process (so a benchmark measures the reader alone) and reports its URL. */
import { startSimulator, type TenantSpec } from "../sim/index";
import { setDefaultObserver } from "../sim/observer";
import { ConformanceRecorder } from "../test/conformance/recorder";
import { conformanceMode } from "../test/conformance/conformance-mode";

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? "{}") as TenantSpec & { timeScale?: number; throttling?: boolean };
  const { timeScale, throttling, ...tenant } = spec;
  // Graph conformance only when asked (`--graph-conformance` or GRAPH_CONFORMANCE=report|enforce): checking costs time.
  const recorder = process.env["GRAPH_CONFORMANCE"] && conformanceMode() !== "off" ? new ConformanceRecorder() : undefined;
  if (recorder) setDefaultObserver(recorder.observe);
  const sim = await startSimulator({ tenant, timeScale: timeScale ?? 1, throttling: throttling ?? true });
  process.send?.({ url: sim.url, ca: sim.ca, tenantId: sim.tenantId });
  const stop = (): void =>
    void sim.close().then(() => {
      if (recorder) process.stdout.write(`\n${recorder.tally.summary()}\n`);
      process.exit(recorder && conformanceMode() === "enforce" && recorder.tally.violations.size > 0 ? 1 : 0);
    });
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

void main();
