import type { Database, Statement } from "better-sqlite3";
import type { ContentTable } from "./content-table";
import type { ObjectKeys } from "./object-keys";
import { parseStored } from "../../../lib/stored-json";
import { StoredTargetsSchema } from "../documents/stored-backup-values";
import { sortedUnion } from "../shared/backup-contents";

interface ChunkRow {
  readonly ok: number;
  readonly link: number;
  readonly targets: string;
}

interface Group {
  readonly ok: number;
  readonly link: number;
  bodies: string[];
}

/** What one merge step did. */
export interface MergeStep {
  /** (object, link) groups handled; 0 when nothing was left to merge. */
  readonly groups: number;
  /** Link targets added to the backup. */
  readonly targets: number;
}

/**
 * Merges staged link chunks into target sets (a completing backup's step: `sealing`), one page of chunks per call (in index order, never the whole
 * staging at once): each (object, link) group becomes the sorted, deduplicated union of its chunks, stored
 * as content, and its chunks are removed in the same transaction. Groups whose object never arrived belong
 * to no object: they are dropped, not stored.
 */
export class LinkChunkMerger {
  private readonly nextChunks: Statement<[number, number], ChunkRow>;
  private readonly groupChunks: Statement<[number, number, number], string>;
  private readonly dropGroup: Statement<[number, number, number]>;
  private readonly hasObject: Statement<[number, number], number>;
  private readonly insertLink: Statement<[number, number, number, number]>;
  private readonly addCount: Statement<[number, number]>;

  constructor(
    db: Database,
    private readonly contents: ContentTable,
    private readonly keys: ObjectKeys,
    private readonly pageChunks: number,
  ) {
    this.nextChunks = db.prepare<[number, number], ChunkRow>("SELECT ok, link, targets FROM link_chunks WHERE bk = ? ORDER BY ok, link LIMIT ?");
    this.groupChunks = db.prepare<[number, number, number], string>("SELECT targets FROM link_chunks WHERE bk = ? AND ok = ? AND link = ?").pluck();
    this.dropGroup = db.prepare<[number, number, number]>("DELETE FROM link_chunks WHERE bk = ? AND ok = ? AND link = ?");
    this.hasObject = db.prepare<[number, number], number>("SELECT 1 FROM backup_objects WHERE bk = ? AND ok = ?").pluck();
    this.insertLink = db.prepare<[number, number, number, number]>("INSERT INTO backup_links (bk, ok, link, cid) VALUES (?, ?, ?, ?)");
    this.addCount = db.prepare<[number, number]>("UPDATE backups SET links = links + ? WHERE bk = ?");
  }

  /** Merges the next page of backup `bk`'s staged chunks. Call inside one write transaction. */
  step(tk: number, bk: number): MergeStep {
    const rows = this.nextChunks.all(bk, this.pageChunks);
    const groups: Group[] = [];
    for (const row of rows) {
      const last = groups[groups.length - 1];
      if (last && last.ok === row.ok && last.link === row.link) last.bodies.push(row.targets);
      else groups.push({ ok: row.ok, link: row.link, bodies: [row.targets] });
    }
    // A full page may have cut the last group short: take all of its chunks.
    const tail = groups[groups.length - 1];
    if (tail && rows.length === this.pageChunks) tail.bodies = this.groupChunks.all(bk, tail.ok, tail.link);

    let targets = 0;
    for (const group of groups) {
      this.dropGroup.run(bk, group.ok, group.link);
      if (this.hasObject.get(bk, group.ok) === undefined) {
        this.keys.releaseIfUnused(tk, group.ok);
        continue;
      }
      const set = sortedUnion(group.bodies.map((body) => parseStored(StoredTargetsSchema, body, "link chunk")));
      this.insertLink.run(bk, group.ok, group.link, this.contents.put(tk, JSON.stringify(set)));
      targets += set.length;
    }
    if (targets > 0) this.addCount.run(targets, bk);
    return { groups: groups.length, targets };
  }
}
