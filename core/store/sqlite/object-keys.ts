import type { Database, Statement } from "better-sqlite3";
import type { ObjectType } from "../../model/catalog";

/**
 * The identity dictionary: (tenant, type, id) to a small integer key shared by all the tenant's backups.
 * Each backup then stores a few integers per object instead of repeating the id, which is what keeps five
 * backups of a quiet tenant near the size of one. It also gives the read order: its unique index is sorted
 * by (type, id).
 */
export class ObjectKeys {
  private readonly find: Statement<[number, string, string], number>;
  private readonly insert: Statement<[number, string, string]>;
  private readonly release: Statement<[{ tk: number; ok: number }]>;

  constructor(db: Database) {
    this.find = db.prepare<[number, string, string], number>("SELECT ok FROM objects WHERE tk = ? AND type = ? AND id = ?").pluck();
    this.insert = db.prepare<[number, string, string]>("INSERT INTO objects (tk, type, id) VALUES (?, ?, ?)");
    this.release = db.prepare<[{ tk: number; ok: number }]>(
      `DELETE FROM objects WHERE ok = @ok
         AND NOT EXISTS (SELECT 1 FROM backups b JOIN backup_objects x ON x.bk = b.bk AND x.ok = @ok WHERE b.tk = @tk)
         AND NOT EXISTS (SELECT 1 FROM backups b JOIN backup_links x ON x.bk = b.bk AND x.ok = @ok WHERE b.tk = @tk)
         AND NOT EXISTS (SELECT 1 FROM backups b JOIN link_chunks x ON x.bk = b.bk AND x.ok = @ok WHERE b.tk = @tk)`,
    );
  }

  /** The key of an object, created on first sight. Call inside a write transaction. */
  keyOf(tk: number, type: ObjectType, id: string): number {
    const ok = this.find.get(tk, type, id);
    if (ok !== undefined) return ok;
    return Number(this.insert.run(tk, type, id).lastInsertRowid);
  }

  /** Frees one key when no backup of the tenant (finished or not) uses it any more. */
  releaseIfUnused(tk: number, ok: number): void {
    this.release.run({ tk, ok });
  }
}
