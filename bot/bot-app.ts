import type { Logger } from "pino";
import type { Clock } from "../core/engine";
import type { Job } from "../core/model/job";
import type { Rewind } from "../core/rewind";
import type { BotConfig } from "./bot-config";
import { createAdapter, startBotServer, type BotServer, type ReadinessReport } from "./bot-server";
import { ChatActions } from "./chat/chat-actions";
import { ConversationCleanup } from "./conversations/conversation-cleanup";
import type { ConversationStore } from "./conversations/conversation-store";
import { JobWatcher, type WatcherOptions } from "./proactive/job-watcher";
import { ProactiveSender, type SenderOptions } from "./proactive/proactive-sender";
import { RewindBot } from "./rewind-bot";

/** The Teams side of Rewind, over an engine's façade and the bot's own conversation store. */
export interface BotApp {
  readonly server: BotServer;
  readonly watcher: JobWatcher;
  /** Hooks for the engine's events (alerts). */
  readonly events: { onFinished(job: Job): void; onBackupFailed(error: unknown): void };
  stop(): Promise<void>;
}

/** Options beyond configuration (tests shorten waits). */
export interface BotAppOptions {
  readonly sender?: SenderOptions;
  readonly watcher?: WatcherOptions;
  /** What `/readyz` checks (the composition root knows the store and Graph). */
  readonly readiness?: () => Promise<ReadinessReport>;
  /** How long a call to the Bot Connector may wait for its answer (20 s by default). */
  readonly connectorTimeoutMs?: number;
}

/** Starts the bot: the HTTP endpoint, the proactive sender, the job watcher and the clean-up of its cards and claims. */
export async function startBotApp(
  deps: { rewind: Rewind; conversations: ConversationStore; clock: Clock; log: Logger },
  config: BotConfig,
  options: BotAppOptions = {},
): Promise<BotApp> {
  const log = deps.log.child({ component: "bot" });
  const adapter = createAdapter(config.auth, log, options.connectorTimeoutMs !== undefined ? { connectorTimeoutMs: options.connectorTimeoutMs } : {});
  const appId = config.auth.mode === "local" ? "" : config.auth.appId;
  const sender = new ProactiveSender(adapter, appId, deps.conversations, config.tenantId, deps.clock, log.child({ part: "sender" }), options.sender);
  const isAdministrator = (userId: string) => deps.rewind.can({ userId }, "takeBackup");
  const watcher = new JobWatcher(deps.rewind, deps.conversations, sender, config, deps.clock, log.child({ part: "watcher" }), isAdministrator, options.watcher);
  const chat = new ChatActions({ ...deps, sender, config, log, onLateCard: (job) => watcher.jobFinished(job) });
  const bot = new RewindBot(chat, deps.conversations, config, deps.clock, log);
  const cleanup = new ConversationCleanup(deps.conversations, config.tenantId, deps.clock, log.child({ part: "cleanup" }));
  const server = await startBotServer({ host: config.host, port: config.port, auth: config.auth, adapter, bot, log, ...(options.readiness ? { readiness: options.readiness } : {}) });
  watcher.start();
  void cleanup.start(); // in the background: answering turns need not wait for old cards to go
  return {
    server,
    watcher,
    events: {
      onFinished: (job) => watcher.jobFinished(job),
      onBackupFailed: (error) => watcher.backupFailed(error),
    },
    async stop() {
      await server.close();
      await watcher.stop();
      await cleanup.stop();
    },
  };
}
