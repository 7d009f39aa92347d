import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Logger } from "pino";
import { createLogger } from "../../app/logger";
import { openStore } from "../../app/open-store";
import { startRewindApp, type RewindApp } from "../../app/rewind-app";
import { isTerminal, type Job } from "../../core/model/job";
import type { Store } from "../../core/ports";
import { DEMO_TENANT_ID } from "../../sim/index";
import { startFixture, type Fixture } from "../graph/gateway-fixture";
import type { CosmosTestServer } from "../contract/cosmos-temp";
import { cosmosStoresOn } from "../engine/cosmos-test-store";
import { FakeConnector } from "./fake-connector";

/** A demo person as Teams shows them to a bot. */
export interface Person {
  readonly name: string;
  readonly aadObjectId: string;
  readonly teamsId: string;
}

export const ADA: Person = { name: "Ada Admin", aadObjectId: "0a0a0a0a-0000-4000-8000-000000000001", teamsId: "29:demo-ada" };
export const BEN: Person = { name: "Ben Second", aadObjectId: "0a0a0a0a-0000-4000-8000-000000000002", teamsId: "29:demo-ben" };
export const GIL: Person = { name: "Gil Global", aadObjectId: "0a0a0a0a-0000-4000-8000-000000000003", teamsId: "29:demo-gil" };
export const RITA: Person = { name: "Rita Reader", aadObjectId: "0a0a0a0a-0000-4000-8000-000000000004", teamsId: "29:demo-rita" };
export const NORA: Person = { name: "Nora Nobody", aadObjectId: "0a0a0a0a-0000-4000-8000-000000000005", teamsId: "29:demo-nora" };

/** Where an activity comes from: a conversation (personal by default) in a tenant. */
export interface Where {
  readonly conversationId?: string;
  readonly conversationType?: "personal" | "groupChat" | "channel";
  readonly tenantId?: string;
}

/** The answer to an invoke: HTTP status and body (the card or message Teams shows the clicker). */
export interface InvokeAnswer {
  readonly status: number;
  readonly body: { statusCode?: number; type?: string; value?: unknown } | null;
}

/** The real app (engine, store, bot over restify in local mode) on the simulator, with a fake connector. */
export interface BotFixture {
  readonly f: Fixture;
  readonly app: RewindApp;
  readonly connector: FakeConnector;
  readonly botUrl: string;
  /** Posts a Teams message; resolves when the bot's HTTP answer came (its replies are then recorded). */
  say(who: Person, text: string, where?: Where): Promise<{ status: number; activityId: string }>;
  /** Posts an `adaptiveCard/action` invoke (a click on `replyToId`'s card); resolves with the invoke answer. */
  click(who: Person, verb: string, data: unknown, options?: Where & { replyToId?: string; trigger?: "manual" | "automatic" }): Promise<InvokeAnswer>;
  /** Posts any activity as Teams would (installationUpdate, …). */
  post(activity: Record<string, unknown>): Promise<{ status: number; body: string }>;
  waitForJob(jobId: string, timeoutMs?: number): Promise<Job>;
  close(): Promise<void>;
}

let counter = 0;

/**
 * Starts the fixture: on the Cosmos emulator when `on.cosmos` is given, on a SQLite file otherwise; `on.wrapStore`
 * puts something (a counting proxy) between the engine and its store.
 */
export async function startBotFixture(env: Record<string, string> = {}, on: { cosmos?: CosmosTestServer; log?: Logger; wrapStore?: (store: Store) => Store } = {}): Promise<BotFixture> {
  const f = await startFixture({ throttling: false });
  const connector = await new FakeConnector().start();
  const dir = mkdtempSync(path.join(tmpdir(), "rewind-bot-"));
  const log = on.log ?? createLogger({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
  // On the Cosmos emulator when asked (a fresh database); the embedded SQLite file otherwise.
  const opened = on.cosmos
    ? await cosmosStoresOn(await on.cosmos.freshContainers(), log)
    : on.wrapStore
      ? await openStore({ kind: "sqlite", file: path.join(dir, "rewind.db") }, log)
      : undefined;
  const stores = opened && on.wrapStore ? { ...opened, store: on.wrapStore(opened.store) } : opened;
  const app = await startRewindApp(
    { TENANT_ID: DEMO_TENANT_ID, BOT_PORT: "0", BOT_HOST: "127.0.0.1", STORE_FILE: path.join(dir, "rewind.db"), CARD_UPDATE_SECONDS: "1", ...env },
    f.graph,
    log,
    {
      allowLocalMode: true,
      engine: { scheduleBackups: false, runner: { leaseMs: 3_000, heartbeatMs: 200, pollMs: 500 } },
      bot: { sender: { backoffMs: 20, spacingMs: 5 }, watcher: { tickMs: 200, sweepMs: 500, claimStaleMs: 5_000 } },
      ...(stores ? { store: stores } : {}),
    },
  );
  const botUrl = `${app.bot.server.url}/api/messages`;

  const base = (who: Person, where: Where = {}) => ({
    id: `in-${++counter}`,
    timestamp: new Date().toISOString(),
    serviceUrl: connector.url,
    channelId: "msteams",
    from: { id: who.teamsId, name: who.name, aadObjectId: who.aadObjectId },
    recipient: { id: "28:rewind-bot", name: "Rewind" },
    conversation: {
      id: where.conversationId ?? `a:personal-${who.teamsId.slice(3)}`,
      conversationType: where.conversationType ?? "personal",
      tenantId: where.tenantId ?? DEMO_TENANT_ID,
    },
    channelData: { tenant: { id: where.tenantId ?? DEMO_TENANT_ID } },
    locale: "en-US",
  });

  const post = async (activity: Record<string, unknown>) => {
    const id = String(activity.id);
    connector.openTurns.add(id);
    try {
      const res = await fetch(botUrl, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(activity) });
      return { status: res.status, body: await res.text() };
    } finally {
      connector.openTurns.delete(id);
    }
  };

  return {
    f,
    app,
    connector,
    botUrl,
    post,
    async say(who, text, where) {
      const activity = { ...base(who, where), type: "message", text, textFormat: "plain" };
      const res = await post(activity);
      return { status: res.status, activityId: activity.id };
    },
    async click(who, verb, data, options = {}) {
      const activity = {
        ...base(who, options),
        type: "invoke",
        name: "adaptiveCard/action",
        ...(options.replyToId ? { replyToId: options.replyToId } : {}),
        value: { action: { type: "Action.Execute", verb, data }, trigger: options.trigger ?? "manual" },
      };
      const res = await post(activity);
      return { status: res.status, body: res.body ? (JSON.parse(res.body) as InvokeAnswer["body"]) : null };
    },
    async waitForJob(jobId, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const job = (await app.store.getJob(DEMO_TENANT_ID, jobId))?.job;
        if (job && isTerminal(job.state)) return job;
        if (Date.now() > until) throw new Error(`job ${jobId} still ${job?.state ?? "missing"} after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await app.stop();
      await connector.close();
      await f.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
