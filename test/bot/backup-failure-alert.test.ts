/**
 * A scheduled backup failed and no alerts channel is configured: the administrators must hear of it in their own
 * chats, and nobody else. Readers and people with no role who once talked to the bot get nothing, and no chat is
 * shown an internal error's text, only a reference to the log entry that holds it.
 */
import { ADA, BEN, NORA, RITA, startBotFixture, type BotFixture, type Person } from "./bot-fixture";
import { cardOf, cardText, type ConnectorCall } from "./fake-connector";

jest.setTimeout(120_000);

const chatOf = (who: Person) => `a:personal-${who.teamsId.slice(3)}`;

describe("scheduled-backup failure alerts without an alerts channel", () => {
  let fx: BotFixture;
  beforeAll(async () => {
    fx = await startBotFixture();
    // Each of them once talked to the bot in their personal chat, so each chat's reference is stored.
    for (const who of [ADA, BEN, RITA, NORA]) expect((await fx.say(who, "help")).status).toBe(200);
    // And Ada and Rita share a group chat with it: not a personal chat, never an alert target.
    expect((await fx.say(RITA, "help", { conversationId: "19:ada-rita@thread.v2", conversationType: "groupChat" })).status).toBe(200);
    expect((await fx.say(ADA, "help", { conversationId: "19:ada-rita@thread.v2", conversationType: "groupChat" })).status).toBe(200);
  });
  afterAll(async () => {
    await fx?.close();
  });

  const alertsAfter = (mark: number) => (c: ConnectorCall) => c.kind === "send" && fx.connector.calls.indexOf(c) >= mark && /backup/i.test(cardText(cardOf(c)));

  it("reaches the administrators' own chats only (Ada, Ben), never Rita (Reader), Nora (no role) or a group chat, and shows an internal error as a reference", async () => {
    const c = fx.connector;
    const mark = c.calls.length;
    const secret = "SQLITE_BUSY: database is locked (SELECT doc FROM backups WHERE tk = 1) at /srv/rewind/data/rewind.db";
    fx.app.bot.events.onBackupFailed(new Error(secret));
    const alert = await c.waitFor((x) => alertsAfter(mark)(x) && x.conversationId === chatOf(ADA), { from: mark, what: "the alert in Ada's chat" });
    await c.waitFor((x) => alertsAfter(mark)(x) && x.conversationId === chatOf(BEN), { from: mark, what: "the alert in Ben's chat" });
    await new Promise((r) => setTimeout(r, 1_000)); // time enough for any other send
    expect(c.calls.filter(alertsAfter(mark)).map((x) => x.conversationId).sort()).toEqual([chatOf(ADA), chatOf(BEN)].sort());
    expect(cardText(cardOf(alert))).toMatch(/Rewind hit an internal error \(reference [0-9a-f]{8}\)\./);
    for (const x of c.calls.slice(mark)) expect(JSON.stringify(x.activity)).not.toMatch(/SQLITE|SELECT doc|rewind\.db/);
  });
});
