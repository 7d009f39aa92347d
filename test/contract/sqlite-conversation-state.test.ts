import path from "node:path";
import { rmSync } from "node:fs";
import { SqliteStore } from "../../core/store/sqlite/sqlite-store";
import { conversationStateContract } from "./conversation-state-contract";
import { onTempFile, tempDir } from "./sqlite-temp";

conversationStateContract("SqliteStore", onTempFile());

describe("SqliteStore conversation state across processes sharing a file", () => {
  it("lets only one of two stores on the same file claim an alert", async () => {
    const dir = tempDir();
    const a = SqliteStore.open({ file: path.join(dir, "rewind.db") });
    const b = SqliteStore.open({ file: path.join(dir, "rewind.db") });
    try {
      const now = "2026-11-26T09:00:00.000Z";
      const results = await Promise.all([a.claimAlert("t", "job:1:finished:c1", "pa", now, "2026-11-26T08:58:00.000Z"), b.claimAlert("t", "job:1:finished:c1", "pb", now, "2026-11-26T08:58:00.000Z")]);
      expect(results.filter(Boolean)).toHaveLength(1);
    } finally {
      a.close();
      b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
