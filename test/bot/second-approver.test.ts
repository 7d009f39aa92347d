import { applyDemoDrift } from "../../sim/drift";
import { DEMO_TENANT_ID } from "../../sim/index";
import { ADA, BEN, startBotFixture, type BotFixture } from "./bot-fixture";
import { cardOf, cardText } from "./fake-connector";

jest.setTimeout(120_000);

const CHAT = { conversationId: "19:admins-chat@thread.v2", conversationType: "groupChat" as const };

/** The verbs of every Action.Execute in a card. */
const verbsOf = (card: unknown): string[] => [...JSON.stringify(card).matchAll(/"verb":"([a-z.]+)"/g)].map((m) => m[1]!);

describe("RECOVERY_REQUIRES_SECOND_APPROVER in the chat", () => {
  let fx: BotFixture;
  beforeAll(async () => {
    fx = await startBotFixture({ RECOVERY_REQUIRES_SECOND_APPROVER: "true" });
  });
  afterAll(async () => {
    await fx?.close();
  });

  it("lets another administrator approve, never the requester, and a decided request stays decided", async () => {
    const c = fx.connector;
    await fx.say(BEN, "whoami", CHAT);
    await fx.app.engine.rewind.takeBackup({ userId: ADA.aadObjectId });
    await applyDemoDrift(fx.f.sim.url, fx.f.sim.ca);
    const [backup] = await fx.app.store.listBackups(DEMO_TENANT_ID);
    const report = await fx.app.engine.rewind.startDifferenceReport({ userId: ADA.aadObjectId }, { backupId: backup!.id });
    await fx.waitForJob(report.id);

    const mark = c.calls.length;
    await fx.say(ADA, `recover ${report.id}`, CHAT);
    const requestCall = c.calls.slice(mark).find((x) => x.kind === "reply")!;
    const card = cardOf(requestCall) as { refresh: { action: { data: { requestId: string; reportId: string; digest: string } }; userIds: string[] } };
    // Only Ben may decide: Ada asked, so the refresh names Ben alone.
    expect(card.refresh.userIds).toEqual([BEN.teamsId]);
    const approval = card.refresh.action.data;
    expect(verbsOf((await fx.click(ADA, "recovery.view", approval, CHAT)).body?.value)).not.toContain("recovery.approve");
    expect(verbsOf((await fx.click(BEN, "recovery.view", approval, CHAT)).body?.value)).toContain("recovery.approve");

    const own = await fx.click(ADA, "recovery.approve", approval, { ...CHAT, replyToId: requestCall.activityId });
    expect(cardText(own.body?.value)).toMatch(/another administrator must approve/i);
    expect((await fx.app.store.getRecoveryRequest(DEMO_TENANT_ID, approval.requestId))?.state).toBe("pending");

    const ok = await fx.click(BEN, "recovery.approve", approval, { ...CHAT, replyToId: requestCall.activityId });
    expect(cardText(ok.body?.value)).toMatch(/approved by ben second/i);
    const twice = await fx.click(BEN, "recovery.approve", approval, { ...CHAT, replyToId: requestCall.activityId });
    expect(cardText(twice.body?.value)).toMatch(/409/);
    expect(cardText(twice.body?.value)).toMatch(/already approved by/i);
    expect(await fx.app.store.listJobs(DEMO_TENANT_ID, { kind: "recovery" })).toHaveLength(1);
    const [recovery] = await fx.app.store.listJobs(DEMO_TENANT_ID, { kind: "recovery" });
    await fx.waitForJob(recovery!.id, 60_000);
    // The audit names who asked and who decided.
    const audit = await fx.app.engine.rewind.listAudit({ userId: BEN.aadObjectId }, { limit: 50 });
    expect(audit.find((e) => e.action === "recoveryRequested")?.actor).toBe(ADA.aadObjectId);
    expect(audit.find((e) => e.action === "recoveryApproved")?.actor).toBe(BEN.aadObjectId);
  });
});
