/**
 * `npm start` with no configuration. Today: the Graph simulator with the demo tenant, on loopback.
 * The Teams bot and the engine join here as they land (issues 3 and 4); until then this says so.
 */
import path from "node:path";
import { z } from "zod";
import { applyDemoDrift } from "../sim/drift";
import { DEMO_PEOPLE, DEMO_DOMAIN, startSimulator } from "../sim/index";

const Env = z.object({
  SIM_PORT: z.coerce.number().int().min(0).max(65535).default(8443),
  START_DRIFT: z.enum(["true", "false"]).default("false"),
});

async function main(): Promise<void> {
  const env = Env.safeParse(process.env);
  if (!env.success) {
    const issue = env.error.issues[0];
    process.stderr.write(`Invalid setting ${issue?.path.join(".")}: ${issue?.message}\n`);
    process.exit(2);
  }
  const certDir = path.resolve("data", "sim");
  const sim = await startSimulator({ tenant: "demo", port: env.data.SIM_PORT, certDir });
  const lines = [
    "Rewind (local mode)",
    `  Graph simulator, demo tenant ${sim.tenantId}: ${sim.url}/v1.0`,
    `  Its CA certificate (trust it, never turn verification off): ${sim.caFile}`,
    "  Demo people (DEMO-TENANT.md):",
    ...DEMO_PEOPLE.map((p) => `    ${p.given} ${p.surname}  ${p.id}  ${p.upn}@${DEMO_DOMAIN}`),
    "  Try it:  curl --cacert " + path.relative(process.cwd(), sim.caFile) + ` -H "Authorization: Bearer local" "${sim.url}/v1.0/users?\\$top=5&\\$select=displayName,userPrincipalName"`,
    "  The Teams bot is not built yet (issue 4): only the simulator runs for now.",
    "  Stop with Ctrl+C.",
  ];
  if (env.data.START_DRIFT === "true") {
    const done = await applyDemoDrift(sim.url, sim.ca);
    lines.splice(lines.length - 2, 0, `  Drift applied to the demo tenant: ${JSON.stringify(done).slice(0, 300)}`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`Rewind could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
