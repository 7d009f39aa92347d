import type { Database } from "better-sqlite3";

/**
 * The schema as numbered migrations; `PRAGMA user_version` holds how many ran. Append, never edit one that
 * shipped.
 *
 * Layout (content-addressed, so a quiet tenant's daily backups cost little more than one):
 * - `tenants`: tenant id to a small integer key (`tk`), so no row repeats the tenant's GUID.
 * - `backups`: one row per backup, with its state (`open` while captured, `sealing` while its links are
 *   folded, `completed` once listed, `deleting` while it is removed step by step) and, once completed, its
 *   counts. Keys are never reused (AUTOINCREMENT): a call holding a key across its steps cannot land on a
 *   newer backup.
 * - `objects`: the identity dictionary: (tenant, type, id) to a small integer key (`ok`) shared by every
 *   backup, so per-backup rows carry an integer instead of a 36-character id.
 * - `contents`: each distinct text once per tenant, keyed by its hash and byte size: an object's canonical
 *   properties JSON or one (object, link) target set (a sorted JSON array). The size in the key makes the
 *   key index cover the storage sum, so `backupStorageBytes` never reads the bodies.
 * - `backup_objects`, `backup_links`: what one backup holds, a few integers per object and per (object,
 *   link); their `cid` indexes let a delete find which contents no other backup still uses.
 * - `link_chunks`: link targets staged as they arrive during a capture; folded into target sets when the
 *   backup is completed.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE tenants (
    tk INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL UNIQUE
  ) STRICT;

  CREATE TABLE backups (
    bk INTEGER PRIMARY KEY AUTOINCREMENT,
    tk INTEGER NOT NULL,
    id TEXT NOT NULL,
    backup_trigger TEXT NOT NULL,
    requested_by TEXT,
    started_at TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'sealing', 'completed', 'deleting')),
    completed_at TEXT,
    counts TEXT,
    links INTEGER NOT NULL DEFAULT 0,
    UNIQUE (tk, id)
  ) STRICT;

  CREATE TABLE objects (
    ok INTEGER PRIMARY KEY,
    tk INTEGER NOT NULL,
    type TEXT NOT NULL,
    id TEXT NOT NULL,
    UNIQUE (tk, type, id)
  ) STRICT;

  CREATE TABLE contents (
    cid INTEGER PRIMARY KEY,
    tk INTEGER NOT NULL,
    hash BLOB NOT NULL,
    size INTEGER NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (tk, hash, size)
  ) STRICT;

  CREATE TABLE backup_objects (
    bk INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    cid INTEGER NOT NULL,
    PRIMARY KEY (bk, ok)
  ) WITHOUT ROWID, STRICT;
  CREATE INDEX backup_objects_by_cid ON backup_objects (cid);

  CREATE TABLE backup_links (
    bk INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    link INTEGER NOT NULL,
    cid INTEGER NOT NULL,
    PRIMARY KEY (bk, ok, link)
  ) WITHOUT ROWID, STRICT;
  CREATE INDEX backup_links_by_cid ON backup_links (cid);

  CREATE TABLE link_chunks (
    chunk INTEGER PRIMARY KEY,
    bk INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    link INTEGER NOT NULL,
    targets TEXT NOT NULL
  ) STRICT;
  CREATE INDEX link_chunks_by_key ON link_chunks (bk, ok, link);
  `,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings a database up to `SCHEMA_VERSION`. Runs in one immediate transaction, so two processes opening the
 * same new file do not both migrate it. Refuses a file from a newer version rather than misread it.
 */
export function migrate(db: Database): number {
  return db
    .transaction(() => {
      const current = db.pragma("user_version", { simple: true });
      if (typeof current !== "number") throw new Error("Could not read the schema version.");
      if (current > SCHEMA_VERSION) {
        throw new Error(`The store file has schema version ${current}; this version understands up to ${SCHEMA_VERSION}.`);
      }
      for (let v = current; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v] ?? "");
      if (current !== SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
      return SCHEMA_VERSION - current;
    })
    .immediate();
}
