import { ActivityHandler } from "botbuilder";
import pino from "pino";
import { createAdapter, startBotServer, type BotServer } from "../../bot/bot-server";
import { ProactiveSender, SendTimeoutError } from "../../bot/proactive/proactive-sender";
import { systemClock } from "../../core/system-clock";
import type { SqliteConversationStore } from "../../bot/conversations/sqlite/sqlite-conversation-store";
import { storeWithChat } from "./chat-store";
import { FakeConnector } from "./fake-connector";
import { rawPost } from "./raw-http";
import { settledWithin } from "./settled-within";

// A Bot Connector that accepts the connection and never answers must not hold a turn, or the proactive queue
// of a conversation, forever: every call to it has a timeout.

jest.setTimeout(120_000);

const TENANT = "d0d0d0d0-0000-4000-8000-00000000d0d0";
const CHAT = "a:chat-hang";
const TIMEOUT_MS = 500;
/** Room above a timeout for a loaded machine; a hang would run past any of these. */
const SLACK_MS = 8_000;
const log = pino({ level: "silent" });
const card = (text: string) => ({ type: "AdaptiveCard", version: "1.5", body: [{ type: "TextBlock", text }] });

describe("a Bot Connector that never answers", () => {
  let connector: FakeConnector;
  let store: SqliteConversationStore;
  let closeStore: () => void;

  beforeAll(async () => {
    connector = await new FakeConnector().start();
    ({ store, close: closeStore } = await storeWithChat(connector.url, TENANT, CHAT));
  });
  afterAll(async () => {
    await connector.close();
    closeStore();
  });

  it("does not hold a turn: the reply times out, the turn ends, and the chat still hears something went wrong", async () => {
    const auth = { mode: "local" as const };
    const bot = new ActivityHandler();
    bot.onMessage(async (ctx, next) => {
      await ctx.sendActivity(`pong: ${ctx.activity.text}`);
      await next();
    });
    const server: BotServer = await startBotServer({ host: "127.0.0.1", port: 0, auth, adapter: createAdapter(auth, log, { connectorTimeoutMs: TIMEOUT_MS }), bot, log });
    try {
      connector.hangNext(1, { conversationId: CHAT });
      const hungBefore = connector.hung.length;
      const body = Buffer.from(JSON.stringify({ type: "message", id: "in-hang", text: "ping", serviceUrl: connector.url, channelId: "msteams", from: { id: "29:ada" }, conversation: { id: CHAT, tenantId: TENANT }, recipient: { id: "28:bot" } }));
      const started = Date.now();
      const answer = await rawPost(`${server.url}/api/messages`, { "Content-Type": "application/json", "Content-Length": String(body.length) }, body, { timeoutMs: TIMEOUT_MS + SLACK_MS });
      expect(answer.error).toBeNull();
      expect(answer.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      expect(connector.hung.length).toBe(hungBefore + 1);
      // The reply that hung was given up; the turn's error handler then told the chat.
      await connector.waitFor((c) => c.conversationId === CHAT && /Something went wrong on Rewind's side/.test(String(c.activity.text)), { what: "the fallback message" });
    } finally {
      await server.close();
    }
  });

  it("does not hold the proactive queue: the send fails after the timeout and the next one goes through", async () => {
    const sender = new ProactiveSender(createAdapter({ mode: "local" }, log, { connectorTimeoutMs: TIMEOUT_MS }), "", store, TENANT, systemClock, log, { backoffMs: 20, spacingMs: 5 });
    connector.hangNext(1, { conversationId: CHAT });
    const stuck = sender.post(CHAT, card("into the void"));
    const next = sender.post(CHAT, card("after the hang"));
    const outcome = await settledWithin(stuck, TIMEOUT_MS + SLACK_MS);
    expect(outcome).toEqual({ error: expect.objectContaining({ name: "AbortError" }) });
    expect(await settledWithin(next, SLACK_MS)).toEqual({ value: expect.any(String) });
    expect(connector.to(CHAT).some((c) => JSON.stringify(c.activity).includes("after the hang"))).toBe(true);
  });

  it("bounds a whole send try even when the hang is not an HTTP call the connector client times out", async () => {
    // The adapter's own timeout is far away here: the sender's bound on each try is what ends the wait.
    const sender = new ProactiveSender(createAdapter({ mode: "local" }, log, { connectorTimeoutMs: 10 * 60_000 }), "", store, TENANT, systemClock, log, { backoffMs: 20, spacingMs: 5, attemptTimeoutMs: TIMEOUT_MS });
    connector.hangNext(1, { conversationId: CHAT });
    const stuck = sender.post(CHAT, card("into the void again"));
    const next = sender.post(CHAT, card("after the second hang"));
    const outcome = await settledWithin(stuck, TIMEOUT_MS + SLACK_MS);
    expect(outcome).toEqual({ error: expect.any(SendTimeoutError) });
    expect(await settledWithin(next, SLACK_MS)).toEqual({ value: expect.any(String) });
  });
});
