import type { Database, Statement } from "better-sqlite3";

/**
 * Fixed bytes per row on top of the stored lengths: record header, integer keys, and the row's entries in
 * the indexes it is in. Measured with SQLite's `dbstat` (bytes in use, 4 KiB pages) on 20k- and 100k-object
 * tenants; B-tree slack (half-full pages, about 10% more on disk) and free pages are not counted.
 */
const PER_CONTENT = 60; // cid, tk, size and the 16-byte hash in the table, and the (tk, hash, size) key index entry
const PER_IDENTITY = 21; // ok and tk in the table; type and id are counted twice (table and index) by length
const PER_OBJECT_ROW = 26; // (bk, ok, deleted, cid) and its (cid, bk, ok) index entry
const PER_LINK_ROW = 30; // (bk, ok, link, cid) and its (cid, bk, ok, link) index entry
const PER_CHUNK = 24; // a staged chunk's row and its (bk, ok, link) index entry
const PER_BACKUP = 160; // the backup's own row with its summary

interface Totals {
  readonly n: number;
  readonly bytes: number;
}

/**
 * Bytes attributable to one tenant in a file that may hold several: an estimate from the lengths stored
 * (content bodies, ids, staged chunks) plus fixed per-row costs, each distinct content counted once. Page
 * counts cannot be split by tenant, hence lengths.
 */
export class StorageEstimate {
  private readonly contents: Statement<[number], Totals>;
  private readonly identities: Statement<[number], Totals>;
  private readonly objectRows: Statement<[number], number>;
  private readonly linkRows: Statement<[number], number>;
  private readonly chunks: Statement<[number], Totals>;
  private readonly backups: Statement<[number], number>;

  constructor(db: Database) {
    const mine = "bk IN (SELECT bk FROM backups WHERE tk = ?)";
    this.contents = db.prepare("SELECT count(*) AS n, total(size) AS bytes FROM contents WHERE tk = ?");
    this.identities = db.prepare("SELECT count(*) AS n, total(2 * (length(CAST(type AS BLOB)) + length(CAST(id AS BLOB)))) AS bytes FROM objects WHERE tk = ?");
    this.objectRows = db.prepare<[number], number>(`SELECT count(*) FROM backup_objects WHERE ${mine}`).pluck();
    this.linkRows = db.prepare<[number], number>(`SELECT count(*) FROM backup_links WHERE ${mine}`).pluck();
    this.chunks = db.prepare(`SELECT count(*) AS n, total(length(CAST(targets AS BLOB))) AS bytes FROM link_chunks WHERE ${mine}`);
    this.backups = db.prepare<[number], number>("SELECT count(*) FROM backups WHERE tk = ?").pluck();
  }

  /** The tenant's bytes; call inside one read transaction so the parts agree. */
  bytes(tk: number): number {
    const contents = this.contents.get(tk) ?? { n: 0, bytes: 0 };
    const identities = this.identities.get(tk) ?? { n: 0, bytes: 0 };
    const chunks = this.chunks.get(tk) ?? { n: 0, bytes: 0 };
    return Math.round(
      contents.bytes + contents.n * PER_CONTENT +
        identities.bytes + identities.n * PER_IDENTITY +
        (this.objectRows.get(tk) ?? 0) * PER_OBJECT_ROW +
        (this.linkRows.get(tk) ?? 0) * PER_LINK_ROW +
        chunks.bytes + chunks.n * PER_CHUNK +
        (this.backups.get(tk) ?? 0) * PER_BACKUP,
    );
  }
}
