import { DEMO_TENANT_ID } from "../../sim/index";
import { ADA, startBotFixture, type BotFixture } from "./bot-fixture";
import { cardOf, cardText, type ConnectorCall } from "./fake-connector";

// `backup now` when the backup takes longer than the chat can wait (1.5 s): an "under way" card at once, then
// that card updated in place and the result posted as a new message, on success and on failure. The quick
// path is in story.test.ts.

jest.setTimeout(120_000);

const adaChat = `a:personal-${ADA.teamsId.slice(3)}`;

describe("backup now, the slow path", () => {
  let fx: BotFixture;
  beforeAll(async () => {
    fx = await startBotFixture();
  });
  afterAll(async () => {
    await fx?.close();
  });
  afterEach(() => fx.f.sim.setFaults({ latencyMs: 0, errorRate: 0 }));

  /** Says `backup now` and returns the "under way" reply. */
  async function underWay(): Promise<ConnectorCall> {
    const mark = fx.connector.calls.length;
    await fx.say(ADA, "backup now");
    const replies = fx.connector.calls.slice(mark).filter((c) => c.kind === "reply" && c.conversationId === adaChat);
    expect(replies).toHaveLength(1);
    const text = cardText(cardOf(replies[0]!));
    expect(text).toContain("Taking a backup now…");
    expect(text).toContain("Requested by Ada Admin");
    return replies[0]!;
  }

  /** The in-place update of `reply` and the new message that follow it, once both arrived. */
  async function ending(reply: ConnectorCall, pattern: RegExp): Promise<{ update: ConnectorCall; post: ConnectorCall }> {
    const from = fx.connector.calls.indexOf(reply);
    const update = await fx.connector.waitFor((c) => c.kind === "update" && c.activityId === reply.activityId && pattern.test(cardText(cardOf(c))), { from, timeoutMs: 60_000, what: `update to ${pattern}` });
    const post = await fx.connector.waitFor((c) => c.kind === "send" && c.conversationId === adaChat && pattern.test(cardText(cardOf(c))), { from, timeoutMs: 10_000, what: `post ${pattern}` });
    return { update, post };
  }

  it("answers at once that the backup is under way, then updates that card and posts the result", async () => {
    const before = await fx.app.store.listBackups(DEMO_TENANT_ID);
    fx.f.sim.setFaults({ latencyMs: 400 });
    const reply = await underWay();
    // Nothing claims the backup ended before it did.
    expect(fx.connector.calls.some((c) => c.conversationId === adaChat && /Backup .* completed|The backup failed/.test(cardText(cardOf(c))))).toBe(false);
    const { update, post } = await ending(reply, /Backup \S+ completed/);
    const after = await fx.app.store.listBackups(DEMO_TENANT_ID);
    expect(after).toHaveLength(before.length + 1);
    const newest = after.find((b) => !before.some((o) => o.id === b.id))!;
    for (const call of [update, post]) {
      const text = cardText(cardOf(call));
      expect(text).toContain(`Backup ${newest.id} completed`);
      expect(text).toContain("Taken on demand by Ada Admin");
      // Its "Difference report" button names the new backup.
      expect(JSON.stringify(cardOf(call))).toContain(newest.id);
    }
    // The same card, once: no second update after the end.
    await new Promise((r) => setTimeout(r, 300));
    expect(fx.connector.calls.filter((c) => c.kind === "update" && c.activityId === reply.activityId)).toHaveLength(1);
  });

  it("when the backup fails after the chat's wait, the card says so and nothing is listed", async () => {
    // Roles are read (and cached) first: a role lookup that fails is a refusal (403), not a failed backup.
    await fx.say(ADA, "whoami");
    const before = await fx.app.store.listBackups(DEMO_TENANT_ID);
    fx.f.sim.setFaults({ latencyMs: 2000 });
    const reply = await underWay();
    // Graph now fails every request: the capture gives up after its retries.
    fx.f.sim.setFaults({ latencyMs: 0, errorRate: 1 });
    const { update, post } = await ending(reply, /The backup failed/);
    for (const call of [update, post]) {
      const text = cardText(cardOf(call));
      expect(text).toContain("did not finish, so it is not listed");
      expect(text).toMatch(/50[34]|Service Unavailable|Gateway Timeout|unavailable/i);
    }
    expect((await fx.app.store.listBackups(DEMO_TENANT_ID)).map((b) => b.id)).toEqual(before.map((b) => b.id));
    expect(await fx.app.store.listUnfinishedBackups(DEMO_TENANT_ID)).toEqual([]);
    // The failed capture left nothing calling Graph behind it (no prefetched page still retrying).
    const calls = fx.f.sim.stats().httpRequests;
    await new Promise((r) => setTimeout(r, 1500));
    expect(fx.f.sim.stats().httpRequests - calls).toBe(0);
  });
});
