import { randomUUID } from "node:crypto";
import { ERROR_TEXTS } from "../../core/model/errors";
import { applyDemoDrift } from "../../sim/drift";
import { DEMO_TENANT_ID } from "../../sim/index";
import { ADA, BEN, NORA, RITA, startBotFixture, type BotFixture, type Person, type Where } from "./bot-fixture";
import { cardOf, cardText } from "./fake-connector";

jest.setTimeout(120_000);

describe("errors in the chat: exact error texts, bad input, tampered cards, another tenant", () => {
  let fx: BotFixture;
  beforeAll(async () => {
    fx = await startBotFixture();
    await fx.app.engine.rewind.takeBackup({ userId: ADA.aadObjectId });
  });
  afterAll(async () => {
    await fx?.close();
  });

  /** The card replied to a message, as text. */
  async function reply(who: Person, text: string, where?: Where): Promise<string> {
    const mark = fx.connector.calls.length;
    const res = await fx.say(who, text, where);
    expect(res.status).toBe(200);
    const call = fx.connector.calls.slice(mark).find((c) => c.kind === "reply");
    expect(call).toBeDefined();
    return cardText(cardOf(call!));
  }

  /** What the engine holds, to show a refusal changed nothing. */
  async function state(): Promise<string> {
    const jobs = await fx.app.store.listJobs(DEMO_TENANT_ID);
    const requests = await fx.app.store.listRecoveryRequests(DEMO_TENANT_ID);
    const backups = await fx.app.store.listBackups(DEMO_TENANT_ID);
    return JSON.stringify({ jobs: jobs.map((j) => [j.id, j.state, j.cancelRequested]), requests: requests.map((r) => [r.id, r.state]), backups: backups.map((b) => b.id) });
  }

  it("shows each use-case error with its exact text", async () => {
    expect(await reply(ADA, "diff 2020-01-01T00:00:00Z")).toContain(ERROR_TEXTS.unknownBackup);
    expect(await reply(ADA, `job ${randomUUID()}`)).toMatch(/\bNot Found\b/);
    expect(await reply(NORA, "diff latest")).toContain(ERROR_TEXTS.forbidden);
    expect(await reply(RITA, "backup now")).toContain(ERROR_TEXTS.forbidden);

    // A slow Graph keeps a report running: a second job is refused (409) and its changes are not ready (400).
    fx.f.sim.setFaults({ latencyMs: 2000 });
    try {
      const mark = fx.connector.calls.length;
      await fx.say(ADA, "diff latest");
      const card = cardOf(fx.connector.calls.slice(mark).find((c) => c.kind === "reply")!);
      const jobId = /"verb":"job\.refresh","data":\{"jobId":"([0-9a-f-]{36})"/.exec(JSON.stringify(card))?.[1];
      if (!jobId) throw new Error(`no job on the reply: ${cardText(card)}`);
      expect(await reply(RITA, "diff latest")).toContain(ERROR_TEXTS.jobInProgress);
      expect(await reply(RITA, `changes ${jobId}`)).toContain(ERROR_TEXTS.changesNotReady(jobId));
      expect(await reply(ADA, `cancel ${jobId}`)).toMatch(/cancel requested/i);
      expect((await fx.waitForJob(jobId)).state).toBe("canceled");
    } finally {
      fx.f.sim.setFaults({ latencyMs: 0 });
    }
  });

  it.each([
    ["an unknown command", "frobnicate the tenant", /not a Rewind command/i],
    ["diff without a backup", "diff", /needs a backup id/i],
    ["a malformed backup id", "diff yesterday", /not a backup id/i],
    ["an unknown object type", "diff latest type=printer", /Unknown object type "printer"/],
    ["ids without one type", `diff latest id=${randomUUID()}`, /exactly one type=/],
    ["an unknown option", "jobs owner=me", /Unknown option "owner="/],
    ["a malformed job id", "changes 42", /not a job id/i],
    ["a bad page", `changes ${randomUUID()} page=0`, /page must be/i],
    ["an unknown action", `changes ${randomUUID()} action=delete`, /Unknown action "delete"/],
    ["extra words", "whoami please", /takes nothing after it/],
    ["an oversized scope", `diff latest type=user id=${Array.from({ length: 1001 }, () => randomUUID()).join(",")}`, /at most 1000/],
    ["an unknown attribute", "diff latest type=user attr=shoeSize", /not a recoverable property/],
  ])("refuses %s clearly and changes nothing", async (_what, text, expected) => {
    const before = await state();
    const card = await reply(ADA, text);
    expect(card).toMatch(expected);
    expect(await state()).toBe(before);
  });

  it("refuses tampered, unknown, stale and expired card data with a clear card, changing nothing", async () => {
    await applyDemoDrift(fx.f.sim.url, fx.f.sim.ca);
    const [backup] = (await fx.app.engine.rewind.listBackups({ userId: ADA.aadObjectId })).backups;
    const report = await fx.app.engine.rewind.startDifferenceReport({ userId: ADA.aadObjectId }, { backupId: backup!.id });
    await fx.waitForJob(report.id);
    const request = await fx.app.engine.rewind.requestRecovery({ userId: ADA.aadObjectId }, { reportId: report.id });
    const approval = { requestId: request.id, reportId: request.reportId, digest: request.digest };
    const before = await state();

    const cases: Array<[string, unknown, RegExp]> = [
      ["recovery.approve", { ...approval, digest: "0".repeat(64) }, /does not match/i],
      ["recovery.approve", { ...approval, reportId: randomUUID() }, /does not match/i],
      ["recovery.approve", { requestId: request.id }, /not valid/i],
      ["recovery.approve", { ...approval, extra: 1 }, /not valid/i],
      ["report.start", { backupId: "yesterday" }, /not valid/i],
      ["changes.page", { jobId: report.id, page: "two" }, /not valid/i],
      ["recovery.destroy", { requestId: request.id }, /not valid|not one Rewind knows/i],
    ];
    // Clicked by Ben: Ada asked, and a second administrator decides (the default).
    for (const [verb, data, expected] of cases) {
      const answer = await fx.click(BEN, verb, data);
      expect(answer.status).toBe(200);
      expect(cardText(answer.body?.value)).toMatch(expected);
    }
    expect(await state()).toBe(before);

    // An expired request is refused too (412), and stays pending.
    const stored = (await fx.app.store.getRecoveryRequest(DEMO_TENANT_ID, request.id))!;
    await fx.app.store.updateRecoveryRequest({ ...stored, expiresAt: new Date(Date.now() - 1000).toISOString() });
    const expired = await fx.click(BEN, "recovery.approve", approval);
    expect(cardText(expired.body?.value)).toMatch(/expired/i);
    expect(cardText(expired.body?.value)).toMatch(/412/);
    expect((await fx.app.store.getRecoveryRequest(DEMO_TENANT_ID, request.id))?.state).toBe("pending");
    expect(await fx.app.store.listJobs(DEMO_TENANT_ID, { kind: "recovery" })).toHaveLength(0);
  });

  it("refuses turns from another tenant and keeps nothing of them", async () => {
    const other = { tenantId: "e1e1e1e1-0000-4000-8000-00000000e1e1", conversationId: "a:foreign-chat" };
    const before = await state();
    expect(await reply(ADA, "backups", other)).toMatch(/another organization/i);
    const click = await fx.click(ADA, "backups.list", {}, other);
    expect(cardText(click.body?.value)).toContain(ERROR_TEXTS.forbidden);
    expect(await fx.app.conversations.getConversation(DEMO_TENANT_ID, other.conversationId)).toBeNull();
    expect(await state()).toBe(before);
  });
});
