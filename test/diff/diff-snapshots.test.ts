import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { captureBackup } from "../../core/backup/capture";
import type { UnnumberedChange } from "../../core/diff/compare-object";
import { diffSnapshots } from "../../core/diff/diff-snapshots";
import { comparisonIdFor, loadCurrentState } from "../../core/diff/load-current";
import type { Scope } from "../../core/model/job";
import { SqliteStore } from "../../core/store/sqlite/sqlite-store";
import { DEMO_TENANT_ID } from "../../sim/index";
import { DriftClient } from "../../sim/drift";
import { ManualClock } from "../backup/manual-clock";
import { collect, linkSets, objectsOf, startFixture, type Fixture } from "../graph/gateway-fixture";

const log = pino({ level: "silent" });

describe("difference of a backup and the tenant now, through the simulator", () => {
  let f: Fixture;
  let dir: string;
  let store: SqliteStore;
  let backupId: string;
  beforeEach(async () => {
    f = await startFixture({ throttling: false });
    dir = mkdtempSync(path.join(tmpdir(), "rewind-diff-"));
    store = SqliteStore.open({ file: path.join(dir, "rewind.db"), readBatchSize: 7 });
    backupId = (await captureBackup({ directory: f.graph, store, clock: new ManualClock(Date.parse("2026-11-25T02:00:00Z")), log }, { tenantId: DEMO_TENANT_ID, trigger: "scheduled" })).id;
  });
  afterEach(async () => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
    await f.close();
  });

  async function diff(scope: Scope, job = "job-1"): Promise<UnnumberedChange[]> {
    const snapshotId = comparisonIdFor(job);
    let loaded = 0;
    await loadCurrentState({ directory: f.graph, store, clock: new ManualClock(Date.parse("2026-11-26T00:00:00Z")) }, { tenantId: DEMO_TENANT_ID, snapshotId, scope, onObjects: (n) => (loaded += n) });
    expect(loaded).toBeGreaterThan(0);
    const out: UnnumberedChange[] = [];
    for await (const chunk of diffSnapshots(store, DEMO_TENANT_ID, backupId, snapshotId, scope)) out.push(...chunk.changes);
    return out;
  }

  it("finds nothing in an unchanged tenant, and the comparison snapshot is never listed", async () => {
    expect(await diff({})).toEqual([]);
    expect((await store.listBackups(DEMO_TENANT_ID)).map((b) => b.id)).toEqual([backupId]);
    expect(await store.getBackup(DEMO_TENANT_ID, comparisonIdFor("job-1"))).toBeNull();
    expect(await store.listUnfinishedBackups(DEMO_TENANT_ID)).toEqual([]);
  });

  it("lists a deleted user once (its group memberships come back with it), in (type, id) order", async () => {
    const users = objectsOf(await collect(f.graph.readAll("user")));
    const victim = users.find((u) => u.properties["onPremisesSyncEnabled"] !== true && !u.id.startsWith("0a0a0a0a-"))!;
    const edited = users.find((u) => u.properties["onPremisesSyncEnabled"] !== true && u.id !== victim.id && !u.id.startsWith("0a0a0a0a-"))!;
    const drift = new DriftClient(f.sim.url, f.sim.ca);
    try {
      expect((await drift.softDelete("users", victim.id)).status).toBe(204);
      expect((await drift.patch("users", edited.id, { jobTitle: "Chief Rewinder" })).status).toBe(204);
    } finally {
      await drift.close();
    }
    const changes = await diff({});
    expect(changes.map((c) => [c.id, c.recoveryAction])).toEqual([[victim.id, "restore"], [edited.id, "update"]].sort());
    expect(changes.find((c) => c.id === edited.id)?.deltaFromCurrent.properties).toEqual([
      { name: "jobTitle", backupValue: edited.properties["jobTitle"] ?? null, currentValue: "Chief Rewinder" },
    ]);
  });

  it("names the first ten targets of each link difference, as the tenant names them", async () => {
    const records = await collect(f.graph.readAll("group"));
    const users = new Map(objectsOf(await collect(f.graph.readAll("user"))).map((u) => [u.id, u]));
    const userIds = (ids: Set<string>) => [...ids].filter((id) => users.has(id) && users.get(id)!.properties["onPremisesSyncEnabled"] !== true);
    const dynamic = (id: string) => {
      const types = objectsOf(records).find((g) => g.id === id)?.properties["groupTypes"];
      return Array.isArray(types) && types.includes("DynamicMembership");
    };
    // The static group with the most cloud users (dynamic members and synced users are no recoverable change).
    const [groupId, members] = [...linkSets(records, "members")]
      .filter(([id]) => !dynamic(id))
      .sort((a, b) => userIds(b[1]).length - userIds(a[1]).length)[0]!;
    const removed = userIds(members).slice(0, 12);
    expect(removed.length).toBeGreaterThan(10);
    const drift = new DriftClient(f.sim.url, f.sim.ca);
    try {
      for (const id of removed) expect((await drift.removeMember(groupId, id)).status).toBe(204);
    } finally {
      await drift.close();
    }
    const link = (await diff({})).find((c) => c.id === groupId)?.deltaFromCurrent.links.find((l) => l.link === "members");
    expect(link?.toAdd).toEqual([...removed].sort());
    const named = link!.toAdd.slice(0, 10);
    expect(link!.names).toEqual(Object.fromEntries(named.map((id) => [id, users.get(id)!.properties["displayName"]])));
  });

  it("keeps to a scope of object ids, read one by one, and to attributes", async () => {
    const users = objectsOf(await collect(f.graph.readAll("user"))).filter((u) => u.properties["onPremisesSyncEnabled"] !== true && !u.id.startsWith("0a0a0a0a-"));
    const [a, b, c] = users;
    const drift = new DriftClient(f.sim.url, f.sim.ca);
    try {
      for (const u of [a!, b!, c!]) expect((await drift.patch("users", u.id, { department: "Moved", city: "Elsewhere" })).status).toBe(204);
    } finally {
      await drift.close();
    }
    f.sim.resetStats();
    const scoped = await diff({ objects: [{ type: "user", ids: [a!.id, b!.id] }], attributes: ["city"] });
    // Two objects read, not the whole tenant.
    expect(f.sim.stats().requests).toBeLessThan(12);
    expect(scoped.map((x) => x.id)).toEqual([a!.id, b!.id].sort());
    expect(scoped.every((x) => x.deltaFromCurrent.properties.map((p) => p.name).join() === "city")).toBe(true);
    const byType = await diff({ types: ["group", "conditionalAccessPolicy"] }, "job-2");
    expect(byType).toEqual([]);
  });
});
