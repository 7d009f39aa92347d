/**
 * `npm start` with no configuration: the Graph simulator with the demo tenant, the engine on the embedded
 * store under ./data, and the Teams bot on 127.0.0.1:3978 in local mode. A first backup is taken, then some
 * drift is applied to the demo tenant so a difference report has something to show.
 */
import path from "node:path";
import { z } from "zod";
import { createLogger } from "../app/logger";
import { startRewindWith } from "../app/rewind-app";
import { readAppSettings } from "../app/settings/read-settings";
import type { AppSettings } from "../app/settings/settings";
import { SettingsError } from "../app/settings/settings-error";
import { installShutdown } from "../app/shutdown";
import { GraphDirectory } from "../core/graph/graph-directory";
import { StaticTokenProvider } from "../core/graph/token-provider";
import { applyDemoDrift } from "../sim/drift";
import { DEMO_DOMAIN, DEMO_PEOPLE, DEMO_TENANT_ID, startSimulator } from "../sim/index";

/** The demo's own settings; everything else is the app's, read once by its settings sections. */
const Env = z.object({
  SIM_PORT: z.coerce.number().int().min(0).max(65535).default(8443),
  START_DRIFT: z.enum(["true", "false"]).default("true"),
  /** Where the simulator keeps its CA and server certificate (made on first start). */
  SIM_CERT_DIR: z.string().min(1).default(path.join("data", "sim")),
});

async function main(): Promise<void> {
  const env = Env.safeParse(process.env);
  const problems = env.success ? [] : env.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  // The demo tenant, in local mode on loopback, and quieter logs unless asked for.
  const appEnv = { LOG_LEVEL: "warn", ...process.env, TENANT_ID: DEMO_TENANT_ID, BOT_ID: "", BOT_HOST: "127.0.0.1" };
  let settings: AppSettings | undefined;
  try {
    settings = readAppSettings(appEnv, { allowLocalMode: true });
  } catch (err) {
    problems.push(...(err instanceof SettingsError ? err.problems : [String(err)]));
  }
  if (!env.success || !settings || problems.length > 0) {
    process.stderr.write(`Invalid settings: ${problems.join("; ")}\n`);
    process.exit(2);
  }
  const log = createLogger({ level: settings.log.level });
  const sim = await startSimulator({ tenant: "demo", port: env.data.SIM_PORT, certDir: path.resolve(env.data.SIM_CERT_DIR) });
  // The simulator accepts any bearer token; production uses MSAL with the app registration (npm run serve).
  const tokenProvider = new StaticTokenProvider("local");
  const directory = new GraphDirectory({ tokenProvider, baseUrl: sim.url, ca: sim.ca, logger: log.child({ component: "graph" }) });
  const app = await startRewindWith(settings, directory, log, { readiness: { graphToken: () => tokenProvider.getToken() } }).catch(async (err: unknown) => {
    await directory.close();
    await sim.close();
    throw err;
  });
  const first = await app.engine.scheduler.takeNow("system");
  const drift = env.data.START_DRIFT === "true" ? await applyDemoDrift(sim.url, sim.ca) : null;
  const people = DEMO_PEOPLE.map((p) => `    ${`${p.given} ${p.surname}`.padEnd(12)} ${p.id}  ${p.upn}@${DEMO_DOMAIN}`);
  const lines = [
    "Rewind is running (local mode: no Azure, everything on 127.0.0.1).",
    `  Teams bot endpoint:  ${app.bot.server.url}/api/messages   (local mode: no authentication, loopback only)`,
    `  Graph simulator:     ${sim.url}/v1.0   demo tenant ${DEMO_TENANT_ID}`,
    `  Store:               ${app.storeWhere}`,
    `  First backup:        ${first.id} (${Object.values(first.counts).reduce((n, c) => n + (c?.live ?? 0), 0)} objects)`,
    drift ? `  Demo drift applied:  ${drift.length} changes to the demo tenant, so "diff latest" finds something` : "  Demo drift:          off (START_DRIFT=false)",
    "",
    "Talk to it:",
    "  npm run playground        opens Microsoft 365 Agents Playground on http://127.0.0.1:56150, signed in as Ada Admin",
    "  then type: help, backups, diff latest, jobs, whoami …",
    "",
    "Demo people (sim/README.md):",
    ...people,
    "",
    "Stop with Ctrl+C.",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  installShutdown({
    log,
    deadlineMs: settings.process.shutdownMs,
    stop: async () => {
      await app.stop();
      await directory.close();
      await sim.close();
    },
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`Rewind could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
