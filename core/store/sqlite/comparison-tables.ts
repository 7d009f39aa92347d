import type { Database, Statement } from "better-sqlite3";
import { z } from "zod";
import type { BackupLinks } from "../../model/backup";
import type { ObjectType } from "../../model/catalog";
import type { BackupBatch } from "../../ports";
import { parseStored } from "../../../lib/stored-json";
import { StoredPropertiesSchema, StoredTargetsSchema } from "../documents/stored-backup-values";
import { checkObjectType, compareIds, sortedUnion } from "../shared/backup-contents";
import { ComparisonStateSchema, type ComparisonState } from "../shared/comparison-lifecycle";
import { linkCode, linkName } from "./link-codes";
import type { BackupEntry } from "./backup-reader";

const ComparisonRowSchema = z.object({ ck: z.number().int(), id: z.string(), state: ComparisonStateSchema });
/** A comparison snapshot's row. */
export type ComparisonRow = z.infer<typeof ComparisonRowSchema>;

interface ObjectRow {
  readonly id: string;
  readonly deleted: number;
  readonly body: string;
}

interface LinkRow {
  readonly id: string;
  readonly link: number;
  readonly targets: string;
}

/**
 * The comparison snapshots' tables (`comparisons`, `comparison_objects`, `comparison_links`): scratch, apart
 * from the backups. Objects are rows keyed by (snapshot, type, id) with their properties inline (a snapshot
 * lives minutes, so sharing content with backups would save little and tie the two together); link chunks are
 * kept as written and unioned when read, a page at a time. Methods run inside the caller's transaction.
 */
export class ComparisonTables {
  private readonly s: {
    readonly find: Statement<[number, string], unknown>;
    readonly stateOf: Statement<[number], string>;
    readonly insert: Statement<[number, string, string]>;
    readonly setState: Statement<[string, number]>;
    readonly upsertObject: Statement<[number, string, string, number, string]>;
    readonly stageLinks: Statement<[number, string, string, number, string]>;
    readonly first: Statement<[number, string, number], ObjectRow>;
    readonly after: Statement<[number, string, string, number], ObjectRow>;
    readonly byIds: Statement<[number, string, string], ObjectRow>;
    readonly links: Statement<[number, string, string], LinkRow>;
    readonly linksBetween: Statement<[number, string, string, string], LinkRow>;
    readonly removeObjects: Statement<[number, number]>;
    readonly removeLinks: Statement<[number, number]>;
    readonly remove: Statement<[number]>;
    readonly begunBefore: Statement<[number, string], string>;
  };

  constructor(db: Database) {
    this.s = {
      find: db.prepare("SELECT ck, id, state FROM comparisons WHERE tk = ? AND id = ?"),
      stateOf: db.prepare<[number], string>("SELECT state FROM comparisons WHERE ck = ?").pluck(),
      insert: db.prepare("INSERT INTO comparisons (tk, id, started_at, state) VALUES (?, ?, ?, 'open')"),
      setState: db.prepare("UPDATE comparisons SET state = ? WHERE ck = ?"),
      upsertObject: db.prepare(
        `INSERT INTO comparison_objects (ck, type, id, deleted, body) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (ck, type, id) DO UPDATE SET deleted = excluded.deleted, body = excluded.body`,
      ),
      stageLinks: db.prepare("INSERT INTO comparison_links (ck, type, id, link, targets) VALUES (?, ?, ?, ?, ?)"),
      first: db.prepare("SELECT id, deleted, body FROM comparison_objects WHERE ck = ? AND type = ? ORDER BY id LIMIT ?"),
      after: db.prepare("SELECT id, deleted, body FROM comparison_objects WHERE ck = ? AND type = ? AND id > ? ORDER BY id LIMIT ?"),
      byIds: db.prepare("SELECT id, deleted, body FROM comparison_objects WHERE ck = ? AND type = ? AND id IN (SELECT value FROM json_each(?)) ORDER BY id"),
      links: db.prepare("SELECT id, link, targets FROM comparison_links WHERE ck = ? AND type = ? AND id IN (SELECT value FROM json_each(?))"),
      linksBetween: db.prepare("SELECT id, link, targets FROM comparison_links WHERE ck = ? AND type = ? AND id BETWEEN ? AND ?"),
      removeObjects: db.prepare(
        "DELETE FROM comparison_objects WHERE row IN (SELECT row FROM comparison_objects WHERE ck = ? LIMIT ?)",
      ),
      removeLinks: db.prepare("DELETE FROM comparison_links WHERE row IN (SELECT row FROM comparison_links WHERE ck = ? LIMIT ?)"),
      remove: db.prepare("DELETE FROM comparisons WHERE ck = ?"),
      begunBefore: db.prepare<[number, string], string>("SELECT id FROM comparisons WHERE tk = ? AND started_at < ? ORDER BY started_at, ck").pluck(),
    };
  }

