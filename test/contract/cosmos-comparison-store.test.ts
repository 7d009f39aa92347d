import pino from "pino";
import { CosmosBackupStore } from "../../core/store/cosmos/cosmos-backup-store";
import { chunkPk } from "../../core/store/cosmos/cosmos-backup-documents";
import { comparisonStoreContract } from "./comparison-store-contract";
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

comparisonStoreContract("CosmosBackupStore", async () => ({ store: new CosmosBackupStore(await server.freshContainers(), log), close: async () => {} }));
// Sealed in groups of 150, so the contract's 1,200 objects cross group boundaries.
comparisonStoreContract("CosmosBackupStore sealing in groups of 150", async () => ({
  store: new CosmosBackupStore(await server.freshContainers(), log, { groupObjects: 150, freshByIds: 40 }),
  close: async () => {},
}));

describe("CosmosBackupStore: comparison snapshots an earlier version kept as backups", () => {
  it("reads their headers but never lists them, and the clean-up by age removes them", async () => {
    const containers = await server.freshContainers();
    const store = new CosmosBackupStore(containers, log);
    const tenant = "c0ffee00-0000-4000-8000-0000000000d1";
    const backupId = "2026-11-21T02:00:00Z";
    await store.beginBackup(tenant, { id: backupId, trigger: "scheduled", startedAt: backupId });
    await store.addToBackup(tenant, backupId, { objects: [{ type: "user", id: "u1", deleted: false, properties: { displayName: "U1" } }], links: [] });
    await store.completeBackup(tenant, backupId, backupId);
    // As an earlier version left them: a completed snapshot with its documents, and one a dead process left open.
    const old = "comparison-job-1";
    await containers.backups.items.create({ id: old, pk: tenant, tenantId: tenant, backupTrigger: "comparison", startedAt: "2026-11-21T03:00:00Z", state: "completed", completedAt: "2026-11-21T03:01:00Z", counts: {}, links: 0, refs: [] });
    await containers.backupChunks.items.create({ id: "staged-1-0", pk: chunkPk(tenant, old), tenantId: tenant, kind: "staged", seq: 1, objects: [], links: [], bytes: 10 });
    await containers.backups.items.create({ id: "comparison-job-2", pk: tenant, tenantId: tenant, backupTrigger: "comparison", startedAt: "2026-11-21T03:00:00Z", state: "open" });

    expect((await store.listBackups(tenant)).map((b) => b.id)).toEqual([backupId]);
    expect(await store.getBackup(tenant, old)).toBeNull();
    expect(await store.listUnfinishedBackups(tenant)).toEqual([]);

    expect(await store.dropComparisonsBegunBefore(tenant, "2026-11-21T02:30:00Z")).toBe(0);
    expect(await store.dropComparisonsBegunBefore(tenant, "2026-11-22T03:00:00Z")).toBe(2);
    const left = await containers.backups.items.query({ query: "SELECT c.id FROM c WHERE c.pk = @pk", parameters: [{ name: "@pk", value: tenant }] }).fetchAll();
    expect(left.resources.map((r: { id: string }) => r.id)).toEqual([backupId]);
    const chunks = await containers.backupChunks.items.query({ query: "SELECT c.id FROM c WHERE c.pk = @pk", parameters: [{ name: "@pk", value: chunkPk(tenant, old) }] }).fetchAll();
    expect(chunks.resources).toEqual([]);
    expect((await store.listBackups(tenant)).map((b) => b.id)).toEqual([backupId]);
  });
});
