/**
 * A card click costs one call to the engine's façade, which reads the clicker's roles once and the store only
 * for what the card shows: counted on the real app, with a counting proxy between the engine and its store and
 * a count of the role look-ups and façade calls. Background work (the runner's polling, the job watcher) is
 * stopped while a click is counted, so what is counted is the click's alone.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Store } from "../../core/ports";
import { Rewind } from "../../core/rewind";
import { DriftClient } from "../../sim/drift";
import { DEMO_TENANT_ID } from "../../sim/index";
import { collect, objectsOf } from "../graph/gateway-fixture";
import { ADA, BEN, RITA, startBotFixture, type BotFixture } from "./bot-fixture";
import { cardText } from "./fake-connector";

jest.setTimeout(120_000);

const CHAT = { conversationId: "19:cost@thread.v2", conversationType: "groupChat" as const };

/** Every store call, by method name. */
const storeCalls: string[] = [];

function counting(store: Store): Store {
  return new Proxy(store, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        storeCalls.push(String(name));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

describe("what a card click costs", () => {
  let fx: BotFixture;
  let reportId: string;
  /** What one click did: façade calls, role look-ups (by user) and store calls (by method). */
  let measure: (click: () => Promise<unknown>) => Promise<{ facade: string[]; roles: string[]; store: Record<string, number> }>;

  beforeAll(async () => {
    fx = await startBotFixture({}, { wrapStore: counting });
    const rewind = fx.app.engine.rewind;
    const backupId = (await rewind.takeBackup({ userId: ADA.aadObjectId })).id;
    // One change to recover: an account disabled since the backup.
    const user = objectsOf(await collect(fx.f.graph.readAll("user"))).find((u) => u.properties["accountEnabled"] === true && u.properties["onPremisesSyncEnabled"] !== true && !u.id.startsWith("0a0a0a0a-"))!;
    const drift = new DriftClient(fx.f.sim.url, fx.f.sim.ca);
    try {
      expect((await drift.patch("users", user.id, { accountEnabled: false })).status).toBe(204);
    } finally {
      await drift.close();
    }
    reportId = (await fx.waitForJob((await rewind.startDifferenceReport({ userId: ADA.aadObjectId }, { backupId })).id)).id;
    for (const who of [ADA, BEN, RITA]) await fx.say(who, "whoami", CHAT);

    // Every method of the façade, counted when called from outside it (its calls to itself run inside `within`).
    const facade: string[] = [];
    const within = new AsyncLocalStorage<true>();
    for (const name of Object.getOwnPropertyNames(Rewind.prototype)) {
      const method: unknown = Reflect.get(rewind, name);
      if (name === "constructor" || typeof method !== "function") continue;
      Reflect.set(rewind, name, (...args: unknown[]) => {
        if (within.getStore()) return (method as (...a: unknown[]) => unknown).apply(rewind, args);
        facade.push(name);
        return within.run(true, () => (method as (...a: unknown[]) => unknown).apply(rewind, args));
      });
    }
    const roles = jest.spyOn(fx.app.engine.access, "rolesOf");
    measure = async (click) => {
      await fx.app.bot.watcher.stop();
      await fx.app.engine.runner.stop();
      facade.length = 0;
      storeCalls.length = 0;
      roles.mockClear();
      try {
        await click();
        return {
          facade: [...facade],
          roles: roles.mock.calls.map(([userId]) => userId),
          store: storeCalls.reduce<Record<string, number>>((counts, name) => ({ ...counts, [name]: (counts[name] ?? 0) + 1 }), {}),
        };
      } finally {
        await fx.app.engine.runner.start();
        fx.app.bot.watcher.start();
      }
    };
  });
  afterAll(async () => {
    await fx?.close();
  });

  it("the request card: one façade call, the clicker's roles read once, and four kinds of store read, each once", async () => {
    await fx.say(ADA, `recover ${reportId}`, CHAT);
    const request = (await fx.app.store.listRecoveryRequests(DEMO_TENANT_ID, { pendingOnly: true }))[0]!;
    const data = { requestId: request.id, reportId: request.reportId, digest: request.digest };
    let answer: Awaited<ReturnType<BotFixture["click"]>> | undefined;
    const cost = await measure(async () => (answer = await fx.click(BEN, "recovery.view", data, CHAT)));

    expect(answer?.status).toBe(200);
    expect(cardText(answer?.body?.value)).toContain("Approve");
    expect(cost.facade).toEqual(["viewRecoveryRequest"]);
    // Ben's roles once; Ada (the requester: a second approver is required) is never asked about; Rita once, to
    // name who may approve in the card's refresh.
    expect(cost.roles.filter((userId) => userId === BEN.aadObjectId)).toHaveLength(1);
    expect(cost.roles).not.toContain(ADA.aadObjectId);
    expect(cost.roles.filter((userId) => userId === RITA.aadObjectId)).toHaveLength(1);
    expect(cost.store).toEqual({ getRecoveryRequest: 1, getJob: 1, readChanges: 1, listActiveJobs: 1 });
  });

  it("a page of a report's changes, filtered: one façade call, one role read, the job and one page of changes", async () => {
    let answer: Awaited<ReturnType<BotFixture["click"]>> | undefined;
    const cost = await measure(async () => (answer = await fx.click(BEN, "changes.page", { jobId: reportId, page: 1, type: "user" }, CHAT)));
    expect(answer?.status).toBe(200);
    expect(cost.facade).toEqual(["viewResultsPage"]);
    expect(cost.roles).toEqual([BEN.aadObjectId]);
    expect(cost.store).toEqual({ getJob: 1, readChanges: 1 });
  });

  it("a finished report's card and a finished recovery's card: one façade call, one role read, the job and its first results", async () => {
    const report = await measure(() => fx.click(BEN, "job.refresh", { jobId: reportId }, CHAT));
    expect(report.facade).toEqual(["viewJob"]);
    expect(report.roles).toEqual([BEN.aadObjectId]);
    expect(report.store).toEqual({ getJob: 1, readChanges: 1 });

    const request = (await fx.app.store.listRecoveryRequests(DEMO_TENANT_ID, { pendingOnly: true }))[0]!;
    const recovery = await fx.app.engine.rewind.startRecovery({ userId: BEN.aadObjectId }, { requestId: request.id, reportId: request.reportId, digest: request.digest });
    await fx.waitForJob(recovery.id);
    const result = await measure(() => fx.click(BEN, "job.refresh", { jobId: recovery.id }, CHAT));
    expect(result.facade).toEqual(["viewJob"]);
    expect(result.roles).toEqual([BEN.aadObjectId]);
    // The failed changes come from the failed-change index (none failed here: nothing more is read).
    expect(result.store).toEqual({ getJob: 1, failedSeqs: 1 });
  });
});