  /** Tenant `tk`'s snapshot, or undefined. */
  find(tk: number, id: string): ComparisonRow | undefined {
    const row = this.s.find.get(tk, id);
    return row === undefined ? undefined : ComparisonRowSchema.parse(row);
  }

  /** The state of snapshot `ck` now, or undefined once it is gone. */
  stateOf(ck: number): ComparisonState | undefined {
    const state = this.s.stateOf.get(ck);
    return state === undefined ? undefined : ComparisonStateSchema.parse(state);
  }

  /** Starts an open snapshot (`startedAt` a normalized time key). Call inside a write transaction. */
  insert(tk: number, id: string, startedAt: string): void {
    this.s.insert.run(tk, id, startedAt);
  }

  setState(ck: number, state: ComparisonState): void {
    this.s.setState.run(state, ck);
  }

  /** Writes one batch: objects upserted by (type, id), link chunks kept as they come. Call inside a write transaction. */
  write(ck: number, batch: BackupBatch): void {
    for (const object of batch.objects) {
      this.s.upsertObject.run(ck, checkObjectType(object.type), object.id, object.deleted ? 1 : 0, JSON.stringify(object.properties));
    }
    for (const chunk of batch.links) {
      if (chunk.targets.length === 0) continue; // a link with no targets is stored as nothing, as in a backup
      this.s.stageLinks.run(ck, checkObjectType(chunk.type), chunk.id, linkCode(chunk.link), JSON.stringify(chunk.targets));
    }
  }

  /** Up to `limit` objects of `type` with ids after `afterId` (from the start when null), with their links. */
  page(ck: number, type: ObjectType, afterId: string | null, limit: number): BackupEntry[] {
    const rows = afterId === null ? this.s.first.all(ck, type, limit) : this.s.after.all(ck, type, afterId, limit);
    if (rows.length === 0) return [];
    // A page is a run of consecutive ids: its link chunks are one range of the index, not a lookup per id.
    return this.withLinks(type, rows, this.s.linksBetween.all(ck, type, rows[0]!.id, rows[rows.length - 1]!.id));
  }

  /** The objects of `type` among `ids` (a bounded slice), in id order, with their links. */
  pageOfIds(ck: number, type: ObjectType, ids: readonly string[]): BackupEntry[] {
    const rows = this.s.byIds.all(ck, type, JSON.stringify(ids));
    if (rows.length === 0) return [];
    return this.withLinks(type, rows, this.s.links.all(ck, type, JSON.stringify(rows.map((r) => r.id))));
  }

  /** Removes up to `rows` objects and as many link chunks; returns how many went. Call inside a write transaction. */
  removeSome(ck: number, rows: number): number {
    return this.s.removeObjects.run(ck, rows).changes + this.s.removeLinks.run(ck, rows).changes;
  }

  /** Removes the snapshot's own row (its objects and links must be gone). */
  remove(ck: number): void {
    this.s.remove.run(ck);
  }

  /** Ids of tenant `tk`'s snapshots begun before `before` (a normalized time key), oldest first. */
  begunBefore(tk: number, before: string): string[] {
    return this.s.begunBefore.all(tk, before);
  }

  /** The objects with their link chunks unioned per link (a chunk of an id not among `rows` is left out). */
  private withLinks(type: ObjectType, rows: readonly ObjectRow[], linkRows: readonly LinkRow[]): BackupEntry[] {
    const chunks = new Map<string, Map<number, string[][]>>();
    for (const row of linkRows) {
      let ofObject = chunks.get(row.id);
      if (ofObject === undefined) chunks.set(row.id, (ofObject = new Map()));
      const lists = ofObject.get(row.link) ?? [];
      lists.push(parseStored(StoredTargetsSchema, row.targets, `link chunk of ${type} ${row.id}`));
      ofObject.set(row.link, lists);
    }
    return rows.map((row) => {
      const links: BackupLinks[] = [...(chunks.get(row.id) ?? new Map<number, string[][]>())]
        .map(([code, lists]) => ({ type, id: row.id, link: linkName(code), targets: sortedUnion(lists) }))
        .sort((a, b) => compareIds(a.link, b.link));
      return {
        object: { type, id: row.id, deleted: row.deleted !== 0, properties: parseStored(StoredPropertiesSchema, row.body, `properties of ${type} ${row.id}`) },
        links,
      };
    });
  }
}
