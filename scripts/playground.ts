/**
 * `npm run playground`: Microsoft 365 Agents Playground (a local Teams-like chat, dev dependency) against the
 * bot that `npm start` runs. Kept on loopback and offline by a preload; signed in as Ada Admin
 * (.m365agentsplayground.yml). Stop it with Ctrl+C.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { z } from "zod";

const Env = z.object({
  BOT_PORT: z.coerce.number().int().min(1).max(65535).default(3978),
  PLAYGROUND_PORT: z.coerce.number().int().min(1).max(65535).default(56150),
});

async function main(): Promise<void> {
  const env = Env.parse(process.env);
  const endpoint = `http://127.0.0.1:${env.BOT_PORT}/api/messages`;
  const health = await fetch(`http://127.0.0.1:${env.BOT_PORT}/healthz`).catch(() => null);
  if (!health?.ok) {
    process.stderr.write(`The bot is not answering on ${endpoint}. Start it first with "npm start" (in another terminal).\n`);
    process.exit(1);
  }
  const cli = require.resolve("@microsoft/m365agentsplayground/cli.js");
  const child = spawn(process.execPath, ["--require", path.resolve(__dirname, "force-loopback.cjs"), cli, "start", "-e", endpoint, "-c", "msteams", "--disable-telemetry", "-p", String(env.PLAYGROUND_PORT)], {
    stdio: "inherit",
    env: {
      ...process.env,
      // No browser to open on a server; its log goes under ./data, not ./devTools.
      TEAMSAPPTESTER_BROWSER: "none",
      M365_AGENTS_PLAYGROUND_LOGFILE: path.resolve("data", "playground.log"),
    },
  });
  process.stdout.write(`Agents Playground: open http://127.0.0.1:${env.PLAYGROUND_PORT} (you are Ada Admin; type help)\n`);
  const stop = (): void => {
    child.kill("SIGTERM");
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  child.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((err: unknown) => {
  process.stderr.write(`The Playground could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
