import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BackupObject } from "../../core/model/backup";
import { diffSnapshots } from "../../core/diff/diff-snapshots";
import { SqliteStore } from "../../core/store/sqlite/sqlite-store";

const TENANT = "e1e1e1e1-0000-4000-8000-000000000001";

const user = (n: number, department: string): BackupObject => ({
  type: "user",
  id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  deleted: false,
  properties: { displayName: `User ${n}`, department, city: `City ${n % 50}`, jobTitle: "Engineer" },
});

const objects = (department: (n: number) => string) =>
  Array.from({ length: 30 }, (_, b) => ({ objects: Array.from({ length: 1000 }, (_, k) => user(b * 1000 + k, department(b * 1000 + k))), links: [] }));

async function backup(store: SqliteStore, id: string, department: (n: number) => string): Promise<void> {
  await store.beginBackup(TENANT, { id, trigger: "scheduled", startedAt: "2026-11-25T02:00:00Z" });
  for (const batch of objects(department)) await store.addToBackup(TENANT, id, batch);
  await store.completeBackup(TENANT, id, "2026-11-25T02:01:00Z");
}

async function comparison(store: SqliteStore, id: string, department: (n: number) => string): Promise<void> {
  await store.beginComparison(TENANT, id, "2026-11-25T02:00:00Z");
  for (const batch of objects(department)) await store.addToComparison(TENANT, id, batch);
  await store.finishComparison(TENANT, id);
}

describe("a large compare", () => {
  it("keeps the event loop turning (heartbeats and the bot share it)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "rewind-loop-"));
    const store = SqliteStore.open({ file: path.join(dir, "rewind.db") });
    try {
      await backup(store, "2026-11-25T02:00:00Z", () => "Sales");
      await comparison(store, "comparison-x", (n) => (n % 2 === 0 ? "Marketing" : "Sales"));
      // Timers fire only when the loop turns: without a turn per page none would fire during the compare.
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      let changes = 0;
      try {
        for await (const chunk of diffSnapshots(store, TENANT, "2026-11-25T02:00:00Z", "comparison-x", {})) changes += chunk.changes.length;
      } finally {
        clearInterval(timer);
      }
      expect(changes).toBe(15_000);
      expect(ticks).toBeGreaterThan(3);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
