import { spawn } from "node:child_process";
import path from "node:path";
import pino from "pino";
import type { Job } from "../../core/model/job";
import { startCosmosTestServer, type CosmosTestServer } from "../contract/cosmos-temp";
import { LineChild } from "../contract/line-child";
import { openCosmosTestStores } from "../engine/cosmos-test-store";
import { FakeConnector } from "./fake-connector";

jest.setTimeout(120_000);

const REPO = path.resolve(__dirname, "../..");
const TENANT = "d0d0d0d0-0000-4000-8000-00000000d0d0";
const JOB = "7b7b7b7b-0000-4000-8000-000000000001";
const CHAT = "a:replica-chat";

/**
 * Issue 5's third replica rule: two bot processes share one Cosmos database and both sweep the same finished
 * job at once, three times each; the conversation gets its result card exactly once.
 */
describe("each alert is sent once by two replicas on one Cosmos store", () => {
  let cosmos: CosmosTestServer;
  let connector: FakeConnector;
  let replicas: LineChild[] = [];
  beforeAll(async () => {
    cosmos = await startCosmosTestServer();
    connector = await new FakeConnector().start();
  });
  afterAll(async () => {
    for (const r of replicas) if (r.proc.exitCode === null) r.proc.kill("SIGKILL");
    await connector?.close();
    await cosmos?.close();
  });

  it("sends the result of a finished job once, however many sweeps race for it", async () => {
    const { databaseId } = await cosmos.freshDatabase();
    const { store, conversations, close } = await openCosmosTestStores(cosmos.endpoint, databaseId, pino({ level: "silent" }));
    const now = new Date().toISOString();
    await conversations.saveConversation(TENANT, {
      conversationId: CHAT,
      conversationType: "personal",
      reference: { serviceUrl: connector.url, channelId: "msteams", conversation: { id: CHAT, tenantId: TENANT }, bot: { id: "28:rewind" }, user: { id: "29:ada" } },
      at: now,
    });
    const job: Job = {
      tenantId: TENANT,
      id: JOB,
      kind: "differenceReport",
      backupId: "2026-11-25T02:00:00Z",
      state: "queued",
      scope: {},
      requestedBy: "0a0a0a0a-0000-4000-8000-000000000001",
      createdAt: now,
      progress: { done: 0, total: null, estimatedCompletionAt: null },
      cancelRequested: false,
    };
    const created = await store.createJob(job);
    await store.updateJob({ ...created, job: { ...job, state: "succeeded", completedAt: now, summary: { total: 0, notRecoverable: 0, byType: {}, links: 0 } } });
    await conversations.addPostedCard({ tenantId: TENANT, subject: `job:${JOB}`, conversationId: CHAT, activityId: null, postedAt: now, updatedAt: now, fingerprint: "queued" });

    const args = JSON.stringify({ endpoint: cosmos.endpoint, databaseId, tenantId: TENANT });
    replicas = [0, 1].map(() => new LineChild(spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "alert-child.ts"), args], { cwd: REPO, stdio: ["pipe", "pipe", "pipe"] }), "replica"));
    for (const r of replicas) expect(await r.next()).toBe("ready");
    for (const r of replicas) r.send("go");
    for (const r of replicas) expect(await r.next()).toBe("swept");
    // Once more, later: a sweep after the send finds nothing owed.
    for (const r of replicas) r.send("go");
    for (const r of replicas) expect(await r.next()).toBe("swept");
    for (const r of replicas) r.send("exit");

    const results = connector.calls.filter((c) => c.conversationId === CHAT && JSON.stringify(c.activity).includes(JOB));
    expect(results).toHaveLength(1);
    expect(await conversations.alertSent(TENANT, `job:${JOB}:finished:${CHAT}`)).toBe(true);
    await close();
  });
});
