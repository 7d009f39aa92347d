import type { Logger } from "pino";
import { startBotApp, type BotApp, type BotAppOptions } from "../bot/bot-app";
import type { ConversationStore } from "../bot/conversations/conversation-store";
import { systemClock } from "../core/system-clock";
import { createEngine, type Engine, type EngineOptions } from "../core/engine";
import type { Job } from "../core/model/job";
import type { Clock, Directory, Store } from "../core/ports";
import { openStore, type OpenedStore } from "./open-store";
import { graphTokenCheck, readinessProbe, storeCheck } from "./readiness";
import { readAppSettings } from "./settings/read-settings";
import type { AppSettings } from "./settings/settings";

/** Rewind running: the engine, its store and the Teams bot. */
export interface RewindApp {
  readonly engine: Engine;
  readonly store: Store;
  /** The bot's conversation state (references, posted cards, alert claims). */
  readonly conversations: ConversationStore;
  /** Where the data lives (a file, or a Cosmos account and database). */
  readonly storeWhere: string;
  readonly bot: BotApp;
  stop(): Promise<void>;
}

/** Options beyond the environment (tests and the local start-up shorten or turn off background work). */
export interface RewindAppOptions {
  readonly clock?: Clock;
  readonly engine?: Partial<Pick<EngineOptions, "runner" | "accessCacheMs" | "scheduleBackups">>;
  readonly bot?: BotAppOptions;
  /** Stores opened by the caller (tests on the Cosmos emulator); otherwise STORE decides. */
  readonly store?: OpenedStore;
  /**
   * Allows the bot's unauthenticated local mode (no BOT_ID, loopback only): `npm start` and the tests ask for
   * it; production never does, so there an empty BOT_ID is a settings error.
   */
  readonly allowLocalMode?: boolean;
  /** What `/readyz` checks besides the store; without `graphToken`, Graph is not checked (tests on the simulator). */
  readonly readiness?: { readonly graphToken?: () => Promise<unknown>; readonly timeoutMs?: number };
}

/**
 * Rewind from an environment: its settings read and checked first (one clear error for all of them), then
 * started as `startRewindWith` does. The tests, benchmarks and the local demo start it so.
 */
export async function startRewindApp(env: Readonly<Record<string, string | undefined>>, directory: Directory, log: Logger, options: RewindAppOptions = {}): Promise<RewindApp> {
  return startRewindWith(readAppSettings(env, { allowLocalMode: options.allowLocalMode ?? false }), directory, log, options);
}

/**
 * The composition root, from settings already read: opens the store, builds the engine (on its own section,
 * its tenant included) over the given directory (Microsoft Graph, or the simulator locally), and starts the
 * bot with the engine's events wired to its alerts.
 */
export async function startRewindWith(settings: AppSettings, directory: Directory, log: Logger, options: RewindAppOptions = {}): Promise<RewindApp> {
  const clock = options.clock ?? systemClock;
  const opened = options.store ?? (await openStore(settings.store, log));
  const store = opened.store;
  // The bot starts after the engine, so the engine's events reach it through this late binding.
  let bot: BotApp | undefined;
  const engine = createEngine(
    { directory, store, clock, log: log.child({ component: "engine" }) },
    {
      ...settings.engine,
      ...options.engine,
      events: {
        onFinished: (job: Job) => bot?.events.onFinished(job),
        onBackupFailed: (error: unknown) => bot?.events.onBackupFailed(error),
      },
    },
  );
  try {
    const timeoutMs = options.readiness?.timeoutMs;
    const graphToken = options.readiness?.graphToken;
    const readiness = readinessProbe([storeCheck(store, settings.engine.tenantId, timeoutMs), ...(graphToken ? [graphTokenCheck(graphToken, timeoutMs)] : [])], log.child({ component: "readiness" }));
    bot = await startBotApp({ rewind: engine.rewind, conversations: opened.conversations, clock, log }, settings.bot, { ...options.bot, readiness });
    await engine.start();
  } catch (err) {
    await bot?.stop().catch(() => undefined);
    await engine.stop().catch(() => undefined);
    await opened.close();
    throw err;
  }
  const started = bot;
  return {
    engine,
    store,
    conversations: opened.conversations,
    storeWhere: opened.where,
    bot: started,
    async stop() {
      await started.stop();
      await engine.stop();
      await opened.close();
    },
  };
}
