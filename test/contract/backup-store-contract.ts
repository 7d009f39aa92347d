/**
 * The BackupStore contract: what every store (SQLite, Cosmos) must do, written against the port only.
 * A store's test file calls `backupStoreContract` with a factory that opens a fresh, empty store per test.
 */
import type { BackupLinks, BackupObject, BackupSummary } from "../../core/model/backup";
import { OBJECT_TYPES, type LinkName, type ObjectType } from "../../core/model/catalog";
import { StoreConflictError, StoreNotFoundError } from "../../core/model/store-error";
import type { BackupBatch, BackupReadOptions, BackupStore } from "../../core/ports";

/** A fresh store for one test, and how to dispose of it. */
export type OpenStore = () => Promise<{ store: BackupStore; close(): Promise<void> }>;

type Entry = { object: BackupObject; links: ReadonlyArray<BackupLinks> };

const TENANT = "c0ffee00-0000-4000-8000-000000000001";
const OTHER_TENANT = "c0ffee00-0000-4000-8000-000000000002";
const B1 = "2026-11-21T02:00:00Z";
const B2 = "2026-11-22T02:00:00Z";
const B3 = "2026-11-23T02:00:00Z";
const B4 = "2026-11-24T02:00:00Z";
const B5 = "2026-11-25T02:00:00Z";
const ADMIN = "0a0a0a0a-0000-4000-8000-000000000001";

/** A GUID-shaped id whose order differs from `n`'s, so sorting is really tested. */
function guid(n: number, kind = 0): string {
  const scrambled = ((n * 2654435761) >>> 0).toString(16).padStart(8, "0");
  return `${scrambled}-${kind.toString(16).padStart(4, "0")}-4000-8000-${n.toString(16).padStart(12, "0")}`;
}

/** A user with the 33 supported properties, as Graph would give them; `version` changes a few. */
function user(n: number, version = 0, deleted = false): BackupObject {
  return {
    type: "user",
    id: guid(n),
    deleted,
    properties: {
      accountEnabled: n % 17 !== 0,
      ageGroup: null,
      city: `City ${n % 31}`,
      companyName: "Contoso",
      consentProvidedForMinor: null,
      country: "Netherlands",
      department: `Department ${n % 13}`,
      displayName: `Person ${n}${version ? ` (v${version})` : ""}`,
      employeeHireDate: "2021-03-01T00:00:00Z",
      employeeId: `E${100000 + n}`,
      employeeLeaveDateTime: null,
      employeeOrgData: { division: `Division ${n % 5}`, costCenter: `CC${n % 7}` },
      employeeType: "Employee",
      faxNumber: null,
      givenName: `Given${n}`,
      jobTitle: version ? `Title ${version}` : `Engineer ${n % 9}`,
      mail: `person${n}@contoso.example`,
      mailNickname: `person${n}`,
      mobilePhone: `+31 6 ${String(n).padStart(8, "0")}`,
      otherMails: [`p${n}@fabrikam.example`],
      passwordPolicies: "DisablePasswordExpiration",
      officeLocation: `Building ${n % 4}`,
      postalCode: `${1000 + (n % 8000)} AB`,
      preferredDataLocation: null,
      preferredLanguage: "nl-NL",
      state: "Noord-Holland",
      streetAddress: `${n % 250} Keizersgracht`,
      surname: `Surname${n}`,
      businessPhones: [`+31 20 ${String(n).padStart(7, "0")}`],
      usageLocation: "NL",
      userPrincipalName: `person${n}@contoso.onmicrosoft.com`,
      userType: n % 50 === 0 ? "Guest" : "Member",
      onPremisesSyncEnabled: null,
    },
  };
}

