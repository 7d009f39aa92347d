import { CosmosClient } from "@azure/cosmos";
import https from "node:https";
import pino from "pino";
import { openCosmosConversationStore } from "../../bot/conversations/cosmos/cosmos-conversation-store";
import { openContainers } from "../../core/store/cosmos/cosmos-containers";
import { conversationStoreContract } from "./conversation-store-contract";
import { startCosmosTestServer, type CosmosTestServer } from "./cosmos-temp";

const silent = pino({ level: "silent" });
let server: CosmosTestServer;

beforeAll(async () => {
  server = await startCosmosTestServer();
}, 60_000);
afterAll(async () => {
  await server?.close();
});

// @vercel/cosmosdb-server never expires documents by TTL: retention is checked through the explicit purge,
// which the contract covers.
/** The bot's store in a fresh database beside the engine's containers, as production opens it. */
async function freshStore() {
  const database = (await server.freshContainers()).jobs.database;
  return { database, store: await openCosmosConversationStore(database, silent) };
}

conversationStoreContract("CosmosConversationStore", async () => {
  const { database, store } = await freshStore();
  return { store, close: async () => void (await database.delete()) };
});

describe("CosmosConversationStore: two replicas on one database", () => {
  const TENANT = "5a5a5a5a-0000-4000-8000-0000000000c6";
  const at = (minutes: number): string => new Date(Date.UTC(2026, 10, 26, 9, minutes)).toISOString();
  const KEY = "job:1:finished:c1";

  it("lets exactly one of two stores (two clients) claim an alert, free or stale, and only the winner complete it", async () => {
    const databaseId = `rewind-race-${Date.now()}`;
    const agent = new https.Agent({ rejectUnauthorized: false, keepAlive: true });
    // A second client: another replica's own connection to the same server and database.
    const other = new CosmosClient({ endpoint: server.endpoint, key: "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==", agent });
    try {
      const a = await openCosmosConversationStore((await openContainers(server.client, databaseId)).database, silent);
      const b = await openCosmosConversationStore((await openContainers(other, databaseId)).database, silent);
      for (const [round, key] of [KEY, `${KEY}:again`].entries()) {
        const dead = round === 1;
        // Round 2: a replica that claimed the key an hour ago and died; its claim is stale, so one replica takes it over.
        if (dead) expect(await a.claimAlert(TENANT, key, "dead", at(0), at(0))).toBe(true);
        const results = await Promise.all([a.claimAlert(TENANT, key, "replica-a", at(60), at(55)), b.claimAlert(TENANT, key, "replica-b", at(60), at(55))]);
        expect(results.filter(Boolean)).toHaveLength(1);
        const [winner, loser] = results[0] ? (["replica-a", "replica-b"] as const) : (["replica-b", "replica-a"] as const);
        // The claim is the winner's: the loser's (or the dead replica's) completion counts for nothing, seen from either store.
        await b.completeAlert(TENANT, key, loser, at(61));
        await a.completeAlert(TENANT, key, "dead", at(61));
        expect(await a.alertSent(TENANT, key)).toBe(false);
        await (winner === "replica-a" ? a : b).completeAlert(TENANT, key, winner, at(61));
        expect(await a.alertSent(TENANT, key)).toBe(true);
        expect(await b.alertSent(TENANT, key)).toBe(true);
        expect(await b.claimAlert(TENANT, key, loser, at(500), at(499))).toBe(false);
      }
    } finally {
      other.dispose();
      agent.destroy();
    }
  });
});

describe("CosmosConversationStore: documents and ids", () => {
  const TENANT = "5a5a5a5a-0000-4000-8000-0000000000c7";
  const at = (minutes: number): string => new Date(Date.UTC(2026, 10, 26, 9, minutes)).toISOString();
  const member = (n: number) => ({ userId: `user-${n}`, channelUserId: `29:user-${n}`, lastSeenAt: at(n) });

  it("stores ids Cosmos would refuse as given ('/', '?', '#', '\\', over 255 characters): conversations, cards and alert keys", async () => {
    const { store } = await freshStore();
    const odd = `19:a/b?c#d\\e@thread.v2-${"x".repeat(300)}`;
    await store.saveConversation(TENANT, { conversationId: odd, conversationType: "channel", reference: { conversation: { id: odd } }, member: member(1), at: at(1) });
    expect((await store.getConversation(TENANT, odd))?.conversationId).toBe(odd);
    await store.addPostedCard({ tenantId: TENANT, subject: `job:${odd}`, conversationId: odd, activityId: `1/${odd}`, postedAt: at(1), updatedAt: at(1), fingerprint: "f" });
    expect(await store.touchPostedCard(TENANT, `job:${odd}`, odd, `1/${odd}`, at(1), { updatedAt: at(2), fingerprint: "g" })).toBe(true);
    expect(await store.claimAlert(TENANT, `job:1:finished:${odd}`, "p", at(1), at(0))).toBe(true);
    await store.completeAlert(TENANT, `job:1:finished:${odd}`, "p", at(2));
    expect(await store.alertSent(TENANT, `job:1:finished:${odd}`)).toBe(true);
    await store.deleteConversation(TENANT, odd);
    expect(await store.listConversations(TENANT)).toEqual([]);
    expect(await store.listPostedCards(TENANT, `job:${odd}`)).toEqual([]);
  });

  it("keeps every member when two replicas save the same conversation at once (the etag makes the loser merge again)", async () => {
    const { database, store: a } = await freshStore();
    const b = await openCosmosConversationStore(database, silent);
    const reference = { conversation: { id: "c1" } };
    await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) => (n % 2 ? a : b).saveConversation(TENANT, { conversationId: "c1", conversationType: "groupChat", reference, member: member(n), at: at(n) })),
    );
    expect((await a.getConversation(TENANT, "c1"))?.members.map((m) => m.userId)).toEqual(["user-6", "user-5", "user-4", "user-3", "user-2", "user-1"]);
  });

  it("fails loudly on a damaged stored document rather than pass it on as data", async () => {
    const { store } = await freshStore();
    await store.saveConversation(TENANT, { conversationId: "c1", conversationType: "personal", reference: {}, member: member(1), at: at(1) });
    await store.container.item("conv:c1", TENANT).patch([{ op: "set", path: "/members", value: { userId: "u1" } }]);
    await expect(store.getConversation(TENANT, "c1")).rejects.toThrow(/Stored conversation c1 is malformed/);
    await expect(store.listConversations(TENANT)).rejects.toThrow(/malformed/);
    // Saving over it does not paper over it (the people seen there would be lost without a word).
    await expect(store.saveConversation(TENANT, { conversationId: "c1", conversationType: "personal", reference: {}, at: at(2) })).rejects.toThrow(/malformed/);

    await store.claimAlert(TENANT, "k", "p", at(1), at(0));
    const [doc] = (await store.container.items.query({ query: "SELECT * FROM c WHERE c.pk = @pk AND c.kind = 'alert'", parameters: [{ name: "@pk", value: TENANT }] }).fetchAll()).resources;
    await store.container.item(String(doc!.id), TENANT).patch([{ op: "set", path: "/sentAt", value: 7 }]);
    await expect(store.alertSent(TENANT, "k")).rejects.toThrow(/Stored alert claim k is malformed/);
  });
});
