import type { Database, Statement } from "better-sqlite3";

type Slice = [{ tk: number; bk: number; hi: number }];

/** Past every object key: the last slice takes whatever is left. */
const ALL = Number.MAX_SAFE_INTEGER;

/**
 * Removes one backup (completed or not) slice by slice, and frees what only it used: contents no other
 * backup's rows point at, identities no other backup of the tenant names (rows, link rows or staged chunks).
 * A content the backup's later slices still point at may go early: the backup is unreadable once its
 * deletion starts. Candidates come from the slice's own rows, so a step costs what its slice holds, not what
 * the store holds; between steps the event loop runs, so deleting a big backup does not freeze the bot.
 */
export class BackupPurge {
  private readonly sliceEnd: Statement<[number, number], number>;
  private readonly steps: readonly Statement<Slice>[];
  private readonly dropBackup: Statement<[number, number]>;

  constructor(
    db: Database,
    private readonly sliceObjects: number,
  ) {
    this.sliceEnd = db.prepare<[number, number], number>("SELECT ok FROM backup_objects WHERE bk = ? ORDER BY ok LIMIT 1 OFFSET ?").pluck();
    const inSlice = (table: string, column: string) => `SELECT ${column} FROM ${table} WHERE bk = @bk AND ok <= @hi`;
    const usedByOtherBackup = (table: string) =>
      `EXISTS (SELECT 1 FROM backups b JOIN ${table} x ON x.bk = b.bk AND x.ok = objects.ok WHERE b.tk = @tk AND b.bk <> @bk)`;
    this.steps = [
      `DELETE FROM contents
       WHERE cid IN (${inSlice("backup_objects", "cid")} UNION ${inSlice("backup_links", "cid")})
         AND NOT EXISTS (SELECT 1 FROM backup_objects x WHERE x.cid = contents.cid AND x.bk <> @bk)
         AND NOT EXISTS (SELECT 1 FROM backup_links x WHERE x.cid = contents.cid AND x.bk <> @bk)`,
      `DELETE FROM objects
       WHERE ok IN (${inSlice("backup_objects", "ok")} UNION ${inSlice("backup_links", "ok")} UNION ${inSlice("link_chunks", "ok")})
         AND NOT ${usedByOtherBackup("backup_objects")}
         AND NOT ${usedByOtherBackup("backup_links")}
         AND NOT ${usedByOtherBackup("link_chunks")}`,
      "DELETE FROM backup_objects WHERE bk = @bk AND ok <= @hi",
      "DELETE FROM backup_links WHERE bk = @bk AND ok <= @hi",
      "DELETE FROM link_chunks WHERE bk = @bk AND ok <= @hi",
    ].map((sql) => db.prepare<Slice>(sql));
    this.dropBackup = db.prepare<[number, number]>("DELETE FROM backups WHERE bk = ? AND tk = ?");
  }

  /** Removes the next slice of backup `bk` of tenant `tk`; returns true once the backup itself is gone. Call inside one write transaction. */
  step(tk: number, bk: number): boolean {
    const hi = this.sliceEnd.get(bk, this.sliceObjects - 1) ?? ALL;
    for (const statement of this.steps) statement.run({ tk, bk, hi });
    if (hi !== ALL) return false;
    this.dropBackup.run(bk, tk);
    return true;
  }
}
