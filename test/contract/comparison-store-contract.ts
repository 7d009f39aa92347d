/**
 * The ComparisonStore contract: what every store (SQLite, Cosmos) must do with a job's comparison snapshot,
 * written against the port only. A store's test file calls `comparisonStoreContract` with a factory that opens
 * a fresh, empty store per test.
 */
import type { BackupObject } from "../../core/model/backup";
import { OBJECT_TYPES } from "../../core/model/catalog";
import { StoreConflictError, StoreNotFoundError } from "../../core/model/store-error";
import type { BackupBatch, BackupReadOptions, BackupStore, ComparisonStore, StoredEntry } from "../../core/ports";

/** A fresh store for one test, and how to dispose of it. */
export type OpenComparisonStore = () => Promise<{ store: BackupStore & ComparisonStore; close(): Promise<void> }>;

const TENANT = "c0ffee00-0000-4000-8000-0000000000c1";
const OTHER_TENANT = "c0ffee00-0000-4000-8000-0000000000c2";
const C1 = "comparison-job-1";
const C2 = "comparison-job-2";
const T0 = "2026-11-25T02:00:00.000Z";
const HOUR = 3_600_000;
const at = (hours: number) => new Date(Date.parse(T0) + hours * HOUR).toISOString();

/** A GUID-shaped id whose order differs from `n`'s, so sorting is really tested. */
function guid(n: number, kind = 0): string {
  const scrambled = ((n * 2654435761) >>> 0).toString(16).padStart(8, "0");
  return `${scrambled}-${kind.toString(16).padStart(4, "0")}-4000-8000-${n.toString(16).padStart(12, "0")}`;
}

const user = (n: number, version = 0, deleted = false): BackupObject => ({
  type: "user",
  id: guid(n),
  deleted,
  properties: { displayName: `Person ${n}`, jobTitle: version ? `Title ${version}` : null, otherMails: [`p${n}@fabrikam.example`], nested: { b: 2, a: [1, { z: null }] } },
});
const group = (n: number): BackupObject => ({ type: "group", id: guid(n, 1), deleted: false, properties: { displayName: `Group ${n}`, mailEnabled: false } });
const batch = (objects: BackupObject[], links: BackupBatch["links"] = []): BackupBatch => ({ objects, links });

async function read(store: ComparisonStore, tenantId: string, id: string, options?: BackupReadOptions): Promise<StoredEntry[][]> {
  const out: StoredEntry[][] = [];
  for await (const b of store.readComparison(tenantId, id, options)) out.push([...b]);
  return out;
}
const flat = (batches: StoredEntry[][]) => batches.flat();

