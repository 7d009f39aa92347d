import type { Database, Statement } from "better-sqlite3";
import type { BackupBatch } from "../../ports";
import { canonicalJson } from "../../model/canonical-json";
import type { ContentTable } from "./content-table";
import { linkCode } from "./link-codes";
import type { ObjectKeys } from "./object-keys";
import { checkObjectType } from "../shared/backup-contents";

/**
 * Writes one batch into an open backup. Objects become rows at once (an upsert by (type, id)); link chunks
 * are only staged, raw, because more chunks of the same (object, link) may come in later batches: they are
 * merged into one target set when the backup is completed.
 */
export class BackupWriter {
  private readonly findRow: Statement<[number, number], { cid: number; deleted: number }>;
  private readonly insertRow: Statement<[number, number, number, number]>;
  private readonly updateRow: Statement<[number, number, number, number]>;
  private readonly stage: Statement<[number, number, number, string]>;

  constructor(
    db: Database,
    private readonly contents: ContentTable,
    private readonly keys: ObjectKeys,
  ) {
    this.findRow = db.prepare<[number, number], { cid: number; deleted: number }>("SELECT cid, deleted FROM backup_objects WHERE bk = ? AND ok = ?");
    this.insertRow = db.prepare<[number, number, number, number]>("INSERT INTO backup_objects (bk, ok, deleted, cid) VALUES (?, ?, ?, ?)");
    this.updateRow = db.prepare<[number, number, number, number]>("UPDATE backup_objects SET deleted = ?, cid = ? WHERE bk = ? AND ok = ?");
    this.stage = db.prepare<[number, number, number, string]>("INSERT INTO link_chunks (bk, ok, link, targets) VALUES (?, ?, ?, ?)");
  }

  /** Writes `batch` into backup `bk` of tenant `tk`. Call inside one write transaction: the batch lands whole or not at all. */
  write(tk: number, bk: number, batch: BackupBatch): void {
    for (const object of batch.objects) {
      const ok = this.keys.keyOf(tk, checkObjectType(object.type), object.id);
      const cid = this.contents.put(tk, canonicalJson(object.properties));
      const deleted = object.deleted ? 1 : 0;
      const previous = this.findRow.get(bk, ok);
      if (previous === undefined) {
        this.insertRow.run(bk, ok, deleted, cid);
      } else if (previous.cid !== cid || previous.deleted !== deleted) {
        this.updateRow.run(deleted, cid, bk, ok);
        if (previous.cid !== cid) this.contents.releaseIfUnused(previous.cid);
      }
    }
    for (const chunk of batch.links) {
      if (chunk.targets.length === 0) continue; // a link with no targets is stored as nothing
      const ok = this.keys.keyOf(tk, checkObjectType(chunk.type), chunk.id);
      this.stage.run(bk, ok, linkCode(chunk.link), JSON.stringify(chunk.targets));
    }
  }
}
