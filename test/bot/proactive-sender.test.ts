import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { createAdapter } from "../../bot/bot-server";
import { ProactiveSender, type SenderOptions } from "../../bot/proactive/proactive-sender";
import { systemClock } from "../../core/system-clock";
import { openSqliteConversationStore, type SqliteConversationStore } from "../../bot/conversations/sqlite/sqlite-conversation-store";
import { FakeConnector } from "./fake-connector";

// The sender on its own, through a real CloudAdapter (local mode) to the fake Bot Connector: how it paces one
// conversation, and what it does with each kind of refusal. The whole bot's alerts are in proactive.test.ts.
// Waits are checked from below only (a slow machine makes them longer, never shorter).

const TENANT = "d0d0d0d0-0000-4000-8000-00000000d0d0";
const CHAT_A = "a:chat-one";
const CHAT_B = "a:chat-two";
const card = (text: string) => ({ type: "AdaptiveCard", version: "1.5", body: [{ type: "TextBlock", text }] });
/** Timer granularity allowed below a wait. */
const SLACK_MS = 15;

describe("the proactive sender", () => {
  let connector: FakeConnector;
  let store: SqliteConversationStore;
  let dir: string;
  const log = pino({ level: "silent" });

  beforeAll(async () => {
    connector = await new FakeConnector().start();
    dir = mkdtempSync(path.join(tmpdir(), "rewind-sender-"));
    store = openSqliteConversationStore({ file: path.join(dir, "store.db") });
    for (const id of [CHAT_A, CHAT_B]) {
      await store.saveConversation(TENANT, {
        conversationId: id,
        conversationType: "personal",
        reference: { serviceUrl: connector.url, channelId: "msteams", conversation: { id, tenantId: TENANT }, bot: { id: "28:rewind" }, user: { id: "29:ada" } },
        at: new Date().toISOString(),
      });
    }
  });

  afterAll(async () => {
    await connector.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sender = (options: SenderOptions) => new ProactiveSender(createAdapter({ mode: "local" }, log), "", store, TENANT, systemClock, log, options);
  const textOf = (i: number, conversationId: string) => JSON.stringify(connector.to(conversationId)[i]?.activity ?? {});

  test("sends to one conversation one at a time, in order, at least the spacing apart; another conversation does not wait", async () => {
    const s = sender({ spacingMs: 200 });
    const from = connector.calls.length;
    const posts = [1, 2, 3, 4].map((n) => s.post(CHAT_A, card(`paced ${n}`)));
    const other = s.post(CHAT_B, card("not held up"));
    const ids = await Promise.all(posts);
    await other;
    expect(ids.every((id) => typeof id === "string" && id.length > 0)).toBe(true);
    const toA = connector.calls.slice(from).filter((c) => c.conversationId === CHAT_A);
    expect(toA.map((c) => /paced (\d)/.exec(JSON.stringify(c.activity))?.[1])).toEqual(["1", "2", "3", "4"]);
    for (let i = 1; i < toA.length; i++) expect(toA[i]!.at - toA[i - 1]!.at).toBeGreaterThanOrEqual(200 - SLACK_MS);
    const toB = connector.calls.slice(from).find((c) => c.conversationId === CHAT_B);
    expect(toB).toBeDefined();
    // Chat B went out before chat A's last card, which waited three spacings.
    expect(toB!.at).toBeLessThan(toA[3]!.at);
  });

  test("429s with Retry-After: every try waits as long as Teams asked, the SDK's own three and then the sender's", async () => {
    const s = sender({ spacingMs: 0, backoffMs: 10, attempts: 2 });
    const refusedFrom = connector.refused.length;
    const from = connector.calls.length;
    connector.failNext(4, 429, { headers: { "Retry-After": "1" }, conversationId: CHAT_A });
    const id = await s.post(CHAT_A, card("after retry-after"));
    expect(id).not.toBeNull();
    const refusal = connector.refused.slice(refusedFrom);
    expect(refusal.map((r) => r.status)).toEqual([429, 429, 429, 429]);
    const sent = connector.calls.slice(from).filter((c) => c.conversationId === CHAT_A);
    expect(sent).toHaveLength(1);
    const times = [...refusal.map((r) => r.at), sent[0]!.at];
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000 - SLACK_MS);
  });

  test("a 429 without Retry-After: it backs off itself, doubling, and an in-place update is retried the same way", async () => {
    // The SDK's own client retries 5xx and a 429 that names its wait, but passes this one straight up.
    const s = sender({ spacingMs: 0, backoffMs: 100 });
    const id = await s.post(CHAT_A, card("version 1"));
    expect(id).not.toBeNull();
    const refusedFrom = connector.refused.length;
    const from = connector.calls.length;
    connector.failNext(2, 429, { conversationId: CHAT_A });
    await expect(s.update(CHAT_A, id!, card("version 2"))).resolves.toBe(true);
    const refusal = connector.refused.slice(refusedFrom);
    expect(refusal.map((r) => r.status)).toEqual([429, 429]);
    const updates = connector.calls.slice(from).filter((c) => c.kind === "update");
    expect(updates).toHaveLength(1);
    expect(updates[0]!.activityId).toBe(id);
    expect(JSON.stringify(updates[0]!.activity)).toContain("version 2");
    // Backoff from 100 ms, doubling, with equal jitter (lib/retry): at least 50 ms, then at least 100 ms.
    expect(refusal[1]!.at - refusal[0]!.at).toBeGreaterThanOrEqual(50 - SLACK_MS);
    expect(updates[0]!.at - refusal[1]!.at).toBeGreaterThanOrEqual(100 - SLACK_MS);
  });

  test("it gives up after its attempts with the connector's error, and the conversation still works after", async () => {
    const s = sender({ spacingMs: 0, backoffMs: 5, attempts: 3 });
    const refusedFrom = connector.refused.length;
    const from = connector.calls.length;
    connector.failNext(3, 429, { conversationId: CHAT_A });
    await expect(s.post(CHAT_A, card("never delivered"))).rejects.toMatchObject({ statusCode: 429 });
    expect(connector.refused.slice(refusedFrom).map((r) => r.status)).toEqual([429, 429, 429]);
    expect(connector.calls.slice(from)).toHaveLength(0);
    await expect(s.post(CHAT_A, card("next one"))).resolves.toEqual(expect.any(String));
    expect(textOf(connector.to(CHAT_A).length - 1, CHAT_A)).toContain("next one");
  });

  test("a short burst of 502s is delivered even with one attempt of its own: the SDK's client retries 5xx first", async () => {
    const s = sender({ spacingMs: 0, backoffMs: 5, attempts: 1 });
    const refusedFrom = connector.refused.length;
    connector.failNext(2, 502, { conversationId: CHAT_A });
    await expect(s.post(CHAT_A, card("through the 502s"))).resolves.toEqual(expect.any(String));
    expect(connector.refused.slice(refusedFrom).map((r) => r.status)).toEqual([502, 502]);
    expect(textOf(connector.to(CHAT_A).length - 1, CHAT_A)).toContain("through the 502s");
  });

  test("a refusal not worth retrying (400) fails at once, and the conversation is not marked stale", async () => {
    const s = sender({ spacingMs: 0, backoffMs: 5 });
    const refusedFrom = connector.refused.length;
    connector.failNext(1, 400, { conversationId: CHAT_A, code: "BadArgument" });
    await expect(s.post(CHAT_A, card("malformed"))).rejects.toMatchObject({ statusCode: 400 });
    expect(connector.refused.slice(refusedFrom).map((r) => r.status)).toEqual([400]);
    expect((await store.getConversation(TENANT, CHAT_A))?.stale).toBeFalsy();
  });
});
