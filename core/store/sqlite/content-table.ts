import type { Database, Statement } from "better-sqlite3";
import { contentHash } from "./content-hash";

/**
 * Content-addressed texts (properties JSON, link target sets), each stored once per tenant. Rows of backups
 * point at a content by its integer key (`cid`), which is narrower than the hash in every per-backup row.
 */
export class ContentTable {
  private readonly find: Statement<[number, Buffer, number], number>;
  private readonly insert: Statement<[number, Buffer, number, string]>;
  private readonly release: Statement<[{ cid: number }]>;

  constructor(db: Database) {
    this.find = db.prepare<[number, Buffer, number], number>("SELECT cid FROM contents WHERE tk = ? AND hash = ? AND size = ?").pluck();
    this.insert = db.prepare<[number, Buffer, number, string]>("INSERT INTO contents (tk, hash, size, body) VALUES (?, ?, ?, ?)");
    this.release = db.prepare<[{ cid: number }]>(
      `DELETE FROM contents WHERE cid = @cid
         AND NOT EXISTS (SELECT 1 FROM backup_objects WHERE cid = @cid)
         AND NOT EXISTS (SELECT 1 FROM backup_links WHERE cid = @cid)`,
    );
  }

  /** The key of `body` for the tenant; stores it when no backup of the tenant holds it yet. Call inside a write transaction. */
  put(tk: number, body: string): number {
    const hash = contentHash(body);
    const size = Buffer.byteLength(body, "utf8");
    const cid = this.find.get(tk, hash, size);
    if (cid !== undefined) return cid;
    return Number(this.insert.run(tk, hash, size, body).lastInsertRowid);
  }

  /** Frees one content when no row points at it any more (an object replaced within a capture). */
  releaseIfUnused(cid: number): void {
    this.release.run({ cid });
  }
}
