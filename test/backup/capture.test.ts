import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { captureBackup } from "../../core/backup/capture";
import { BackupScheduler } from "../../core/backup/scheduler";
import { DirectoryError } from "../../core/model/directory-error";
import type { BackupSummary } from "../../core/model/backup";
import { SqliteStore } from "../../core/store/sqlite/sqlite-store";
import { collect, objectsOf, startFixture, targetsOf, type Fixture } from "../graph/gateway-fixture";
import { ManualClock } from "./manual-clock";

const log = pino({ level: "silent" });
const TENANT = "d0d0d0d0-0000-4000-8000-00000000d0d0";
const ADA = "0a0a0a0a-0000-4000-8000-000000000001";

describe("backups of the demo tenant, through the simulator into SQLite", () => {
  let f: Fixture;
  let dir: string;
  let store: SqliteStore;
  beforeEach(async () => {
    f = await startFixture({ throttling: false }, { retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 } });
    dir = mkdtempSync(path.join(tmpdir(), "rewind-backup-"));
    store = SqliteStore.open({ file: path.join(dir, "rewind.db") });
  });
  afterEach(async () => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
    await f.close();
  });

  const deps = (clock = new ManualClock(Date.parse("2026-11-25T02:00:00Z"))) => ({ directory: f.graph, store, clock, log });

  it("captures every type with properties, links and soft-deleted objects, and lists it once complete", async () => {
    const users = objectsOf(await collect(f.graph.readAll("user")));
    const victim = users.find((u) => u.properties.onPremisesSyncEnabled !== true && !u.id.startsWith("0a0a0a0a-"))!;
    expect((await f.graph.softDeleteObject("user", victim.id)).ok).toBe(true);

    const summary = await captureBackup(deps(), { tenantId: TENANT, trigger: "onDemand", requestedBy: ADA });
    expect(summary.id).toBe("2026-11-25T02:00:00Z");
    expect(summary.requestedBy).toBe(ADA);
    expect(summary.counts.user).toEqual({ live: users.length - 1, deleted: 1 });
    for (const type of ["group", "application", "servicePrincipal", "conditionalAccessPolicy", "namedLocation"] as const) {
      expect(summary.counts[type]?.live).toBe(objectsOf(await collect(f.graph.readAll(type))).length);
    }
    expect(summary.counts.authorizationPolicy).toEqual({ live: 1, deleted: 0 });
    expect(summary.links).toBeGreaterThan(100);
    expect((await store.listBackups(TENANT)).map((b) => b.id)).toEqual([summary.id]);
    expect(await store.listUnfinishedBackups(TENANT)).toEqual([]);

    // What the backup holds is what Graph said: Ada's properties, a group's members, the deleted user.
    const held = (await collect(store.readBackup(TENANT, summary.id, { ids: [ADA, victim.id] }))).map((e) => e.object);
    expect(held.find((o) => o.id === ADA)?.properties.userPrincipalName).toBe("ada@rewinddemo.onmicrosoft.com");
    expect(held.find((o) => o.id === victim.id)?.deleted).toBe(true);
    const group = objectsOf(await collect(f.graph.readAll("group")))[0]!;
    const [entry] = await collect(store.readBackup(TENANT, summary.id, { types: ["group"], ids: [group.id] }));
    const live = await f.graph.getObject("group", group.id);
    expect([...(entry!.links.find((l) => l.link === "members")?.targets ?? [])]).toEqual(targetsOf(live!.links, "members"));
  });

  it("never lists a capture that failed, and leaves nothing of it behind", async () => {
    f.sim.setFaults({ errorRate: 1 });
    await expect(captureBackup(deps(), { tenantId: TENANT, trigger: "scheduled" })).rejects.toBeInstanceOf(DirectoryError);
    expect(await store.listBackups(TENANT)).toEqual([]);
    expect(await store.listUnfinishedBackups(TENANT)).toEqual([]);
  });

  it("gives backups started in the same second distinct timestamp ids", async () => {
    const clock = new ManualClock(Date.parse("2026-11-25T02:00:00.400Z"));
    const a = await captureBackup(deps(clock), { tenantId: TENANT, trigger: "scheduled" });
    const b = await captureBackup(deps(clock), { tenantId: TENANT, trigger: "onDemand", requestedBy: ADA });
    expect([a.id, b.id]).toEqual(["2026-11-25T02:00:00Z", "2026-11-25T02:00:01Z"]);
    expect((await store.listBackups(TENANT)).map((x) => x.id)).toEqual([b.id, a.id]);
  });

  it("stores an unchanged tenant's second backup for a fraction of the first", async () => {
    await captureBackup(deps(new ManualClock(Date.parse("2026-11-24T02:00:00Z"))), { tenantId: TENANT, trigger: "scheduled" });
    const one = await store.backupStorageBytes(TENANT);
    await captureBackup(deps(new ManualClock(Date.parse("2026-11-25T02:00:00Z"))), { tenantId: TENANT, trigger: "scheduled" });
    const two = await store.backupStorageBytes(TENANT);
    expect(two / one).toBeLessThan(1.5);
  });

  it("backs up at start and every interval, keeps the retention, and shares a running capture with on-demand", async () => {
    const clock = new ManualClock(Date.parse("2026-11-20T02:00:00Z"));
    const completed: BackupSummary[] = [];
    let resolveNext: (() => void) | undefined;
    const scheduler = new BackupScheduler(
      deps(clock),
      { tenantId: TENANT, intervalHours: 24, retentionDays: 2 },
      {
        onCompleted: (s) => {
          completed.push(s);
          resolveNext?.();
        },
      },
    );
    const next = () => new Promise<void>((r) => (resolveNext = r));
    let wait = next();
    await scheduler.start();
    const onDemand = scheduler.takeNow(ADA); // joins the capture under way
    await wait;
    expect((await onDemand).id).toBe(completed[0]!.id);
    for (let day = 1; day <= 3; day++) {
      wait = next();
      clock.advance(24 * 3_600_000);
      await wait;
    }
    scheduler.stop();
    expect(completed.map((s) => s.id)).toEqual(["2026-11-20T02:00:00Z", "2026-11-21T02:00:00Z", "2026-11-22T02:00:00Z", "2026-11-23T02:00:00Z"]);
    // Two days of retention: on the 23rd the 20th's backup is gone, the 21st's (exactly two days) stays.
    expect((await store.listBackups(TENANT)).map((b) => b.id)).toEqual(["2026-11-23T02:00:00Z", "2026-11-22T02:00:00Z", "2026-11-21T02:00:00Z"]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("at start removes captures a dead process left hours ago, but not one another replica began minutes ago", async () => {
    const clock = new ManualClock(Date.parse("2026-11-25T12:00:00Z"));
    await store.beginBackup(TENANT, { id: "2026-11-25T09:00:00Z", trigger: "scheduled", startedAt: "2026-11-25T09:00:00Z" });
    await store.beginBackup(TENANT, { id: "2026-11-25T11:55:00Z", trigger: "scheduled", startedAt: "2026-11-25T11:55:00Z" });
    let done: () => void = () => undefined;
    const completed = new Promise<void>((r) => (done = r));
    const scheduler = new BackupScheduler(deps(clock), { tenantId: TENANT, intervalHours: 24, retentionDays: 30 }, { onCompleted: () => done() });
    await scheduler.start();
    await completed;
    scheduler.stop();
    expect(await store.listUnfinishedBackups(TENANT)).toEqual(["2026-11-25T11:55:00Z"]);
  });
});
