import pino, { type Logger } from "pino";
import type { JobRunnerOptions } from "../core/jobs/job-runner";
import { startRewindApp, type RewindApp } from "../app/rewind-app";
import { createLogger } from "../app/logger";
import { GraphDirectory } from "../core/graph/graph-directory";
import { StaticTokenProvider } from "../core/graph/token-provider";
import { openChaosStore } from "./chaos-store";
import type { SimConnection } from "./sim-control";

/** Graph's write budget per window; the simulator's windows are 150 s × timeScale. */
const WRITES_PER_WINDOW = 3000;

/** What every Rewind process of the chaos benchmark is given. */
export interface ChaosAppArgs {
  readonly conn: SimConnection;
  readonly cosmos: { readonly endpoint: string; readonly databaseId: string };
  /** `ALERTS_CONVERSATION_ID`: the channel that hears of every finished job and recovery request. */
  readonly alertsConversationId: string;
  /** The simulator's timeScale: the gateway paces writes to 3,000 per (150 s × timeScale), as the engine benchmark does. */
  readonly timeScale: number;
  /** JSON log lines (info and up) go here, written synchronously so a SIGKILL loses none. */
  readonly logFile: string;
}

/** A Rewind app of the benchmark with the Graph gateway it runs on. */
export interface ChaosApp {
  readonly app: RewindApp;
  readonly graph: GraphDirectory;
  readonly log: Logger;
  readonly botUrl: string;
  stop(): Promise<void>;
}

/**
 * Rewind as production composes it (startRewindApp: settings checked, engine, bot with its watcher and
 * alerts), in local mode on loopback (no Bot Framework tokens: the benchmark's connector is not Azure), on
 * the shared Cosmos database and the simulator, with no scheduled backups.
 */
export async function startChaosApp(args: ChaosAppArgs, runner?: JobRunnerOptions): Promise<ChaosApp> {
  const log = createLogger({ level: "info", destination: pino.destination({ dest: args.logFile, sync: true, mkdir: true }) });
  const graph = new GraphDirectory({
    tokenProvider: new StaticTokenProvider("chaos-bench"),
    baseUrl: args.conn.url,
    ca: args.conn.ca,
    writeBudget: { writes: WRITES_PER_WINDOW, windowMs: 150_000 * args.timeScale },
    logger: log.child({ component: "graph" }),
  });
  const store = await openChaosStore(args.cosmos.endpoint, args.cosmos.databaseId, log);
  const env = { TENANT_ID: args.conn.tenantId, BOT_HOST: "127.0.0.1", BOT_PORT: "0", ALERTS_CONVERSATION_ID: args.alertsConversationId };
  let app: RewindApp;
  try {
    app = await startRewindApp(env, graph, log, { allowLocalMode: true, store, engine: { scheduleBackups: false, ...(runner ? { runner } : {}) } });
  } catch (err) {
    await graph.close();
    throw err;
  }
  return {
    app,
    graph,
    log,
    botUrl: `${app.bot.server.url}/api/messages`,
    async stop() {
      await app.stop();
      await graph.close();
    },
  };
}
