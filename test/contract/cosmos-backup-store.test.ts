import pino from "pino";
import type { BackupBatch } from "../../core/ports";
import { CosmosBackupStore } from "../../core/store/cosmos/cosmos-backup-store";
import { backupStoreContract } from "./backup-store-contract";
import { startCosmosTestServer, type CosmosTestServer } from "./cosmos-temp";

jest.setTimeout(120_000);

const log = pino({ level: "silent" });
let server: CosmosTestServer;

beforeAll(async () => {
  server = await startCosmosTestServer();
});
afterAll(async () => {
  await server.close();
});

// A fresh database per test keeps tests apart.
backupStoreContract("CosmosBackupStore", async () => ({
  store: new CosmosBackupStore(await server.freshContainers(), log),
  close: async () => {},
}));

// Again with groups of 150 objects, so the contract's larger backups (2,000 and 200 objects) are sealed in
// several groups, and new bodies are read both by id range (a first backup) and by id list (later ones).
backupStoreContract("CosmosBackupStore sealing in groups of 150", async () => ({
  store: new CosmosBackupStore(await server.freshContainers(), log, { groupObjects: 150, freshByIds: 40 }),
  close: async () => {},
}));

describe("CosmosBackupStore write operations", () => {
  it("stores a 10,000-object backup in batches of 500 with at most one write operation per 20 objects", async () => {
    const store = new CosmosBackupStore(await server.freshContainers(), log);
    const tenant = "c0ffee00-0000-4000-8000-0000000000aa";
    const id = "2026-11-21T02:00:00Z";
    const objects = 10_000;
    await store.beginBackup(tenant, { id, trigger: "scheduled", startedAt: id });
    for (let i = 0; i < objects; i += 500) {
      const batch: BackupBatch = {
        objects: Array.from({ length: 500 }, (_, k) => ({
          type: "user" as const,
          id: `user-${String((i + k) * 7919 % objects).padStart(6, "0")}`,
          deleted: false,
          properties: { displayName: `User ${i + k}`, mail: `user${i + k}@contoso.example`, department: `Dept ${(i + k) % 9}` },
        })),
        links: Array.from({ length: 500 }, (_, k) => ({
          type: "user" as const,
          id: `user-${String((i + k) * 7919 % objects).padStart(6, "0")}`,
          link: "manager" as const,
          targets: [`user-${String((i + k) % 100).padStart(6, "0")}`],
        })),
      };
      await store.addToBackup(tenant, id, batch);
    }
    const summary = await store.completeBackup(tenant, id, id);
    expect(summary.counts).toEqual({ user: { live: objects, deleted: 0 } });
    expect(summary.links).toBe(objects);
    expect(store.writeOperations).toBeLessThanOrEqual(objects / 20);

    // And it reads back whole and sorted.
    let count = 0;
    let last = "";
    for await (const batch of store.readBackup(tenant, id)) {
      for (const entry of batch) {
        expect(entry.object.id > last).toBe(true);
        last = entry.object.id;
        count++;
      }
    }
    expect(count).toBe(objects);

    // A second backup of the same objects shares their content: its storage is its index, not a copy.
    const one = await store.backupStorageBytes(tenant);
    const before = store.writeOperations;
    const id2 = "2026-11-22T02:00:00Z";
    await store.beginBackup(tenant, { id: id2, trigger: "scheduled", startedAt: id2 });
    for await (const batch of store.readBackup(tenant, id)) {
      await store.addToBackup(tenant, id2, { objects: batch.map((e) => e.object), links: batch.flatMap((e) => e.links) });
    }
    await store.completeBackup(tenant, id2, id2);
    expect(store.writeOperations - before).toBeLessThanOrEqual(objects / 20);
    expect((await store.backupStorageBytes(tenant)) / one).toBeLessThan(1.25);
  });
});

describe("CosmosBackupStore content written by an earlier version", () => {
  it("reads bodies stored with one-letter fields (p, l) as the same objects, and a later backup shares them", async () => {
    const containers = await server.freshContainers();
    const store = new CosmosBackupStore(containers, log);
    const tenant = "c0ffee00-0000-4000-8000-0000000000ab";
    const b1 = "2026-11-21T02:00:00Z";
    const batch: BackupBatch = {
      objects: [
        { type: "user", id: "u1", deleted: false, properties: { displayName: "U1" } },
        { type: "group", id: "g1", deleted: false, properties: { displayName: "G1" } },
      ],
      links: [{ type: "group", id: "g1", link: "members", targets: ["u1"] }],
    };
    await store.beginBackup(tenant, { id: b1, trigger: "scheduled", startedAt: b1 });
    await store.addToBackup(tenant, b1, batch);
    await store.completeBackup(tenant, b1, b1);
    const read = async (id: string) => {
      const out = [];
      for await (const b of store.readBackup(tenant, id)) out.push(...b);
      return out;
    };
    const expected = await read(b1);

    // Rewrite its content documents as an earlier version wrote them.
    const { resources } = await containers.backupChunks.items
      .query({ query: "SELECT * FROM c WHERE c.pk = @pk AND c.kind = 'content'", parameters: [{ name: "@pk", value: `${tenant}|${b1}` }] })
      .fetchAll();
    expect(resources.length).toBeGreaterThan(0);
    for (const doc of resources as Array<{ bodies: Record<string, { properties: unknown; links?: unknown }> }>) {
      const bodies = Object.fromEntries(Object.entries(doc.bodies).map(([h, b]) => [h, b.links === undefined ? { p: b.properties } : { p: b.properties, l: b.links }]));
      await containers.backupChunks.items.upsert({ ...doc, bodies });
    }
    expect(await read(b1)).toEqual(expected);

    // A later backup of the same objects points at those documents and reads them the same way.
    const b2 = "2026-11-22T02:00:00Z";
    const before = store.writeOperations;
    await store.beginBackup(tenant, { id: b2, trigger: "scheduled", startedAt: b2 });
    await store.addToBackup(tenant, b2, batch);
    await store.completeBackup(tenant, b2, b2);
    expect(store.writeOperations - before).toBeLessThan(8); // header writes, one staged batch, sealed slices: no new content
    expect(await read(b2)).toEqual(expected);
  });
});
