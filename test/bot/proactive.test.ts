import { DirectoryError } from "../../core/model/directory-error";
import { applyDemoDrift } from "../../sim/drift";
import { DEMO_TENANT_ID } from "../../sim/index";
import { ADA, BEN, startBotFixture, type BotFixture, type Person } from "./bot-fixture";
import { cardOf, cardText, type ConnectorCall } from "./fake-connector";

jest.setTimeout(120_000);

const ALERTS = "19:rewind-alerts@thread.tacv2";
const adaChat = `a:personal-${ADA.teamsId.slice(3)}`;
const benChat = `a:personal-${BEN.teamsId.slice(3)}`;

/** The job id on a progress card (its Refresh button). */
function jobIdOf(call: ConnectorCall): string {
  const id = /"verb":"job\.refresh","data":\{"jobId":"([0-9a-f-]{36})"/.exec(JSON.stringify(cardOf(call)))?.[1];
  if (!id) throw new Error(`no job on the card: ${cardText(cardOf(call)).slice(0, 300)}`);
  return id;
}

const isResult = (jobId: string) => (c: ConnectorCall) => c.kind === "send" && JSON.stringify(c.activity).includes(jobId) && /report\.changes|changes\.page/.test(JSON.stringify(c.activity));

describe("proactive alerts and in-place updates", () => {
  let fx: BotFixture;
  beforeAll(async () => {
    fx = await startBotFixture({ ALERTS_CONVERSATION_ID: ALERTS });
    // The alerts channel: the app was added there, so its reference is stored.
    await fx.post(install(ADA, ALERTS, "channel", "add"));
    await fx.app.engine.rewind.takeBackup({ userId: ADA.aadObjectId });
    await applyDemoDrift(fx.f.sim.url, fx.f.sim.ca);
  });
  afterAll(async () => {
    await fx?.close();
  });

  function install(who: Person, conversationId: string, conversationType: string, action: "add" | "remove"): Record<string, unknown> {
    return {
      type: "installationUpdate",
      action,
      id: `install-${action}-${conversationId}-${Date.now()}`,
      serviceUrl: fx.connector.url,
      channelId: "msteams",
      from: { id: who.teamsId, name: who.name, aadObjectId: who.aadObjectId },
      recipient: { id: "28:rewind-bot", name: "Rewind" },
      conversation: { id: conversationId, conversationType, tenantId: DEMO_TENANT_ID },
      channelData: { tenant: { id: DEMO_TENANT_ID } },
    };
  }

  /** Starts a report from Ada's chat; returns its id and the progress card's call. */
  async function diff(): Promise<{ jobId: string; progress: ConnectorCall }> {
    const mark = fx.connector.calls.length;
    await fx.say(ADA, "diff latest");
    const progress = fx.connector.calls.slice(mark).find((c) => c.kind === "reply")!;
    return { jobId: jobIdOf(progress), progress };
  }

  it("sends a finished job's result once to the conversation that started it and once to the alerts channel, through retries and sweeps", async () => {
    const c = fx.connector;
    const { jobId } = await diff();
    // Teams is busy for the first sends: the bot retries after Retry-After.
    c.failNext(2, 429, { headers: { "Retry-After": "0" } });
    await fx.waitForJob(jobId);
    await c.waitFor((x) => isResult(jobId)(x) && x.conversationId === adaChat, { what: "result in Ada's chat" });
    await c.waitFor((x) => isResult(jobId)(x) && x.conversationId === ALERTS, { what: "result in the alerts channel" });
    expect(c.refused.filter((r) => r.status === 429).length).toBe(2);
    // Sweeps (every process runs them; a restarted one too) find nothing left to send.
    for (let i = 0; i < 3; i++) await fx.app.bot.watcher.sweepFinished();
    await new Promise((r) => setTimeout(r, 600));
    expect(c.calls.filter((x) => isResult(jobId)(x) && x.conversationId === adaChat)).toHaveLength(1);
    expect(c.calls.filter((x) => isResult(jobId)(x) && x.conversationId === ALERTS)).toHaveLength(1);
  });

  it("updates a running job's progress card in place, at most once per interval, ending on its final state", async () => {
    const c = fx.connector;
    fx.f.sim.setFaults({ latencyMs: 1500 }); // a slow Graph: the report moves over several seconds
    try {
      const { jobId, progress } = await diff();
      await fx.waitForJob(jobId, 60_000);
      const final = await c.waitFor((x) => x.kind === "update" && x.activityId === progress.activityId && /succeeded|completed/i.test(cardText(cardOf(x))), { what: "final update", timeoutMs: 30_000 });
      const updates = c.calls.filter((x) => x.kind === "update" && x.activityId === progress.activityId);
      expect(updates.length).toBeGreaterThanOrEqual(2); // progress moved, then the end
      expect(updates.at(-1)).toBe(final);
      // CARD_UPDATE_SECONDS=1 in the fixture: updates of one card are at least a second apart (100 ms of send jitter allowed).
      for (let i = 1; i < updates.length; i++) expect(updates[i]!.at - updates[i - 1]!.at).toBeGreaterThanOrEqual(900);
      const texts = updates.map((u) => cardText(cardOf(u)));
      expect(new Set(texts).size).toBe(texts.length); // never re-sent unchanged
    } finally {
      fx.f.sim.setFaults({ latencyMs: 0 });
    }
  });

  it("marks a conversation stale when Teams answers 403, and sends nothing more there", async () => {
    const c = fx.connector;
    await fx.say(BEN, "whoami"); // Ben's chat now has a stored reference
    const mark = c.calls.length;
    const { jobId } = await diffAs(BEN);
    c.failNext(1, 403, { code: "BotNotInConversationRoster", conversationId: benChat });
    await fx.waitForJob(jobId);
    const deadline = Date.now() + 10_000;
    while (!(await fx.app.conversations.getConversation(DEMO_TENANT_ID, benChat))?.stale && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect((await fx.app.conversations.getConversation(DEMO_TENANT_ID, benChat))?.stale?.reason).toBe("BotNotInConversationRoster");
    await fx.app.bot.watcher.sweepFinished();
    await new Promise((r) => setTimeout(r, 500));
    expect(c.calls.slice(mark).filter((x) => x.conversationId === benChat && x.kind !== "reply")).toHaveLength(0);
    // Talking to the bot again makes the conversation usable again.
    await fx.say(BEN, "help");
    expect((await fx.app.conversations.getConversation(DEMO_TENANT_ID, benChat))?.stale).toBeUndefined();
  });

  it("tells the alerts channel once when a scheduled backup fails", async () => {
    const c = fx.connector;
    const mark = c.calls.length;
    const outage = new DirectoryError(503, "serviceUnavailable", "The service is unavailable for 10 minutes.");
    fx.app.bot.events.onBackupFailed(outage);
    fx.app.bot.events.onBackupFailed(outage);
    const alert = await c.waitFor((x) => x.conversationId === ALERTS && /503 .*10 minutes/.test(cardText(cardOf(x))), { from: mark, what: "backup failure alert" });
    expect(cardText(cardOf(alert))).toMatch(/failed/i);
    await new Promise((r) => setTimeout(r, 300));
    expect(c.calls.slice(mark).filter((x) => x.conversationId === ALERTS && /503 .*10 minutes/.test(cardText(cardOf(x))))).toHaveLength(1);
    // With an alerts channel, nobody's own chat hears of it.
    expect(c.calls.slice(mark).filter((x) => x.conversationId !== ALERTS && /10 minutes/.test(cardText(cardOf(x))))).toEqual([]);
  });

  it("starts a report from the backup list's button: a short answer to the click, the progress card in the chat", async () => {
    const c = fx.connector;
    const [backup] = await fx.app.store.listBackups(DEMO_TENANT_ID);
    const mark = c.calls.length;
    const answer = await fx.click(ADA, "report.start", { backupId: backup!.id });
    expect(answer.body).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.activity.message" });
    expect(String(answer.body?.value)).toMatch(/difference report started/i);
    const progress = c.calls.slice(mark).find((x) => x.conversationId === adaChat && x.kind !== "update")!;
    const jobId = jobIdOf(progress);
    expect((await fx.waitForJob(jobId)).state).toBe("succeeded");
    await c.waitFor(isResult(jobId), { from: mark, what: "the report's summary" });
  });

  it("forgets a conversation when the app is uninstalled there", async () => {
    expect(await fx.app.conversations.getConversation(DEMO_TENANT_ID, ALERTS)).not.toBeNull();
    const res = await fx.post(install(ADA, ALERTS, "channel", "remove"));
    expect(res.status).toBe(200);
    expect(await fx.app.conversations.getConversation(DEMO_TENANT_ID, ALERTS)).toBeNull();
  });

  async function diffAs(who: Person): Promise<{ jobId: string }> {
    const mark = fx.connector.calls.length;
    await fx.say(who, "diff latest");
    return { jobId: jobIdOf(fx.connector.calls.slice(mark).find((c) => c.kind === "reply")!) };
  }
});
