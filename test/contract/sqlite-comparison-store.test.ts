import { rmSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { BackupObject } from "../../core/model/backup";
import { SqliteStore } from "../../core/store/sqlite/sqlite-store";
import { comparisonStoreContract } from "./comparison-store-contract";
import { onTempFile, tempDir } from "./sqlite-temp";

comparisonStoreContract("SqliteStore", onTempFile());
// The same contract with tiny steps: dropping crosses many step boundaries.
comparisonStoreContract("SqliteStore, 7 rows per step", onTempFile(7));

const TENANT = "5a5a5a5a-0000-4000-8000-0000000000c1";
const B1 = "2026-11-21T02:00:00Z";
const user = (n: number): BackupObject => ({ type: "user", id: `user-${String(n).padStart(5, "0")}`, deleted: false, properties: { displayName: `User ${n}` } });

describe("SqliteStore: comparison snapshots an earlier version kept as backups", () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("removes them when the file is opened (migration 5), with what only they used, and keeps the backups whole", async () => {
    const file = path.join(dir, "rewind.db");
    // A file as schema version 4 wrote it: a backup, and two comparison snapshots stored as backups (one
    // completed, one a dead process left open) sharing some of its contents and holding objects of their own.
    let store = SqliteStore.open({ file });
    await store.beginBackup(TENANT, { id: B1, trigger: "scheduled", startedAt: B1 });
    await store.addToBackup(TENANT, B1, { objects: [user(1), user(2)], links: [{ type: "user", id: user(1).id, link: "manager", targets: [user(2).id] }] });
    await store.completeBackup(TENANT, B1, B1);
    for (const [id, complete] of [["comparison-job-1", true], ["comparison-job-2", false]] as const) {
      await store.beginBackup(TENANT, { id, trigger: "scheduled", startedAt: B1 });
      await store.addToBackup(TENANT, id, { objects: [user(1), user(3)], links: [{ type: "user", id: user(3).id, link: "manager", targets: [user(1).id] }] });
      if (complete) await store.completeBackup(TENANT, id, B1);
    }
    store.close();
    const raw = new Database(file);
    raw.exec("UPDATE backups SET backup_trigger = 'comparison' WHERE id LIKE 'comparison-%'; DROP TABLE comparison_objects; DROP TABLE comparison_links; DROP TABLE comparisons;");
    raw.pragma("user_version = 4");
    const counts = () => ({
      objects: raw.prepare("SELECT count(*) FROM objects").pluck().get(),
      contents: raw.prepare("SELECT count(*) FROM contents").pluck().get(),
      backups: raw.prepare("SELECT count(*) FROM backups").pluck().get(),
    });
    expect(counts()).toEqual({ objects: 3, contents: 5, backups: 3 });
    raw.close();

    store = SqliteStore.open({ file });
    try {
      const after = new Database(file, { readonly: true });
      expect(after.pragma("user_version", { simple: true })).toBe(5);
      // user 3 and the contents only the snapshots held (its properties, its manager set) are gone.
      expect(after.prepare("SELECT count(*) FROM objects").pluck().get()).toBe(2);
      expect(after.prepare("SELECT count(*) FROM contents").pluck().get()).toBe(3);
      expect(after.prepare("SELECT count(*) FROM backups").pluck().get()).toBe(1);
      expect(after.prepare("SELECT count(*) FROM link_chunks").pluck().get()).toBe(0);
      after.close();
      expect((await store.listBackups(TENANT)).map((b) => b.id)).toEqual([B1]);
      expect(await store.listUnfinishedBackups(TENANT)).toEqual([]);
      const entries = [];
      for await (const batch of store.readBackup(TENANT, B1)) entries.push(...batch);
      expect(entries).toEqual([
        { object: user(1), links: [{ type: "user", id: user(1).id, link: "manager", targets: [user(2).id] }] },
        { object: user(2), links: [] },
      ]);
      // The snapshots' ids are free in the new scratch area.
      await store.beginComparison(TENANT, "comparison-job-1", B1);
    } finally {
      store.close();
    }
  });
});
