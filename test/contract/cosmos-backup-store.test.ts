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
