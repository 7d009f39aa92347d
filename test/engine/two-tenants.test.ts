/**
 * Two deployments of Rewind, for two tenants, share one store (a SQLite file; a Cosmos DB database): what a
 * second organization, or a test tenant beside production, would do. Each runs, alerts and purges only its
 * own: a job of tenant B queued while B's runner is stopped is never claimed by A (A's Graph credentials would
 * read, and a recovery write, A's directory); A's retention with a short AUDIT_RETENTION_DAYS leaves B's audit
 * entries; A's watcher never posts B's job results.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { startRewindApp, type RewindApp } from "../../app/rewind-app";
import type { OpenedStore } from "../../app/open-store";
import { isTerminal, type Job } from "../../core/model/job";
import type { JobRecord } from "../../core/model/job-record";
import type { Store } from "../../core/ports";
import { openSqliteConversationStore } from "../../bot/conversations/sqlite/sqlite-conversation-store";
import { SqliteStore } from "../../core/store/sqlite/sqlite-store";
import { DEMO_TENANT_ID } from "../../sim/index";
import { FakeConnector, type ConnectorCall } from "../bot/fake-connector";
import { startCosmosTestServer, type CosmosTestServer } from "../contract/cosmos-temp";
import { startFixture, type Fixture } from "../graph/gateway-fixture";
import { openCosmosTestStores } from "./cosmos-test-store";
import { ADA } from "./engine-fixture";

jest.setTimeout(300_000);

const DAY = 86_400_000;
const log = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

/** One deployment: its tenant's simulator, its app (engine and bot) on the shared store, its Bot Connector. */
interface Deployment {
  readonly tenantId: string;
  readonly f: Fixture;
  readonly app: RewindApp;
  readonly connector: FakeConnector;
  readonly alerts: string;
}

/** Where the shared store lives; each deployment (and the test itself) opens its own handle on it. */
interface SharedStore {
  open(): Promise<OpenedStore>;
  close(): Promise<void>;
}

async function sharedSqlite(): Promise<SharedStore> {
  const dir = mkdtempSync(path.join(tmpdir(), "rewind-two-tenants-"));
  const file = path.join(dir, "rewind.db");
  return {
    async open() {
      const store = SqliteStore.open({ file });
      const conversations = openSqliteConversationStore({ file });
      return {
        store,
        conversations,
        where: file,
        close: async () => {
          conversations.close();
          store.close();
        },
      };
    },
    async close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function sharedCosmos(server: CosmosTestServer): Promise<SharedStore> {
  const { databaseId } = await server.freshDatabase();
  return {
    async open() {
      return openCosmosTestStores(server.endpoint, databaseId, log);
    },
    async close() {},
  };
}

async function deploy(f: Fixture, shared: SharedStore, env: Record<string, string>): Promise<Deployment> {
  const connector = await new FakeConnector().start();
  const tenantId = f.sim.tenantId;
  const alerts = `19:alerts-${tenantId}@thread.tacv2`;
  const app = await startRewindApp(
    { TENANT_ID: tenantId, BOT_PORT: "0", BOT_HOST: "127.0.0.1", ALERTS_CONVERSATION_ID: alerts, CARD_UPDATE_SECONDS: "1", ...env },
    f.graph,
    log,
    {
      engine: { scheduleBackups: false, runner: { leaseMs: 3_000, heartbeatMs: 200, pollMs: 300 } },
      bot: { sender: { backoffMs: 20, spacingMs: 5 }, watcher: { tickMs: 200, sweepMs: 300, claimStaleMs: 5_000 } },
      store: await shared.open(),
      allowLocalMode: true,
    },
  );
  // The app is added to the tenant's alerts channel (Teams sends installationUpdate there): its reference is stored.
  const res = await fetch(`${app.bot.server.url}/api/messages`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      type: "installationUpdate",
      action: "add",
      id: `install-${randomUUID()}`,
      serviceUrl: connector.url,
      channelId: "msteams",
      from: { id: "29:installer", name: "Installer", aadObjectId: randomUUID() },
      recipient: { id: "28:rewind-bot", name: "Rewind" },
      conversation: { id: alerts, conversationType: "channel", tenantId },
      channelData: { tenant: { id: tenantId } },
    }),
  });
  expect(res.status).toBeLessThan(300);
  return { tenantId, f, app, connector, alerts };
}

const mentions = (id: string) => (c: ConnectorCall) => JSON.stringify(c.activity).includes(id);

async function waitForEnd(store: Store, tenantId: string, jobId: string, timeoutMs = 60_000): Promise<JobRecord> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const stored = await store.getJob(tenantId, jobId);
    if (stored && isTerminal(stored.job.state)) return stored;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${stored?.job.state ?? "missing"} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A queued report as the façade creates it (tenant B has no demo administrator to ask for one in chat). */
function queuedReport(tenantId: string, backupId: string): Job {
  return {
    tenantId,
    id: randomUUID(),
    kind: "differenceReport",
    backupId,
    state: "queued",
    scope: {},
    requestedBy: randomUUID(),
    createdAt: new Date().toISOString(),
    progress: { done: 0, total: null, estimatedCompletionAt: null },
    cancelRequested: false,
  };
}

