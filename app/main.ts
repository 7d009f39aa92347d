/**
 * Production entry (`npm run serve`): Rewind against Microsoft Graph with the settings in the environment
 * (see .env.sample). `npm start` is the local demo instead (scripts/start.ts).
 */
import { checkSettings } from "./check-settings";
import { loadEnvFile } from "./env-file";
import { graphFromEnv } from "./graph-from-env";
import { createLogger } from "./logger";
import { startRewindApp } from "./rewind-app";
import { installShutdown, shutdownDeadlineFromEnv } from "./shutdown";

async function main(): Promise<void> {
  loadEnvFile();
  checkSettings(process.env);
  const log = createLogger({ level: process.env.LOG_LEVEL || "info" });
  const { settings: graph, directory } = graphFromEnv(process.env, log);
  const app = await startRewindApp(process.env, directory, log, { readiness: { graphToken: () => graph.tokenProvider.getToken() } });
  installShutdown({
    log,
    deadlineMs: shutdownDeadlineFromEnv(process.env),
    stop: async () => {
      await app.stop();
      await directory.close();
    },
  });
  log.info({ url: app.bot.server.url }, "Rewind is running");
}

main().catch((err: unknown) => {
  process.stderr.write(`Rewind could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