function group(n: number, version = 0): BackupObject {
  return {
    type: "group",
    id: guid(n, 1),
    deleted: false,
    properties: {
      classification: null,
      description: `Group ${n}${version ? ` v${version}` : ""}`,
      displayName: `Group ${n}`,
      groupTypes: n % 2 ? ["Unified"] : [],
      visibility: "Private",
      mail: null,
      mailEnabled: false,
      mailNickname: `group${n}`,
      preferredDataLocation: null,
      preferredLanguage: null,
      securityEnabled: true,
      theme: null,
    },
  };
}

const obj = (type: ObjectType, id: string, properties: Record<string, unknown> = { displayName: id }, deleted = false): BackupObject => ({
  type,
  id,
  deleted,
  properties,
});
const links = (type: ObjectType, id: string, link: LinkName, targets: string[]): BackupLinks => ({ type, id, link, targets });
const batch = (objects: BackupObject[], linkChunks: BackupLinks[] = []): BackupBatch => ({ objects, links: linkChunks });

/** Every entry of a read, its batches flattened; also the batch sizes. */
async function readAll(store: BackupStore, tenantId: string, backupId: string, options?: BackupReadOptions): Promise<{ entries: Entry[]; sizes: number[] }> {
  const entries: Entry[] = [];
  const sizes: number[] = [];
  for await (const b of store.readBackup(tenantId, backupId, options)) {
    sizes.push(b.length);
    entries.push(...b);
  }
  return { entries, sizes };
}
const read = async (store: BackupStore, tenantId: string, backupId: string, options?: BackupReadOptions) =>
  (await readAll(store, tenantId, backupId, options)).entries;

const byTypeThenId = (a: { type: ObjectType; id: string }, b: { type: ObjectType; id: string }) =>
  OBJECT_TYPES.indexOf(a.type) - OBJECT_TYPES.indexOf(b.type) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** How big a test tenant is. */
interface TenantSize {
  readonly users: number;
  readonly groups: number;
}
/** 2,000 objects: the size the storage figures are checked at. */
const FULL: TenantSize = { users: 1900, groups: 100 };
/** A tenth of it, where the size does not matter. */
const SMALL: TenantSize = { users: 190, groups: 10 };

/** A tenant of users (each but the first with a manager) and groups (30 members, 1 owner) at `version`. */
function tenantAt(version: number, size: TenantSize): { objects: BackupObject[]; links: BackupLinks[] } {
  // 1% of the objects change per version: 19 users and 1 group, a different set each time.
  const changedUser = (n: number) => version > 0 && n % 100 === version * 7;
  const objects: BackupObject[] = [];
  const linkChunks: BackupLinks[] = [];
  for (let n = 0; n < size.users; n++) {
    objects.push(user(n, changedUser(n) ? version : 0));
    if (n > 0) linkChunks.push(links("user", guid(n), "manager", [guid(Math.floor(n / 10))]));
  }
  for (let g = 0; g < size.groups; g++) {
    objects.push(group(g, g === version * 3 ? version : 0));
    const members = Array.from({ length: 30 }, (_, k) => guid((g * 37 + k * 61 + (g === version * 3 ? version : 0)) % size.users));
    linkChunks.push(links("group", guid(g, 1), "members", members));
    linkChunks.push(links("group", guid(g, 1), "owners", [guid(g % 10)]));
  }
  return { objects, links: linkChunks };
}

/** What reading a backup of `tenantAt(version)` must give, in read order. */
function expectedEntries(version: number, size: TenantSize): Entry[] {
  const { objects, links: linkChunks } = tenantAt(version, size);
  const linksOf = new Map<string, BackupLinks[]>();
  for (const l of linkChunks) {
    const key = `${l.type}/${l.id}`;
    linksOf.set(key, [...(linksOf.get(key) ?? []), { ...l, targets: [...new Set(l.targets)].sort() }]);
  }
  return [...objects].sort(byTypeThenId).map((object) => ({
    object,
    links: (linksOf.get(`${object.type}/${object.id}`) ?? []).sort((a, b) => (a.link < b.link ? -1 : 1)),
  }));
}

