/** Runs a bulk drift in its own process (so the engine's process measures only the engine) and reports it. */
import { applyBulkDrift, type DriftRequest } from "./engine-drift";

async function main(): Promise<void> {
  const { url, ca, ...req } = JSON.parse(process.argv[2] ?? "{}") as DriftRequest & { url: string; ca: string };
  process.send?.(await applyBulkDrift(url, ca, req));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
