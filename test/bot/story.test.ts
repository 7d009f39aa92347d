import { applyDemoDrift } from "../../sim/drift";
import { DEMO_TENANT_ID } from "../../sim/index";
import { ERROR_TEXTS } from "../../core/model/errors";
import { startCosmosTestServer, type CosmosTestServer } from "../contract/cosmos-temp";
import { ADA, BEN, RITA, startBotFixture, type BotFixture } from "./bot-fixture";
import { cardOf, cardText } from "./fake-connector";

jest.setTimeout(120_000);

const CHANNEL = { conversationId: "19:ops-team@thread.tacv2", conversationType: "channel" as const };

/** Every Action.Execute in a card (actions, selectActions, action sets, refresh). */
function actionsOf(card: unknown): Array<{ verb: string; data: Record<string, unknown>; title?: string }> {
  const out: Array<{ verb: string; data: Record<string, unknown>; title?: string }> = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (o.type === "Action.Execute" && typeof o.verb === "string") out.push({ verb: o.verb, data: (o.data ?? {}) as Record<string, unknown>, ...(typeof o.title === "string" ? { title: o.title } : {}) });
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

describe.each(["SQLite", "Cosmos DB"])("the Teams story over HTTP (local mode, fake Bot Connector), on %s", (kind) => {
  let fx: BotFixture;
  let cosmos: CosmosTestServer | undefined;
  beforeAll(async () => {
    if (kind === "Cosmos DB") cosmos = await startCosmosTestServer();
    fx = await startBotFixture({}, cosmos ? { cosmos } : {});
  });
  afterAll(async () => {
    await fx?.close();
    await cosmos?.close();
  });

  it("backups → diff latest → proactive summary → changes → recover → reader refused → admin approves → proactive result", async () => {
    const c = fx.connector;
    // Installing the app in the team's channel: the bot says hello with the help card and keeps the reference.
    const install = await fx.post({
      type: "installationUpdate",
      action: "add",
      id: "install-1",
      serviceUrl: c.url,
      channelId: "msteams",
      from: { id: ADA.teamsId, name: ADA.name, aadObjectId: ADA.aadObjectId },
      recipient: { id: "28:rewind-bot", name: "Rewind" },
      conversation: { id: CHANNEL.conversationId, conversationType: "channel", tenantId: DEMO_TENANT_ID },
      channelData: { tenant: { id: DEMO_TENANT_ID } },
    });
    expect(install.status).toBe(200);
    expect(cardText(cardOf(c.to(CHANNEL.conversationId)[0]!))).toMatch(/diff <backupId\|latest>/);
    expect(await fx.app.conversations.getConversation(DEMO_TENANT_ID, CHANNEL.conversationId)).not.toBeNull();

    // Everyone speaks once in the channel, so the bot knows their Teams ids.
    for (const who of [ADA, BEN, RITA]) await fx.say(who, "whoami", CHANNEL);
    expect(cardText(cardOf(c.to(CHANNEL.conversationId, "reply").at(-1)!))).toMatch(/Backup Reader/i);

    // A backup, then some drift in the tenant.
    let mark = c.calls.length;
    await fx.say(ADA, "backup now", CHANNEL);
    // A quick backup is answered with its result; a slow one with "under way", then its result (either way, here).
    await c.waitFor((x) => /completed/i.test(cardText(cardOf(x))), { from: mark, what: "backup result", timeoutMs: 60_000 });
    const [backup] = (await fx.app.engine.rewind.listBackups({ userId: ADA.aadObjectId })).backups;
    expect(backup).toBeDefined();
    await applyDemoDrift(fx.f.sim.url, fx.f.sim.ca);

    // backups: the list has a "Difference report" button per backup.
    mark = c.calls.length;
    await fx.say(ADA, "Backups", CHANNEL);
    const list = cardOf(c.calls.slice(mark).find((x) => x.kind === "reply")!);
    expect(cardText(list)).toContain(backup!.id.slice(0, 10));
    expect(actionsOf(list)).toEqual(expect.arrayContaining([expect.objectContaining({ verb: "report.start", data: { backupId: backup!.id } })]));

    // diff latest: a progress card now, followed in place; the summary arrives proactively when it ends.
    mark = c.calls.length;
    await fx.say(ADA, "diff latest", CHANNEL);
    const progress = c.calls.slice(mark).find((x) => x.kind === "reply")!;
    expect(progress).toBeDefined();
    const reportId = actionsOf(cardOf(progress)).find((a) => a.verb === "job.refresh")!.data.jobId as string;
    const report = await fx.waitForJob(reportId);
    expect(report.state).toBe("succeeded");
    const summary = await c.waitFor((x) => x.kind === "send" && x.conversationId === CHANNEL.conversationId && actionsOf(cardOf(x)).some((a) => a.verb === "report.changes"), { from: mark, what: "proactive summary" });
    expect(cardText(cardOf(summary))).toMatch(/8/);
    const finalProgress = await c.waitFor((x) => x.kind === "update" && x.activityId === progress.activityId && /succeeded|completed/i.test(cardText(cardOf(x))), { from: mark, what: "progress card updated to its end" });
    expect(finalProgress).toBeDefined();

    // changes: property backup → current, with paging and filters.
    mark = c.calls.length;
    await fx.say(RITA, `changes ${reportId}`, CHANNEL);
    const changes = cardOf(c.calls.slice(mark).find((x) => x.kind === "reply")!);
    expect(cardText(changes)).toMatch(/restore|update|softDelete/i);
    const filtered = await fx.click(RITA, "changes.page", { jobId: reportId, page: 1, action: "restore" }, CHANNEL);
    expect(filtered.status).toBe(200);
    expect(cardText(filtered.body?.value)).toMatch(/restore/i);

    // recover: the request card, with Approve shown (by refresh) only to the administrators who may decide:
    // Ada asked, and by default a second administrator approves.
    mark = c.calls.length;
    await fx.say(ADA, `recover ${reportId}`, CHANNEL);
    const requestCall = c.calls.slice(mark).find((x) => x.kind === "reply")!;
    const requestCard = cardOf(requestCall) as { refresh?: { action: { verb: string; data: Record<string, unknown> }; userIds: string[] } };
    expect(requestCard.refresh?.action.verb).toBe("recovery.view");
    expect(new Set(requestCard.refresh?.userIds)).toEqual(new Set([BEN.teamsId]));
    const approval = requestCard.refresh!.action.data as { requestId: string; reportId: string; digest: string };
    const riteView = await fx.click(RITA, "recovery.view", approval, { ...CHANNEL, replyToId: requestCall.activityId, trigger: "automatic" });
    expect(actionsOf(riteView.body?.value).map((a) => a.verb)).not.toContain("recovery.approve");
    const benView = await fx.click(BEN, "recovery.view", approval, { ...CHANNEL, replyToId: requestCall.activityId, trigger: "automatic" });
    expect(actionsOf(benView.body?.value).map((a) => a.verb)).toEqual(expect.arrayContaining(["recovery.approve", "recovery.reject"]));

    // A Backup Reader's click on Approve is refused with the exact access-denied text; nothing starts.
    const refused = await fx.click(RITA, "recovery.approve", approval, { ...CHANNEL, replyToId: requestCall.activityId });
    expect(refused.status).toBe(200);
    expect(cardText(refused.body?.value)).toContain(ERROR_TEXTS.forbidden);
    expect((await fx.app.store.getRecoveryRequest(DEMO_TENANT_ID, approval.requestId))?.state).toBe("pending");
    expect(await fx.app.store.listJobs(DEMO_TENANT_ID, { kind: "recovery" })).toHaveLength(0);

    // An administrator approves: answered within a second, the card shows the decision for everyone.
    mark = c.calls.length;
    const started = Date.now();
    const approved = await fx.click(BEN, "recovery.approve", approval, { ...CHANNEL, replyToId: requestCall.activityId });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(cardText(approved.body?.value)).toMatch(/approved by ben second/i);
    const updated = await c.waitFor((x) => x.kind === "update" && x.activityId === requestCall.activityId, { from: mark, what: "request card updated for everyone" });
    expect(cardText(cardOf(updated))).toMatch(/approved by ben second/i);
    expect(actionsOf(cardOf(updated)).map((a) => a.verb)).not.toContain("recovery.approve");

    // The recovery runs in the background; its result card arrives proactively.
    const [recovery] = await fx.app.store.listJobs(DEMO_TENANT_ID, { kind: "recovery" });
    const done = await fx.waitForJob(recovery!.id, 60_000);
    expect(done.state).toBe("completedWithWarnings");
    const result = await c.waitFor((x) => x.kind === "send" && x.conversationId === CHANNEL.conversationId && /applied/i.test(cardText(cardOf(x))) && actionsOf(cardOf(x)).some((a) => a.verb === "changes.page"), {
      from: mark,
      what: "proactive recovery result",
      timeoutMs: 30_000,
    });
    expect(cardText(cardOf(result))).toMatch(/completed with warnings/i);
    expect(cardText(cardOf(result))).toMatch(/ben second/i); // names as the channel knows them, not object ids

    // The failed and skipped changes are reachable from chat (the seed page's "review the failed changes").
    mark = c.calls.length;
    await fx.say(ADA, `changes ${recovery!.id} outcome=skipped`, CHANNEL);
    expect(cardText(cardOf(c.calls.slice(mark).find((x) => x.kind === "reply")!))).toMatch(/skipped/i);
    // And the reports and recoveries of the backup.
    mark = c.calls.length;
    await fx.say(ADA, `jobs backup=${backup!.id}`, CHANNEL);
    const jobs = cardText(cardOf(c.calls.slice(mark).find((x) => x.kind === "reply")!));
    expect(jobs).toMatch(/difference report/i);
    expect(jobs).toMatch(/recovery/i);
  });
});