/** Writes `tenantAt(version)` as a capture would: batches of 250 objects, links split in two chunks, some early and some late. */
async function captureTenant(store: BackupStore, tenantId: string, backupId: string, version: number, size: TenantSize): Promise<BackupSummary> {
  const { objects, links: linkChunks } = tenantAt(version, size);
  await store.beginBackup(tenantId, { id: backupId, trigger: "scheduled", startedAt: backupId });
  const halves = linkChunks.flatMap((l) => {
    const cut = Math.ceil(l.targets.length / 2);
    return [{ ...l, targets: l.targets.slice(0, cut) }, { ...l, targets: l.targets.slice(cut) }];
  });
  const linkBatches = Array.from({ length: 8 }, (_, i) => halves.filter((_, k) => k % 8 === i));
  // Link batch (3b mod 8) rides with object batch b: some links come before their objects, some after.
  for (let b = 0; b < Math.max(8, Math.ceil(objects.length / 250)); b++) {
    await store.addToBackup(tenantId, backupId, batch(objects.slice(b * 250, b * 250 + 250), b < 8 ? linkBatches[(b * 3) % 8] : []));
  }
  return store.completeBackup(tenantId, backupId, backupId.replace("02:00:00", "02:05:00"));
}

/** Registers the BackupStore contract suite for one implementation. */
export function backupStoreContract(name: string, open: OpenStore): void {
  describe(`BackupStore contract: ${name}`, () => {
    let store: BackupStore;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ store, close } = await open());
    });
    afterEach(async () => {
      await close();
    });

    describe("lifecycle", () => {
      it("lists a backup only once it is completed, with its counts and who asked", async () => {
        await store.beginBackup(TENANT, { id: B1, trigger: "onDemand", requestedBy: ADMIN, startedAt: "2026-11-21T02:00:00.123Z" });
        await store.addToBackup(
          TENANT,
          B1,
          batch(
            [user(1), user(2), user(3, 0, true), group(1), obj("authorizationPolicy", "authorizationPolicy")],
            [links("group", guid(1, 1), "members", [guid(1), guid(2)]), links("user", guid(2), "manager", [guid(1)])],
          ),
        );
        expect(await store.listBackups(TENANT)).toEqual([]);
        expect(await store.getBackup(TENANT, B1)).toBeNull();
        expect(await store.listUnfinishedBackups(TENANT)).toEqual([B1]);

        const summary = await store.completeBackup(TENANT, B1, "2026-11-21T02:03:00.456Z");
        expect(summary).toEqual({
          tenantId: TENANT,
          id: B1,
          trigger: "onDemand",
          requestedBy: ADMIN,
          startedAt: "2026-11-21T02:00:00.123Z",
          completedAt: "2026-11-21T02:03:00.456Z",
          counts: { user: { live: 2, deleted: 1 }, group: { live: 1, deleted: 0 }, authorizationPolicy: { live: 1, deleted: 0 } },
          links: 3,
        });
        expect(Object.keys(summary.counts).sort()).toEqual(["authorizationPolicy", "group", "user"]);
        expect(await store.listBackups(TENANT)).toEqual([summary]);
        expect(await store.getBackup(TENANT, B1)).toEqual(summary);
        expect(await store.listUnfinishedBackups(TENANT)).toEqual([]);
      });

      it("lists completed backups newest first, and leaves out the unfinished ones", async () => {
        for (const id of [B2, B3, B1, B4]) {
          await store.beginBackup(TENANT, { id, trigger: "scheduled", startedAt: id });
          await store.addToBackup(TENANT, id, batch([user(1)]));
          if (id !== B4) await store.completeBackup(TENANT, id, id);
        }
        const listed = await store.listBackups(TENANT);
        expect(listed.map((b) => b.id)).toEqual([B3, B2, B1]);
        expect(listed[0]?.requestedBy).toBeUndefined();
        expect(listed[0]?.trigger).toBe("scheduled");
        expect(await store.listUnfinishedBackups(TENANT)).toEqual([B4]);
      });

      it("completes an empty backup with no counts", async () => {
        await store.beginBackup(TENANT, { id: B1, trigger: "scheduled", startedAt: B1 });
        const summary = await store.completeBackup(TENANT, B1, B1);
        expect(summary.counts).toEqual({});
        expect(summary.links).toBe(0);
        expect(await read(store, TENANT, B1)).toEqual([]);
      });

      it("refuses a backup id that is taken, whether the backup is finished or not", async () => {
        await store.beginBackup(TENANT, { id: B1, trigger: "scheduled", startedAt: B1 });
        await expect(store.beginBackup(TENANT, { id: B1, trigger: "onDemand", startedAt: B1 })).rejects.toBeInstanceOf(StoreConflictError);
        await store.completeBackup(TENANT, B1, B1);
        await expect(store.beginBackup(TENANT, { id: B1, trigger: "scheduled", startedAt: B1 })).rejects.toBeInstanceOf(StoreConflictError);
        expect((await store.listBackups(TENANT)).map((b) => b.id)).toEqual([B1]);
      });

      it("refuses writes to a backup that is unknown or already completed", async () => {
        await expect(store.addToBackup(TENANT, B1, batch([user(1)]))).rejects.toBeInstanceOf(StoreNotFoundError);
        await expect(store.completeBackup(TENANT, B1, B1)).rejects.toBeInstanceOf(StoreNotFoundError);
        await store.beginBackup(TENANT, { id: B1, trigger: "scheduled", startedAt: B1 });
        await store.addToBackup(TENANT, B1, batch([user(1)]));
        await store.completeBackup(TENANT, B1, B1);
        await expect(store.addToBackup(TENANT, B1, batch([user(2)]))).rejects.toBeInstanceOf(StoreNotFoundError);
        await expect(store.completeBackup(TENANT, B1, B2)).rejects.toBeInstanceOf(StoreNotFoundError);
        expect((await read(store, TENANT, B1)).map((e) => e.object.id)).toEqual([guid(1)]);
        expect((await store.getBackup(TENANT, B1))?.completedAt).toBe(B1);
      });

      it("refuses to read a backup that is unknown or unfinished", async () => {
        await expect(read(store, TENANT, B1)).rejects.toBeInstanceOf(StoreNotFoundError);
        await store.beginBackup(TENANT, { id: B1, trigger: "scheduled", startedAt: B1 });
        await store.addToBackup(TENANT, B1, batch([user(1)]));
        await expect(read(store, TENANT, B1)).rejects.toBeInstanceOf(StoreNotFoundError);
        await expect(read(store, TENANT, B1, { ids: [guid(1)] })).rejects.toBeInstanceOf(StoreNotFoundError);
      });

      it("abandons an unfinished backup with everything it wrote, and frees its id", async () => {
        await captureTenant(store, TENANT, B1, 0, SMALL);
        const before = await store.backupStorageBytes(TENANT);
        await store.beginBackup(TENANT, { id: B2, trigger: "scheduled", startedAt: B2 });
        await store.addToBackup(TENANT, B2, batch([user(5000), user(1, 9), group(500)], [links("group", guid(500, 1), "members", [guid(5000), guid(1)])]));
        expect(await store.backupStorageBytes(TENANT)).toBeGreaterThan(before);

        await store.abandonBackup(TENANT, B2);
        expect(await store.listUnfinishedBackups(TENANT)).toEqual([]);
        expect(await store.getBackup(TENANT, B2)).toBeNull();
        await expect(read(store, TENANT, B2)).rejects.toBeInstanceOf(StoreNotFoundError);
        await expect(store.addToBackup(TENANT, B2, batch([user(2)]))).rejects.toBeInstanceOf(StoreNotFoundError);
        expect(await store.backupStorageBytes(TENANT)).toBe(before);
        await store.abandonBackup(TENANT, B2); // already gone: no error

        await store.beginBackup(TENANT, { id: B2, trigger: "onDemand", startedAt: B2 });
        await store.addToBackup(TENANT, B2, batch([user(7)]));
        expect((await store.completeBackup(TENANT, B2, B2)).counts).toEqual({ user: { live: 1, deleted: 0 } });
        expect(await read(store, TENANT, B1)).toEqual(expectedEntries(0, SMALL));
      });

      it("does not abandon a completed backup", async () => {
        await store.beginBackup(TENANT, { id: B1, trigger: "scheduled", startedAt: B1 });
        await store.completeBackup(TENANT, B1, B1);
        await expect(store.abandonBackup(TENANT, B1)).rejects.toBeInstanceOf(StoreNotFoundError);
        expect((await store.listBackups(TENANT)).map((b) => b.id)).toEqual([B1]);
      });

      it("deletes a completed backup, and deleting it again is harmless", async () => {
        await captureTenant(store, TENANT, B1, 0, SMALL);
        await store.deleteBackup(TENANT, B1);
        expect(await store.listBackups(TENANT)).toEqual([]);
        expect(await store.getBackup(TENANT, B1)).toBeNull();
        await expect(read(store, TENANT, B1)).rejects.toBeInstanceOf(StoreNotFoundError);
        await store.deleteBackup(TENANT, B1);
        expect(await store.backupStorageBytes(TENANT)).toBe(0);
      });

      it("does not delete a backup that is still being written", async () => {
        await store.beginBackup(TENANT, { id: B1, trigger: "scheduled", startedAt: B1 });
        await store.addToBackup(TENANT, B1, batch([user(1)]));
        await expect(store.deleteBackup(TENANT, B1)).rejects.toBeInstanceOf(StoreNotFoundError);
        expect(await store.listUnfinishedBackups(TENANT)).toEqual([B1]);
        await store.addToBackup(TENANT, B1, batch([user(2)]));
        expect((await store.completeBackup(TENANT, B1, B1)).counts.user).toEqual({ live: 2, deleted: 0 });
      });

      it("keeps tenants apart: same backup ids, separate lists, reads, deletes and storage", async () => {
        await captureTenant(store, TENANT, B1, 0, SMALL);
        await store.beginBackup(TENANT, { id: B3, trigger: "scheduled", startedAt: B3 });
        expect(await store.listBackups(OTHER_TENANT)).toEqual([]);
        expect(await store.listUnfinishedBackups(OTHER_TENANT)).toEqual([]);
        expect(await store.getBackup(OTHER_TENANT, B1)).toBeNull();
        await expect(read(store, OTHER_TENANT, B1)).rejects.toBeInstanceOf(StoreNotFoundError);
        await expect(store.addToBackup(OTHER_TENANT, B3, batch([user(1)]))).rejects.toBeInstanceOf(StoreNotFoundError);
        expect(await store.backupStorageBytes(OTHER_TENANT)).toBe(0);

        // The same content in another tenant is that tenant's own: same size, untouched by the first's delete.
        await captureTenant(store, OTHER_TENANT, B1, 0, SMALL);
        await store.beginBackup(OTHER_TENANT, { id: B3, trigger: "onDemand", startedAt: B3 });
        await store.abandonBackup(OTHER_TENANT, B3);
        expect(await store.listUnfinishedBackups(TENANT)).toEqual([B3]);
        await store.abandonBackup(TENANT, B3);
        const other = await store.backupStorageBytes(OTHER_TENANT);
        expect(other).toBe(await store.backupStorageBytes(TENANT));
        await store.deleteBackup(OTHER_TENANT, B2); // unknown there: nothing happens
        await store.deleteBackup(TENANT, B1);
        expect(await store.backupStorageBytes(TENANT)).toBe(0);
        expect(await store.backupStorageBytes(OTHER_TENANT)).toBe(other);
        expect((await store.listBackups(OTHER_TENANT)).map((b) => b.id)).toEqual([B1]);
        expect(await read(store, OTHER_TENANT, B1)).toEqual(expectedEntries(0, SMALL));
      });
    });

    describe("objects and links", () => {
      it("upserts objects by (type, id) within a backup: the last write wins", async () => {
        await store.beginBackup(TENANT, { id: B1, trigger: "scheduled", startedAt: B1 });
        await store.addToBackup(TENANT, B1, batch([obj("user", "u1", { displayName: "First" }), obj("user", "u1", { displayName: "Second" })]));
        await store.addToBackup(TENANT, B1, batch([obj("user", "u1", { displayName: "Third", city: null }, true), obj("group", "u1", { displayName: "A group" })]));
        const summary = await store.completeBackup(TENANT, B1, B1);
        expect(summary.counts).toEqual({ user: { live: 0, deleted: 1 }, group: { live: 1, deleted: 0 } });
        expect((await read(store, TENANT, B1)).map((e) => e.object)).toEqual([
          obj("user", "u1", { displayName: "Third", city: null }, true),
          obj("group", "u1", { displayName: "A group" }),
        ]);
      });

      it("holds the union of every link chunk, in any order, before or after the object, each target once", async () => {
        const g = guid(1, 1);
        await store.beginBackup(TENANT, { id: B1, trigger: "scheduled", startedAt: B1 });
        await store.addToBackup(TENANT, B1, batch([], [links("group", g, "members", ["m-c", "m-a"])]));
        await store.addToBackup(TENANT, B1, batch([group(1)], [links("group", g, "members", ["m-b", "m-a"]), links("group", g, "owners", ["o-1"])]));
        await store.addToBackup(
          TENANT,
          B1,
          batch(
            [group(2), user(1)],
            [
              links("group", g, "members", ["m-d", "m-c"]),
              links("group", guid(2, 1), "owners", []),
              links("user", guid(1), "manager", ["boss"]),
              links("user", guid(1), "sponsors", ["s-2", "s-1", "s-2"]),
            ],
          ),
        );
        const summary = await store.completeBackup(TENANT, B1, B1);
        expect(summary.links).toBe(4 + 1 + 1 + 2);
        const entries = await read(store, TENANT, B1);
        expect(entries.map((e) => [e.object.type, e.object.id])).toEqual([
          ["user", guid(1)],
          ...[["group", g], ["group", guid(2, 1)]].sort((a, b) => (a[1]! < b[1]! ? -1 : 1)),
        ]);
        const linksOf = (id: string) => entries.find((e) => e.object.id === id)?.links;
        expect(linksOf(g)).toEqual([links("group", g, "members", ["m-a", "m-b", "m-c", "m-d"]), links("group", g, "owners", ["o-1"])]);
        expect(linksOf(guid(2, 1))).toEqual([]);
        expect(linksOf(guid(1))).toEqual([links("user", guid(1), "manager", ["boss"]), links("user", guid(1), "sponsors", ["s-1", "s-2"])]);
      });

      it("keeps the links of an object written after its links were, across many batches", async () => {
        await store.beginBackup(TENANT, { id: B1, trigger: "scheduled", startedAt: B1 });
        const g = guid(9, 1);
        const all = Array.from({ length: 300 }, (_, k) => guid(k));
        for (let i = 0; i < 300; i += 25) await store.addToBackup(TENANT, B1, batch([], [links("group", g, "members", all.slice(i, i + 25).reverse())]));
        await store.addToBackup(TENANT, B1, batch([group(9)], [links("group", g, "members", all.slice(0, 50))]));
        expect((await store.completeBackup(TENANT, B1, B1)).links).toBe(300);
        const [entry] = await read(store, TENANT, B1);
        expect(entry?.links).toEqual([links("group", g, "members", [...all].sort())]);
      });

      it("keeps no links for an object that never arrived", async () => {
        await store.beginBackup(TENANT, { id: B1, trigger: "scheduled", startedAt: B1 });
        await store.addToBackup(TENANT, B1, batch([user(1)], [links("group", "ghost", "members", [guid(1)]), links("user", guid(1), "manager", ["boss"])]));
        const summary = await store.completeBackup(TENANT, B1, B1);
        expect(summary.links).toBe(1);
        expect((await read(store, TENANT, B1)).map((e) => e.object.id)).toEqual([guid(1)]);
        expect(await read(store, TENANT, B1, { ids: ["ghost"] })).toEqual([]);
      });

      it("takes concurrent batches of one backup, as a capture reading types in parallel sends them", async () => {
        await store.beginBackup(TENANT, { id: B1, trigger: "scheduled", startedAt: B1 });
        await Promise.all([
          ...Array.from({ length: 10 }, (_, i) => store.addToBackup(TENANT, B1, batch([user(i)], [links("user", guid(i), "manager", [guid(99)])]))),
          ...Array.from({ length: 10 }, (_, i) => store.addToBackup(TENANT, B1, batch([group(i)], [links("group", guid(i, 1), "members", [guid(i)])]))),
        ]);
        const summary = await store.completeBackup(TENANT, B1, B1);
        expect(summary.counts).toEqual({ user: { live: 10, deleted: 0 }, group: { live: 10, deleted: 0 } });
        expect(summary.links).toBe(20);
      });

      it("gives properties back as written, whatever their shape and key order", async () => {
        const properties = {
          displayName: "Zoë Ørsted – 東京 🚀",
          nested: { b: [1, 2.5, -3e-7, { y: true, x: null }], a: { deeper: { list: [] } } },
          empty: {},
          emptyList: [],
          flag: false,
          zero: 0,
          nothing: null,
          quote: 'a "quoted" \\ back\nslash',
        };
        const shuffled = Object.fromEntries(Object.entries(properties).reverse());
        await store.beginBackup(TENANT, { id: B1, trigger: "scheduled", startedAt: B1 });
        await store.addToBackup(TENANT, B1, batch([obj("conditionalAccessPolicy", "p1", properties), obj("conditionalAccessPolicy", "p2", shuffled), obj("namedLocation", "n1", {})]));
        await store.completeBackup(TENANT, B1, B1);
        expect((await read(store, TENANT, B1)).map((e) => e.object)).toEqual([
          obj("conditionalAccessPolicy", "p1", properties),
          obj("conditionalAccessPolicy", "p2", properties),
          obj("namedLocation", "n1", {}),
        ]);
      });
    });

    describe("reading", () => {
      it("reads types in catalog order and ids ascending, in bounded batches", async () => {
        const written = [
          obj("authenticationMethodsPolicy", "authenticationMethodsPolicy"),
          obj("servicePrincipal", "sp-b"),
          obj("namedLocation", "nl-1"),
          obj("application", "app-2"),
          obj("servicePrincipal", "sp-a"),
          obj("conditionalAccessPolicy", "cap-1"),
          obj("application", "app-10"),
          obj("authorizationPolicy", "authorizationPolicy"),
          ...Array.from({ length: 1200 }, (_, n) => user(n)),
          ...Array.from({ length: 30 }, (_, n) => group(n)),
        ];
        await store.beginBackup(TENANT, { id: B1, trigger: "scheduled", startedAt: B1 });
        for (let i = 0; i < written.length; i += 400) await store.addToBackup(TENANT, B1, batch(written.slice(i, i + 400)));
        await store.completeBackup(TENANT, B1, B1);
        const { entries, sizes } = await readAll(store, TENANT, B1);
        expect(entries.map((e) => e.object)).toEqual([...written].sort(byTypeThenId));
        expect(sizes.length).toBeGreaterThan(1);
        expect(Math.min(...sizes)).toBeGreaterThan(0);
        expect(Math.max(...sizes)).toBeLessThanOrEqual(1000);
      });

      it("narrows a read to some types, some ids, or both", async () => {
        await store.beginBackup(TENANT, { id: B1, trigger: "scheduled", startedAt: B1 });
        await store.addToBackup(
          TENANT,
          B1,
          batch(
            [...Array.from({ length: 20 }, (_, n) => user(n)), ...Array.from({ length: 5 }, (_, n) => group(n)), obj("application", guid(3))],
            [links("group", guid(2, 1), "members", [guid(3), guid(4)])],
          ),
        );
        await store.completeBackup(TENANT, B1, B1);
        const ids = (options: BackupReadOptions) => read(store, TENANT, B1, options).then((es) => es.map((e) => `${e.object.type}:${e.object.id}`));
        const groups = Array.from({ length: 5 }, (_, n) => `group:${guid(n, 1)}`).sort();
        expect(await ids({ types: ["group"] })).toEqual(groups);
        expect(await ids({ types: ["application", "group"] })).toEqual([...groups, `application:${guid(3)}`]);
        expect(await ids({ ids: [guid(3), guid(2, 1), "missing", guid(3)] })).toEqual([`user:${guid(3)}`, `group:${guid(2, 1)}`, `application:${guid(3)}`]);
        expect(await ids({ types: ["user"], ids: [guid(3), guid(2, 1)] })).toEqual([`user:${guid(3)}`]);
        expect(await ids({ types: [] })).toEqual([]);
        expect(await ids({ ids: [] })).toEqual([]);
        const [g2] = await read(store, TENANT, B1, { ids: [guid(2, 1)] });
        expect(g2?.links).toEqual([links("group", guid(2, 1), "members", [guid(3), guid(4)].sort())]);
      });
    });

    describe("storage shared between backups", () => {
      it("keeps five backups of a slowly changing tenant within 1.5x of one, and frees what only deleted backups held", async () => {
        await captureTenant(store, TENANT, B1, 0, FULL);
        const one = await store.backupStorageBytes(TENANT);
        expect(one).toBeGreaterThan(0);
        const ids = [B1, B2, B3, B4, B5];
        for (let v = 1; v < 5; v++) {
          const summary = await captureTenant(store, TENANT, ids[v]!, v, FULL);
          expect(summary.counts).toEqual({ user: { live: FULL.users, deleted: 0 }, group: { live: FULL.groups, deleted: 0 } });
        }
        const five = await store.backupStorageBytes(TENANT);
        expect(five / one).toBeLessThanOrEqual(1.5);
        expect(five).toBeGreaterThan(one); // the changes cost something

        for (const id of [B1, B2, B3, B4]) await store.deleteBackup(TENANT, id);
        expect((await store.listBackups(TENANT)).map((b) => b.id)).toEqual([B5]);
        expect(await read(store, TENANT, B5)).toEqual(expectedEntries(4, FULL));
        const left = await store.backupStorageBytes(TENANT);
        expect(left / one).toBeGreaterThan(0.95);
        expect(left / one).toBeLessThan(1.05);

        await store.deleteBackup(TENANT, B5);
        expect(await store.backupStorageBytes(TENANT)).toBe(0);
      });

      it("keeps a newer backup whole when an older one it shares content with is deleted, and the reverse", async () => {
        await captureTenant(store, TENANT, B1, 0, SMALL);
        await captureTenant(store, TENANT, B2, 1, SMALL);
        await captureTenant(store, TENANT, B3, 2, SMALL);
        await store.deleteBackup(TENANT, B2);
        expect(await read(store, TENANT, B1)).toEqual(expectedEntries(0, SMALL));
        expect(await read(store, TENANT, B3)).toEqual(expectedEntries(2, SMALL));
        await store.deleteBackup(TENANT, B3);
        expect(await read(store, TENANT, B1)).toEqual(expectedEntries(0, SMALL));
        expect((await store.getBackup(TENANT, B1))?.links).toBe(SMALL.users - 1 + SMALL.groups * 31);
      });
    });
  });
}
