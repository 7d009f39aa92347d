import type { Database, Statement } from "better-sqlite3";
import type { BackupLinks, BackupObject } from "../../model/backup";
import type { ObjectType } from "../../model/catalog";
import { linkName } from "./link-codes";
import { parseStored } from "../../../lib/stored-json";
import { StoredPropertiesSchema, StoredTargetsSchema } from "../documents/stored-backup-values";

/** One object of a backup with its links, as `readBackup` yields it. */
export interface BackupEntry {
  readonly object: BackupObject;
  readonly links: readonly BackupLinks[];
}

interface ObjectRow {
  readonly ok: number;
  readonly id: string;
  readonly deleted: number;
  readonly body: string;
}

interface LinkRow {
  readonly ok: number;
  readonly link: number;
  readonly body: string;
}

/**
 * Reads one page of a completed backup: objects of one type in id order (walking the identity index, which
 * is sorted by (type, id)), then the links of just those objects. Pages are bounded, so a read holds one
 * page in memory whatever the backup's size, and no statement stays open between pages.
 */
export class BackupReader {
  private readonly first: Statement<[number, number, string, number], ObjectRow>;
  private readonly after: Statement<[number, number, string, string, number], ObjectRow>;
  private readonly byIds: Statement<[number, number, string, string], ObjectRow>;
  private readonly links: Statement<[number, string], LinkRow>;

  constructor(db: Database) {
    const select = `SELECT o.ok AS ok, o.id AS id, r.deleted AS deleted, c.body AS body
      FROM objects o
      JOIN backup_objects r ON r.bk = ? AND r.ok = o.ok
      JOIN contents c ON c.cid = r.cid`;
    this.first = db.prepare(`${select} WHERE o.tk = ? AND o.type = ? ORDER BY o.id LIMIT ?`);
    this.after = db.prepare(`${select} WHERE o.tk = ? AND o.type = ? AND o.id > ? ORDER BY o.id LIMIT ?`);
    this.byIds = db.prepare(`${select} WHERE o.tk = ? AND o.type = ? AND o.id IN (SELECT value FROM json_each(?)) ORDER BY o.id`);
    this.links = db.prepare(
      `SELECT l.ok AS ok, l.link AS link, c.body AS body
       FROM backup_links l JOIN contents c ON c.cid = l.cid
       WHERE l.bk = ? AND l.ok IN (SELECT value FROM json_each(?))`,
    );
  }

  /** Up to `limit` objects of `type` with ids after `afterId` (from the start when null). */
  page(tk: number, bk: number, type: ObjectType, afterId: string | null, limit: number): BackupEntry[] {
    const rows = afterId === null ? this.first.all(bk, tk, type, limit) : this.after.all(bk, tk, type, afterId, limit);
    return this.withLinks(bk, type, rows);
  }

  /** The objects of `type` among `ids` (a bounded slice of the caller's filter), in id order. */
  pageOfIds(tk: number, bk: number, type: ObjectType, ids: readonly string[]): BackupEntry[] {
    return this.withLinks(bk, type, this.byIds.all(bk, tk, type, JSON.stringify(ids)));
  }

  private withLinks(bk: number, type: ObjectType, rows: readonly ObjectRow[]): BackupEntry[] {
    if (rows.length === 0) return [];
    const idOf = new Map(rows.map((r) => [r.ok, r.id]));
    const byKey = new Map<number, BackupLinks[]>();
    for (const row of this.links.all(bk, JSON.stringify(rows.map((r) => r.ok)))) {
      const id = idOf.get(row.ok);
      if (id === undefined) continue;
      const list = byKey.get(row.ok) ?? [];
      list.push({ type, id, link: linkName(row.link), targets: parseStored(StoredTargetsSchema, row.body, `targets of ${type} ${id}`) });
      byKey.set(row.ok, list);
    }
    return rows.map((row) => ({
      object: {
        type,
        id: row.id,
        deleted: row.deleted !== 0,
        properties: parseStored(StoredPropertiesSchema, row.body, `properties of ${type} ${row.id}`),
      },
      links: (byKey.get(row.ok) ?? []).sort((a, b) => (a.link < b.link ? -1 : a.link > b.link ? 1 : 0)),
    }));
  }
}
