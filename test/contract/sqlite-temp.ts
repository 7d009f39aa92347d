import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SqliteStore } from "../../core/store/sqlite/sqlite-store";

/** A fresh directory for one test's database file, removed afterwards. */
export function tempDir(prefix = "rewind-sqlite-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Opens a SqliteStore on a fresh file per test (the contract suites' factory); the file goes with it. */
export const onTempFile = (stepRows?: number) => async () => {
  const dir = tempDir();
  const store = SqliteStore.open({ file: path.join(dir, "rewind.db"), ...(stepRows ? { stepRows } : {}) });
  return {
    store,
    close: async () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
