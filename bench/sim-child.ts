/** Runs the simulator in its own process (so a benchmark measures the reader alone) and reports its URL. */
import { startSimulator, type TenantSpec } from "../sim/index";
import { watchConformance } from "./sim-conformance";

// Before any simulator starts: it picks up the checker as its default observer.
const conformance = watchConformance();

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? "{}") as TenantSpec & { timeScale?: number; throttling?: boolean; writeLogLimit?: number };
  const { timeScale, throttling, writeLogLimit, ...tenant } = spec;
  const sim = await startSimulator({ tenant, timeScale: timeScale ?? 1, throttling: throttling ?? true, ...(writeLogLimit !== undefined ? { writeLogLimit } : {}) });
  process.send?.({ url: sim.url, ca: sim.ca, tenantId: sim.tenantId });
  const stop = (): void => void sim.close().then(() => process.exit(conformance.finish()));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

void main();
