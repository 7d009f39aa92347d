/**
 * What an approver sees before approving: the security-sensitive changes, who may approve, and the job that
 * holds the tenant's one job slot (with Cancel for administrators); and that each decision is audited with the
 * number of sensitive changes.
 */
import { DriftClient } from "../../sim/drift";
import { DEMO_TENANT_ID } from "../../sim/index";
import { collect, objectsOf } from "../graph/gateway-fixture";
import { ADA, BEN, RITA, startBotFixture, type BotFixture } from "./bot-fixture";
import { cardOf, cardText } from "./fake-connector";

jest.setTimeout(120_000);

const CHAT = { conversationId: "19:incident@thread.v2", conversationType: "groupChat" as const };

/** Every Action.Execute's title and verb in a card. */
function buttonsOf(card: unknown): Array<{ title: string; verb: string; data: Record<string, unknown> }> {
  const out: Array<{ title: string; verb: string; data: Record<string, unknown> }> = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (o.type === "Action.Execute" && typeof o.verb === "string") out.push({ title: String(o.title ?? ""), verb: o.verb, data: (o.data ?? {}) as Record<string, unknown> });
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

describe("the recovery request card", () => {
  let fx: BotFixture;
  let reportId: string;
  let backupId: string;
  beforeAll(async () => {
    fx = await startBotFixture();
    backupId = (await fx.app.engine.rewind.takeBackup({ userId: ADA.aadObjectId })).id;
    // A disabled account: recovering it re-enables it, which the approver must see.
    const user = objectsOf(await collect(fx.f.graph.readAll("user"))).find((u) => u.properties["accountEnabled"] === true && u.properties["onPremisesSyncEnabled"] !== true && !u.id.startsWith("0a0a0a0a-"))!;
    const drift = new DriftClient(fx.f.sim.url, fx.f.sim.ca);
    try {
      expect((await drift.patch("users", user.id, { accountEnabled: false })).status).toBe(204);
    } finally {
      await drift.close();
    }
    reportId = (await fx.waitForJob((await fx.app.engine.rewind.startDifferenceReport({ userId: ADA.aadObjectId }, { backupId })).id)).id;
    for (const who of [ADA, BEN, RITA]) await fx.say(who, "whoami", CHAT);
  });
  afterAll(async () => {
    await fx?.close();
  });

  it("shows the security-sensitive changes and who may approve; the request and the approval are audited with their count", async () => {
    const mark = fx.connector.calls.length;
    await fx.say(ADA, `recover ${reportId}`, CHAT);
    const card = cardOf(fx.connector.calls.slice(mark).find((x) => x.kind === "reply")!);
    const text = cardText(card);
    expect(text).toContain("Security-sensitive: 1 change weakens or widens the tenant's security");
    expect(text).toContain("Re-enables a disabled account: it can sign in again.");
    expect(text).toContain("A Backup Administrator or Global Administrator other than Ada Admin");

    const request = (await fx.app.store.listRecoveryRequests(DEMO_TENANT_ID, { pendingOnly: true }))[0]!;
    const approval = { requestId: request.id, reportId: request.reportId, digest: request.digest };
    expect((await fx.click(BEN, "recovery.approve", approval, CHAT)).status).toBe(200);
    await fx.waitForJob((await fx.app.store.getRecoveryRequest(DEMO_TENANT_ID, request.id))!.recoveryJobId!);
    const audit = await fx.app.store.listAudit(DEMO_TENANT_ID, { limit: 50 });
    for (const action of ["recoveryRequested", "recoveryApproved"] as const) {
      expect(audit.find((a) => a.action === action && a.target === request.id)?.details).toMatchObject({ sensitiveChanges: 1 });
    }
    expect(audit.find((a) => a.action === "changeApplied" && a.details?.["sensitive"])).toBeDefined();
  });

  it("while a reader's report holds the job slot: says whose and since when, and an administrator can cancel it from the card", async () => {
    fx.f.sim.setFaults({ latencyMs: 1500 }); // a report that takes a while
    try {
      const running = await fx.app.engine.rewind.startDifferenceReport({ userId: RITA.aadObjectId }, { backupId });
      const mark = fx.connector.calls.length;
      await fx.say(ADA, `recover ${reportId}`, CHAT);
      const card = cardOf(fx.connector.calls.slice(mark).find((x) => x.kind === "reply")!);
      expect(cardText(card)).toContain("A difference report holds the tenant's job slot");
      expect(cardText(card)).toContain("Started by Rita Reader");
      const cancel = buttonsOf(card).find((b) => b.verb === "job.cancel");
      expect(cancel).toMatchObject({ title: "Cancel the running job", data: { jobId: running.id } });

      const click = await fx.click(ADA, "job.cancel", cancel!.data, CHAT);
      expect(click.status).toBe(200);
      expect((await fx.waitForJob(running.id)).state).toBe("canceled");
    } finally {
      fx.f.sim.setFaults({});
    }
  });
});