describe.each(["SQLite", "Cosmos DB"])("two deployments of two tenants on one %s store", (kind) => {
  let cosmos: CosmosTestServer | undefined;
  let shared: SharedStore;
  let seed: OpenedStore;
  let fa: Fixture;
  let fb: Fixture;
  let a: Deployment | undefined;
  let b: Deployment | undefined;

  beforeAll(async () => {
    if (kind === "Cosmos DB") cosmos = await startCosmosTestServer();
    shared = cosmos ? await sharedCosmos(cosmos) : await sharedSqlite();
    seed = await shared.open();
    // Tenant A: the demo tenant. Tenant B: a small generated one, with its own tenant id.
    fa = await startFixture({ throttling: false });
    fb = await startFixture({ throttling: false, tenant: { seed: 23, users: 40, groups: 6, links: 60, applications: 2, conditionalAccessPolicies: 2, namedLocations: 2 } });
    expect(fb.sim.tenantId).not.toBe(fa.sim.tenantId);
    expect(fa.sim.tenantId).toBe(DEMO_TENANT_ID);
  });
  afterAll(async () => {
    await a?.app.stop();
    await b?.app.stop();
    await a?.connector.close();
    await b?.connector.close();
    await seed?.close();
    await fa?.close();
    await fb?.close();
    await shared?.close();
    await cosmos?.close();
  });

  it("each runs, alerts and purges only its own tenant's jobs, audit entries and cards", async () => {
    const A = fa.sim.tenantId;
    const B = fb.sim.tenantId;
    const now = Date.now();
    const old = (days: number) => new Date(now - days * DAY).toISOString();
    // What the store holds before A starts: 40-day-old audit entries of both tenants, and B's job finished
    // ten days ago with its card.
    await seed.store.appendAudit([
      { tenantId: A, at: old(40), actor: "system", action: "backupTaken", target: "a-old" },
      { tenantId: B, at: old(40), actor: "system", action: "backupTaken", target: "b-old" },
    ]);
    const bOldJob: Job = { ...queuedReport(B, old(11)), createdAt: old(10.1), state: "succeeded", completedAt: old(10) };
    await seed.store.createJob(bOldJob);
    await seed.conversations.addPostedCard({ tenantId: B, subject: `job:${bOldJob.id}`, conversationId: "19:b-chat", activityId: "b-card", postedAt: old(10), updatedAt: old(10), fingerprint: "f" });

    // A keeps audit entries 30 days; its start runs its clean-up.
    a = await deploy(fa, shared, { AUDIT_RETENTION_DAYS: "30" });
    expect((await seed.store.listAudit(A, { limit: 10 })).map((e) => e.target)).not.toContain("a-old");
    expect((await seed.store.listAudit(B, { limit: 10 })).map((e) => e.target)).toEqual(["b-old"]);
    expect(await seed.store.getJob(B, bOldJob.id)).not.toBeNull();
    expect(await seed.conversations.listPostedCards(B, `job:${bOldJob.id}`)).toHaveLength(1);

    // B keeps audit entries a year (the default); its own clean-up removes its own old job and card.
    b = await deploy(fb, shared, {});
    expect((await seed.store.listAudit(B, { limit: 10 })).map((e) => e.target)).toEqual(["b-old"]);
    expect(await seed.store.getJob(B, bOldJob.id)).toBeNull();
    expect(await seed.conversations.listPostedCards(B, `job:${bOldJob.id}`)).toEqual([]);

    // B's runner is stopped (B's process is down) while a job of B waits in the store.
    const bBackup = await b.app.engine.scheduler.takeNow("system");
    await b.app.engine.runner.stop();
    const bJob = queuedReport(B, bBackup.id);
    await seed.store.createJob(bJob);

    // A works as usual meanwhile: its own report runs and its result reaches A's alerts channel.
    const aBackup = await a.app.engine.rewind.takeBackup(ADA);
    const aJob = await a.app.engine.rewind.startDifferenceReport(ADA, { backupId: aBackup.id });
    expect((await waitForEnd(seed.store, A, aJob.id)).job.state).toBe("succeeded");
    await a.connector.waitFor((c) => c.conversationId === a!.alerts && mentions(aJob.id)(c), { what: "A's result in A's alerts channel" });
    // Several of A's polls and alert sweeps later, B's job is untouched: never claimed, never run.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await seed.store.getJob(B, bJob.id)).toMatchObject({ job: { state: "queued" }, run: { attempts: 0 } });
    expect((await seed.store.getJob(B, bJob.id))?.run.lease).toBeUndefined();

    // B comes back and runs its own job; its result goes to B's alerts channel.
    await b.app.engine.runner.start();
    expect(await waitForEnd(seed.store, B, bJob.id)).toMatchObject({ job: { state: "succeeded" }, run: { attempts: 1 } });
    await b.connector.waitFor((c) => c.conversationId === b!.alerts && mentions(bJob.id)(c), { what: "B's result in B's alerts channel" });
    // Even told of B's finished job (as a runner handed the wrong job would tell it), A's watcher posts nothing.
    a.app.bot.events.onFinished((await seed.store.getJob(B, bJob.id))!.job);
    await new Promise((r) => setTimeout(r, 1_000)); // a few more sweeps of both watchers

    // Neither watcher posted the other tenant's job anywhere.
    expect(a.connector.calls.filter(mentions(bJob.id))).toEqual([]);
    expect(b.connector.calls.filter(mentions(aJob.id))).toEqual([]);
    expect(a.connector.calls.every((c) => c.conversationId === a!.alerts)).toBe(true);
    expect(b.connector.calls.every((c) => c.conversationId === b!.alerts)).toBe(true);
    // Each tenant's audit trail tells of its own jobs only.
    expect(JSON.stringify(await seed.store.listAudit(A, { limit: 50 }))).not.toContain(bJob.id);
    expect(JSON.stringify(await seed.store.listAudit(B, { limit: 50 }))).not.toContain(aJob.id);
  });
});