export function comparisonStoreContract(name: string, open: OpenComparisonStore): void {
  describe(`ComparisonStore contract: ${name}`, () => {
    let store: BackupStore & ComparisonStore;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ store, close } = await open());
    });
    afterEach(async () => {
      await close();
    });

    it("gives back what was written, sorted by type (catalog order) and id, in bounded batches, with each link's union", async () => {
      await store.beginComparison(TENANT, C1, T0);
      const users = Array.from({ length: 1_200 }, (_, n) => user(n));
      // Links before their object, split over batches, repeated targets, an empty chunk (stored as nothing).
      await store.addToComparison(TENANT, C1, batch([], [{ type: "group", id: guid(3, 1), link: "members", targets: [guid(9), guid(2)] }]));
      for (let i = 0; i < users.length; i += 400) await store.addToComparison(TENANT, C1, batch(users.slice(i, i + 400)));
      await store.addToComparison(TENANT, C1, batch([group(3), group(1)], [
        { type: "group", id: guid(3, 1), link: "members", targets: [guid(2), guid(5)] },
        { type: "group", id: guid(3, 1), link: "owners", targets: [guid(7)] },
        { type: "group", id: guid(1, 1), link: "owners", targets: [] },
      ]));
      // An object written again: the last write wins.
      await store.addToComparison(TENANT, C1, batch([user(4, 1, true)]));
      await store.finishComparison(TENANT, C1);

      const batches = await read(store, TENANT, C1);
      expect(batches.every((b) => b.length > 0 && b.length <= 500)).toBe(true);
      const entries = flat(batches);
      const order = entries.map((e) => [OBJECT_TYPES.indexOf(e.object.type), e.object.id] as const);
      expect(order).toEqual([...order].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)));
      expect(entries).toHaveLength(1_202);
      expect(entries.find((e) => e.object.id === guid(4))?.object).toEqual(user(4, 1, true));
      expect(entries.find((e) => e.object.id === guid(10))).toEqual({ object: user(10), links: [] });
      expect(entries.find((e) => e.object.id === guid(3, 1))?.links).toEqual([
        { type: "group", id: guid(3, 1), link: "members", targets: [guid(2), guid(5), guid(9)].sort() },
        { type: "group", id: guid(3, 1), link: "owners", targets: [guid(7)] },
      ]);
      expect(entries.find((e) => e.object.id === guid(1, 1))?.links).toEqual([]);
    });

    it("keeps no links for an object that never arrived", async () => {
      await store.beginComparison(TENANT, C1, T0);
      await store.addToComparison(TENANT, C1, batch([user(1)], [{ type: "user", id: guid(2), link: "manager", targets: [guid(1)] }]));
      await store.finishComparison(TENANT, C1);
      expect(flat(await read(store, TENANT, C1))).toEqual([{ object: user(1), links: [] }]);
    });

    it("narrows a read to some types, some ids, or both", async () => {
      await store.beginComparison(TENANT, C1, T0);
      await store.addToComparison(TENANT, C1, batch([user(1), user(2), user(3), group(1), group(2)]));
      await store.finishComparison(TENANT, C1);
      const ids = (options: BackupReadOptions) => read(store, TENANT, C1, options).then((b) => flat(b).map((e) => e.object.id));
      expect(await ids({ types: ["group"] })).toEqual([guid(1, 1), guid(2, 1)].sort());
      expect(await ids({ ids: [guid(3), guid(1, 1), guid(3), guid(99)] })).toEqual([guid(3), guid(1, 1)]);
      expect(await ids({ types: ["user"], ids: [guid(2), guid(2, 1)] })).toEqual([guid(2)]);
      expect(await ids({ ids: [] })).toEqual([]);
    });

    it("follows its lifecycle: begun once, written while open, read once finished", async () => {
      await expect(store.addToComparison(TENANT, C1, batch([user(1)]))).rejects.toBeInstanceOf(StoreNotFoundError);
      await expect(store.finishComparison(TENANT, C1)).rejects.toBeInstanceOf(StoreNotFoundError);
      await store.beginComparison(TENANT, C1, T0);
      await expect(store.beginComparison(TENANT, C1, T0)).rejects.toBeInstanceOf(StoreConflictError);
      await store.addToComparison(TENANT, C1, batch([user(1)]));
      await expect(read(store, TENANT, C1)).rejects.toBeInstanceOf(StoreNotFoundError);
      await store.finishComparison(TENANT, C1);
      await expect(store.addToComparison(TENANT, C1, batch([user(2)]))).rejects.toBeInstanceOf(StoreNotFoundError);
      await expect(store.finishComparison(TENANT, C1)).rejects.toBeInstanceOf(StoreNotFoundError);
      await expect(read(store, TENANT, C2)).rejects.toBeInstanceOf(StoreNotFoundError);
      expect(flat(await read(store, TENANT, C1))).toHaveLength(1);
    });

    it("drops a snapshot in any state, frees its id, and an unknown one is a no-op", async () => {
      await store.dropComparison(TENANT, C1);
      await store.beginComparison(TENANT, C1, T0);
      await store.addToComparison(TENANT, C1, batch([user(1)], [{ type: "user", id: guid(1), link: "manager", targets: [guid(2)] }]));
      await store.dropComparison(TENANT, C1);
      await expect(store.addToComparison(TENANT, C1, batch([user(2)]))).rejects.toBeInstanceOf(StoreNotFoundError);
      await store.beginComparison(TENANT, C1, T0);
      await store.addToComparison(TENANT, C1, batch([user(3)]));
      await store.finishComparison(TENANT, C1);
      // The new snapshot holds only what it was given: nothing of the dropped one came back.
      expect(flat(await read(store, TENANT, C1)).map((e) => e.object.id)).toEqual([guid(3)]);
      await store.dropComparison(TENANT, C1);
      await expect(read(store, TENANT, C1)).rejects.toBeInstanceOf(StoreNotFoundError);
      await store.dropComparison(TENANT, C1);
    });

    it("drops the tenant's snapshots begun before a time (those dead processes left), never another tenant's", async () => {
      await store.beginComparison(TENANT, C1, at(0));
      await store.addToComparison(TENANT, C1, batch([user(1)]));
      await store.beginComparison(TENANT, C2, at(1));
      await store.addToComparison(TENANT, C2, batch([user(2)]));
      await store.finishComparison(TENANT, C2);
      await store.beginComparison(TENANT, "comparison-recent", at(30));
      await store.beginComparison(OTHER_TENANT, C1, at(0));

      expect(await store.dropComparisonsBegunBefore(TENANT, at(24))).toBe(2);
      await expect(read(store, TENANT, C2)).rejects.toBeInstanceOf(StoreNotFoundError);
      await store.beginComparison(TENANT, C1, at(40)); // its id is free again
      await expect(store.beginComparison(TENANT, "comparison-recent", at(40))).rejects.toBeInstanceOf(StoreConflictError);
      await expect(store.beginComparison(OTHER_TENANT, C1, at(40))).rejects.toBeInstanceOf(StoreConflictError);
      expect(await store.dropComparisonsBegunBefore(TENANT, at(24))).toBe(0);
      await expect(store.dropComparisonsBegunBefore(TENANT, "yesterday")).rejects.toThrow();
    });

    it("keeps tenants apart: the same id in two tenants holds two snapshots", async () => {
      await store.beginComparison(TENANT, C1, T0);
      await store.beginComparison(OTHER_TENANT, C1, T0);
      await store.addToComparison(TENANT, C1, batch([user(1)]));
      await store.addToComparison(OTHER_TENANT, C1, batch([user(2)]));
      await store.finishComparison(TENANT, C1);
      await store.finishComparison(OTHER_TENANT, C1);
      await store.dropComparison(OTHER_TENANT, C1);
      expect(flat(await read(store, TENANT, C1)).map((e) => e.object.id)).toEqual([guid(1)]);
    });

    it("is no backup: never listed, never unfinished, never counted in the backups' storage", async () => {
      const before = await store.backupStorageBytes(TENANT);
      await store.beginComparison(TENANT, C1, T0);
      await store.addToComparison(TENANT, C1, batch([user(1), user(2)]));
      await store.beginComparison(TENANT, C2, T0);
      await store.addToComparison(TENANT, C2, batch([user(1)]));
      await store.finishComparison(TENANT, C2);
      expect(await store.listBackups(TENANT)).toEqual([]);
      expect(await store.listUnfinishedBackups(TENANT)).toEqual([]);
      expect(await store.getBackup(TENANT, C2)).toBeNull();
      expect(await store.backupStorageBytes(TENANT)).toBe(before);
      // A backup and a snapshot never meet, even under one id.
      await store.beginBackup(TENANT, { id: C2, trigger: "scheduled", startedAt: T0 });
      await store.abandonBackup(TENANT, C2);
      expect(flat(await read(store, TENANT, C2))).toHaveLength(1);
    });
  });
}
