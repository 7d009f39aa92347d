import { spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { BackupLinks, BackupObject } from "../../core/model/backup";
import { StoreConflictError } from "../../core/model/store-error";
import type { BackupStore } from "../../core/ports";
import { SqliteStore } from "../../core/store/sqlite/sqlite-store";
import { onTempFile, tempDir } from "./sqlite-temp";
import { backupStoreContract } from "./backup-store-contract";

const TENANT = "5a5a5a5a-0000-4000-8000-000000000001";
const B1 = "2026-11-21T02:00:00Z";
const B2 = "2026-11-22T02:00:00Z";
const REPO = path.resolve(__dirname, "../..");

backupStoreContract("SqliteStore", onTempFile());
// The same contract with tiny steps: completing, deleting and abandoning cross hundreds of step boundaries.
backupStoreContract("SqliteStore, 7 rows per step", onTempFile(7));

const user = (n: number, extra: Record<string, unknown> = {}): BackupObject => ({
  type: "user",
  id: `user-${String(n).padStart(5, "0")}`,
  deleted: false,
  properties: { displayName: `User ${n}`, mail: `user${n}@contoso.example`, department: `Dept ${n % 7}`, ...extra },
});

async function completedBackup(store: BackupStore, id: string, users: number): Promise<void> {
  await store.beginBackup(TENANT, { id, trigger: "scheduled", startedAt: id });
  for (let i = 0; i < users; i += 500) {
    const objects = Array.from({ length: Math.min(500, users - i) }, (_, k) => user(i + k));
    const linkChunks: BackupLinks[] = objects.map((o, k) => ({ type: "user", id: o.id, link: "manager", targets: [`user-${String((i + k) % 10).padStart(5, "0")}`] }));
    await store.addToBackup(TENANT, id, { objects, links: linkChunks });
  }
  await store.completeBackup(TENANT, id, id);
}

async function readIds(store: BackupStore, id: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const batch of store.readBackup(TENANT, id)) ids.push(...batch.map((e) => e.object.id));
  return ids;
}

