/**
 * Production entry (`npm run serve`): Rewind against Microsoft Graph with the settings in the environment
 * (see .env.sample). `npm start` is the local demo instead (scripts/start.ts).
 */
import { loadEnvFile } from "./env-file";
import { createLogger } from "./logger";
import { openGraph } from "./open-graph";
import { startRewindWith } from "./rewind-app";
import { readServeSettings } from "./settings/read-settings";
import { installShutdown } from "./shutdown";

async function main(): Promise<void> {
  loadEnvFile();
  // Read and checked once; each part gets its own section.
  const settings = readServeSettings(process.env);
  const log = createLogger({ level: settings.log.level });
  const { tokenProvider, directory } = openGraph(settings.graph, log);
  const app = await startRewindWith(settings, directory, log, { readiness: { graphToken: () => tokenProvider.getToken() } });
  installShutdown({
    log,
    deadlineMs: settings.process.shutdownMs,
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