describe("SqliteStore on a file", () => {
  let dir: string;
  let file: string;
  const open: SqliteStore[] = [];
  const openStore = () => {
    const store = SqliteStore.open({ file });
    open.push(store);
    return store;
  };
  beforeEach(() => {
    dir = tempDir();
    file = path.join(dir, "rewind.db");
  });
  afterEach(() => {
    for (const store of open.splice(0)) store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("journals in WAL mode and finds the same backups after a reopen", async () => {
    const first = openStore();
    await completedBackup(first, B1, 1200);
    const before = await readIds(first, B1);
    first.close();

    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      raw.close();
    }
    const again = openStore();
    expect((await again.listBackups(TENANT)).map((b) => [b.id, b.counts.user?.live, b.links])).toEqual([[B1, 1200, 1200]]);
    expect(await readIds(again, B1)).toEqual(before);
    expect(before).toHaveLength(1200);
  });

  it("lets two connections on one file see each other's commits", async () => {
    const a = openStore();
    const b = openStore();
    await a.beginBackup(TENANT, { id: B1, trigger: "onDemand", requestedBy: "admin", startedAt: B1 });
    await a.addToBackup(TENANT, B1, { objects: [user(1), user(2)], links: [] });
    expect(await b.listUnfinishedBackups(TENANT)).toEqual([B1]);
    await expect(b.beginBackup(TENANT, { id: B1, trigger: "scheduled", startedAt: B1 })).rejects.toBeInstanceOf(StoreConflictError);
    await b.addToBackup(TENANT, B1, { objects: [user(3)], links: [{ type: "user", id: user(3).id, link: "manager", targets: [user(1).id] }] });
    const summary = await b.completeBackup(TENANT, B1, B2);
    expect(await a.getBackup(TENANT, B1)).toEqual(summary);
    expect(await readIds(a, B1)).toEqual([user(1).id, user(2).id, user(3).id]);

    // A read paging through one connection is not disturbed by a delete of another backup on the other.
    await completedBackup(a, B2, 1500);
    const reading = a.readBackup(TENANT, B2)[Symbol.asyncIterator]();
    const firstPage = await reading.next();
    await b.deleteBackup(TENANT, B1);
    let count = firstPage.done ? 0 : firstPage.value.length;
    for (let page = await reading.next(); !page.done; page = await reading.next()) count += page.value.length;
    expect(count).toBe(1500);
    expect((await a.listBackups(TENANT)).map((x) => x.id)).toEqual([B2]);
  });

  it("leaves a capture killed mid-write unfinished, and the file usable", async () => {
    const first = openStore();
    await completedBackup(first, B1, 300);
    const before = await first.backupStorageBytes(TENANT);
    first.close();

    // A child process writes batches of a second backup until it is killed, most likely inside a transaction.
    const child = path.join(dir, "writer.ts");
    writeFileSync(
      child,
      `import { SqliteStore } from ${JSON.stringify(path.join(REPO, "core/store/sqlite/sqlite-store"))};
      async function main() {
        const store = SqliteStore.open({ file: ${JSON.stringify(file)} });
        await store.beginBackup(${JSON.stringify(TENANT)}, { id: ${JSON.stringify(B2)}, trigger: "scheduled", startedAt: "x" });
        for (let b = 0; ; b++) {
          const objects = Array.from({ length: 500 }, (_, k) => ({ type: "user" as const, id: "killed-" + b + "-" + k, deleted: false, properties: { n: k, pad: "x".repeat(400) } }));
          const links = objects.map((o) => ({ type: "user" as const, id: o.id, link: "members" as const, targets: ["t1", "t2", "t3"] }));
          await store.addToBackup(${JSON.stringify(TENANT)}, ${JSON.stringify(B2)}, { objects, links });
          if (b === 3) process.stdout.write("writing\\n");
        }
      }
      void main();`,
    );
    const proc = spawn(process.execPath, ["--import", "tsx", child], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    proc.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      proc.stdout.on("data", () => resolve());
      proc.on("exit", (code) => reject(new Error(`writer exited (${code}) before writing: ${stderr}`)));
    });
    await new Promise((r) => setTimeout(r, 150));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on("exit", (_code, signal) => resolve(signal)));
    proc.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");

    const store = openStore(); // WAL recovery happens here
    expect((await store.listBackups(TENANT)).map((b) => b.id)).toEqual([B1]);
    expect(await store.listUnfinishedBackups(TENANT)).toEqual([B2]);
    await store.abandonBackup(TENANT, B2);
    expect(await store.listUnfinishedBackups(TENANT)).toEqual([]);
    expect(await store.backupStorageBytes(TENANT)).toBe(before);
    expect(await readIds(store, B1)).toHaveLength(300);
    await completedBackup(store, B2, 100);
    expect((await store.listBackups(TENANT)).map((b) => b.id)).toEqual([B2, B1]);

    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      raw.close();
    }
  }, 30_000);

  it("leaves a completion or a deletion cut short between steps for the usual clean-up", async () => {
    const stepped = () => {
      const store = SqliteStore.open({ file, stepRows: 2 });
      open.push(store);
      return store;
    };
    let store = stepped();
    await completedBackup(store, B1, 20);
    const before = await store.backupStorageBytes(TENANT);
    await store.beginBackup(TENANT, { id: B2, trigger: "scheduled", startedAt: B2 });
    await store.addToBackup(TENANT, B2, { objects: [user(100), user(101)], links: [1, 2, 3, 4, 5].map((n) => ({ type: "user", id: user(100).id, link: "sponsors", targets: [`s${n}`] })) });
    await store.addToBackup(TENANT, B2, { objects: [], links: [6, 7].map((n) => ({ type: "user", id: user(101 + n).id, link: "manager", targets: ["m"] })) });
    // The process stops (here: the file is closed) after the first step of the completion.
    const completing = store.completeBackup(TENANT, B2, B2);
    store.close();
    await expect(completing).rejects.toThrow();

    store = stepped();
    expect((await store.listBackups(TENANT)).map((b) => b.id)).toEqual([B1]);
    expect(await store.listUnfinishedBackups(TENANT)).toEqual([B2]);
    await store.abandonBackup(TENANT, B2);
    expect(await store.backupStorageBytes(TENANT)).toBe(before);

    // Same for a deletion: the backup disappears from the list at once, and the clean-up finishes it.
    const deleting = store.deleteBackup(TENANT, B1);
    store.close();
    await expect(deleting).rejects.toThrow();
    store = stepped();
    expect(await store.listBackups(TENANT)).toEqual([]);
    expect(await store.listUnfinishedBackups(TENANT)).toEqual([B1]);
    await store.abandonBackup(TENANT, B1);
    expect(await store.listUnfinishedBackups(TENANT)).toEqual([]);
    expect(await store.backupStorageBytes(TENANT)).toBe(0);
  });

  it("merges links sent in thousands of chunks, across merge steps, into whole sets", async () => {
    const store = openStore();
    await store.beginBackup(TENANT, { id: B1, trigger: "scheduled", startedAt: B1 });
    const groups = ["g-a", "g-b", "g-c"];
    // 4,000 one-target chunks per group, interleaved: more than one merge step, with groups cut at step ends.
    for (let b = 0; b < 8; b++) {
      const linkChunks: BackupLinks[] = [];
      for (let k = 0; k < 500; k++) for (const g of groups) linkChunks.push({ type: "group", id: g, link: "members", targets: [`m-${String(b * 500 + k).padStart(5, "0")}`] });
      await store.addToBackup(TENANT, B1, { objects: b === 7 ? groups.map((g) => ({ type: "group", id: g, deleted: false, properties: {} })) : [], links: linkChunks });
    }
    expect((await store.completeBackup(TENANT, B1, B1)).links).toBe(12_000);
    const expected = Array.from({ length: 4000 }, (_, k) => `m-${String(k).padStart(5, "0")}`);
    for await (const batch of store.readBackup(TENANT, B1)) {
      for (const e of batch) expect(e.links).toEqual([{ type: "group", id: e.object.id, link: "members", targets: expected }]);
    }
  });

  it("fails loudly on stored properties that are not a JSON object, rather than return them", async () => {
    const store = openStore();
    await completedBackup(store, B1, 3);
    const raw = new Database(file);
    try {
      raw.prepare("UPDATE contents SET body = ? WHERE body LIKE '{%User 1%'").run("[1, 2]");
    } finally {
      raw.close();
    }
    await expect(readIds(store, B1)).rejects.toThrow(/malformed/);
  });

  it("estimates storage close to the pages SQLite really uses", async () => {
    const store = openStore();
    await completedBackup(store, B1, 4000);
    await store.beginBackup(TENANT, { id: B2, trigger: "scheduled", startedAt: B2 });
    await store.addToBackup(TENANT, B2, { objects: [user(1, { changed: true })], links: [] });
    await store.completeBackup(TENANT, B2, B2);
    const estimate = await store.backupStorageBytes(TENANT);
    store.close();
    const raw = new Database(file, { readonly: true });
    try {
      // Bytes in use in the tables and indexes that hold backups (B-tree page slack excluded).
      const used = raw.prepare("SELECT sum(pgsize - unused) FROM dbstat WHERE name NOT IN ('sqlite_schema')").pluck().get() as number;
      expect(estimate / used).toBeGreaterThan(0.85);
      expect(estimate / used).toBeLessThan(1.15);
    } finally {
      raw.close();
    }
  });
});
