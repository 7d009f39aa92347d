import type { Database } from "better-sqlite3";

/**
 * The schema as numbered migrations; `PRAGMA user_version` holds how many ran. Append, never edit one that
 * shipped.
 *
 * Layout (content-addressed, so a quiet tenant's daily backups cost little more than one):
 * - `tenants`: tenant id to a small integer key (`tk`), so no row repeats the tenant's GUID.
 * - `backups`: one row per backup, with its state (`open` while captured, `sealing` while its links are
 *   merged, `completed` once listed, `deleting` while it is removed step by step) and, once completed, its
 *   counts. Keys are never reused (AUTOINCREMENT): a call holding a key across its steps cannot land on a
 *   newer backup.
 * - `objects`: the identity dictionary: (tenant, type, id) to a small integer key (`ok`) shared by every
 *   backup, so per-backup rows carry an integer instead of a 36-character id.
 * - `contents`: each distinct text once per tenant, keyed by its hash and byte size: an object's canonical
 *   properties JSON or one (object, link) target set (a sorted JSON array). The size in the key makes the
 *   key index cover the storage sum, so `backupStorageBytes` never reads the bodies.
 * - `backup_objects`, `backup_links`: what one backup holds, a few integers per object and per (object,
 *   link); their `cid` indexes let a delete find which contents no other backup still uses.
 * - `link_chunks`: link targets staged as they arrive during a capture; merged into target sets when the
 *   backup is completed.
 *
 * Jobs (migration 2). Documents are JSON (read back through a schema); the columns beside them are what
 * queries filter and sort on. Times in columns are normalized (`toISOString`), so text order is time order.
 * - `jobs`: one row per job: its document (without the fields the store owns: `version`, the cancel flag),
 *   plus indexed columns. Keys are never reused (AUTOINCREMENT), so a stepped delete cannot reach a newer job.
 * - `active_jobs`: the one-job-per-tenant lock: at most one row per tenant (its primary key), naming the
 *   tenant's non-terminal job. Taken in the transaction that inserts the job and freed in the one that makes
 *   it terminal (or deletes it), so the rule holds across processes sharing the file.
 * - `job_changes`: a job's changes keyed by (job, seq), with type and action beside the body for filtered
 *   paging; `job_outcomes`: recovery step outcomes keyed by (job, seq, step).
 * - `recovery_requests`, `audit_entries`: documents with the columns their listings need.
 *
 * Migration 3 is empty: the tables it made belong to the front end now, which creates and migrates them
 * itself (a file that has them keeps them; the engine never reads them).
 *
 * Tenant-scoped sweeps (migration 4): the runner's look for unfinished jobs and every retention purge read one
 * tenant only, so the indexes they use lead with the tenant key (`audit_entries_by_time` already did).
 *
 * Comparison snapshots (migration 5): a job's read of the current state gets its own scratch tables instead of
 * being a backup with the trigger `comparison`, and the comparison backups earlier versions left are removed
 * (with the contents and identities only they used). Its tables are created only when missing, so a file
 * rolled back to an earlier version number (as the tests make old files) migrates too.
 * - `comparisons`: one row per snapshot (`ck`, never reused), its state (core/store/shared/comparison-lifecycle.ts)
 *   and when it was begun (normalized), for the clean-up of those a dead process left.
 * - `comparison_objects`: its objects by (snapshot, type, id), properties inline; `comparison_links`: its link
 *   chunks as written, unioned when read.
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
  `
  CREATE TABLE jobs (
    jk INTEGER PRIMARY KEY AUTOINCREMENT,
    tk INTEGER NOT NULL,
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    backup_id TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    completed_at TEXT,
    version INTEGER NOT NULL,
    cancel_requested INTEGER NOT NULL,
    cancel_requested_by TEXT,
    doc TEXT NOT NULL,
    UNIQUE (tk, id)
  ) STRICT;
  CREATE INDEX jobs_by_time ON jobs (tk, created_at, id);
  CREATE INDEX jobs_by_state ON jobs (state);
  CREATE INDEX jobs_by_completion ON jobs (completed_at) WHERE completed_at IS NOT NULL;

  CREATE TABLE active_jobs (
    tk INTEGER PRIMARY KEY,
    jk INTEGER NOT NULL UNIQUE
  ) STRICT;

  CREATE TABLE job_changes (
    jk INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    type TEXT NOT NULL,
    action TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (jk, seq)
  ) WITHOUT ROWID, STRICT;
  CREATE INDEX job_changes_by_kind ON job_changes (jk, type, action, seq);

  CREATE TABLE job_outcomes (
    jk INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    step TEXT NOT NULL,
    status TEXT NOT NULL,
    message TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (jk, seq, step)
  ) WITHOUT ROWID, STRICT;
  CREATE INDEX job_outcomes_failed ON job_outcomes (jk, seq) WHERE status = 'failed';

  CREATE TABLE recovery_requests (
    rk INTEGER PRIMARY KEY,
    tk INTEGER NOT NULL,
    id TEXT NOT NULL,
    state TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL,
    UNIQUE (tk, id)
  ) STRICT;
  CREATE INDEX recovery_requests_by_time ON recovery_requests (tk, requested_at, id);

  CREATE TABLE audit_entries (
    ak INTEGER PRIMARY KEY,
    tk INTEGER NOT NULL,
    at TEXT NOT NULL,
    doc TEXT NOT NULL
  ) STRICT;
  CREATE INDEX audit_entries_by_time ON audit_entries (tk, at);
  CREATE INDEX audit_entries_by_age ON audit_entries (at);
  `,
  "",
  `
  DROP INDEX IF EXISTS jobs_by_state;
  CREATE INDEX jobs_by_state ON jobs (tk, state);
  DROP INDEX IF EXISTS jobs_by_completion;
  CREATE INDEX jobs_by_completion ON jobs (tk, completed_at) WHERE completed_at IS NOT NULL;
  DROP INDEX IF EXISTS audit_entries_by_age;
  `,
  `
  CREATE TABLE IF NOT EXISTS comparisons (
    ck INTEGER PRIMARY KEY AUTOINCREMENT,
    tk INTEGER NOT NULL,
    id TEXT NOT NULL,
    started_at TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'sealing', 'finished', 'dropping')),
    UNIQUE (tk, id)
  ) STRICT;
  CREATE INDEX IF NOT EXISTS comparisons_by_age ON comparisons (tk, started_at);

  CREATE TABLE IF NOT EXISTS comparison_objects (
    row INTEGER PRIMARY KEY,
    ck INTEGER NOT NULL,
    type TEXT NOT NULL,
    id TEXT NOT NULL,
    deleted INTEGER NOT NULL,
    body TEXT NOT NULL
  ) STRICT;
  CREATE UNIQUE INDEX IF NOT EXISTS comparison_objects_by_key ON comparison_objects (ck, type, id);

  CREATE TABLE IF NOT EXISTS comparison_links (
    row INTEGER PRIMARY KEY,
    ck INTEGER NOT NULL,
    type TEXT NOT NULL,
    id TEXT NOT NULL,
    link INTEGER NOT NULL,
    targets TEXT NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS comparison_links_by_object ON comparison_links (ck, type, id);

  CREATE TEMP TABLE legacy_comparisons AS SELECT bk, tk FROM backups WHERE backup_trigger = 'comparison';
  CREATE TEMP TABLE legacy_contents AS
    SELECT cid FROM backup_objects WHERE bk IN (SELECT bk FROM legacy_comparisons)
    UNION SELECT cid FROM backup_links WHERE bk IN (SELECT bk FROM legacy_comparisons);
  CREATE TEMP TABLE legacy_objects AS
    SELECT ok FROM backup_objects WHERE bk IN (SELECT bk FROM legacy_comparisons)
    UNION SELECT ok FROM backup_links WHERE bk IN (SELECT bk FROM legacy_comparisons)
    UNION SELECT ok FROM link_chunks WHERE bk IN (SELECT bk FROM legacy_comparisons);
  DELETE FROM backup_objects WHERE bk IN (SELECT bk FROM legacy_comparisons);
  DELETE FROM backup_links WHERE bk IN (SELECT bk FROM legacy_comparisons);
  DELETE FROM link_chunks WHERE bk IN (SELECT bk FROM legacy_comparisons);
  DELETE FROM backups WHERE bk IN (SELECT bk FROM legacy_comparisons);
  DELETE FROM contents WHERE cid IN (SELECT cid FROM legacy_contents)
    AND NOT EXISTS (SELECT 1 FROM backup_objects x WHERE x.cid = contents.cid)
    AND NOT EXISTS (SELECT 1 FROM backup_links x WHERE x.cid = contents.cid);
  DELETE FROM objects WHERE ok IN (SELECT ok FROM legacy_objects)
    AND NOT EXISTS (SELECT 1 FROM backups b JOIN backup_objects x ON x.bk = b.bk AND x.ok = objects.ok WHERE b.tk = objects.tk)
    AND NOT EXISTS (SELECT 1 FROM backups b JOIN backup_links x ON x.bk = b.bk AND x.ok = objects.ok WHERE b.tk = objects.tk)
    AND NOT EXISTS (SELECT 1 FROM backups b JOIN link_chunks x ON x.bk = b.bk AND x.ok = objects.ok WHERE b.tk = objects.tk);
  DROP TABLE legacy_comparisons;
  DROP TABLE legacy_contents;
  DROP TABLE legacy_objects;
  `,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings a database up to `SCHEMA_VERSION` (or to `target`, an earlier version: tests build an old file that
 * way). Runs in one immediate transaction, so two processes opening the same new file do not both migrate it.
 * Refuses a file from a newer version rather than misread it.
 */
export function migrate(db: Database, target: number = SCHEMA_VERSION): number {
  return db
    .transaction(() => {
      const current = db.pragma("user_version", { simple: true });
      if (typeof current !== "number") throw new Error("Could not read the schema version.");
      if (current > SCHEMA_VERSION) {
        throw new Error(`The store file has schema version ${current}; this version understands up to ${SCHEMA_VERSION}.`);
      }
      const to = Math.min(Math.max(target, current), SCHEMA_VERSION);
      for (let v = current; v < to; v++) db.exec(MIGRATIONS[v] ?? "");
      if (current !== to) db.pragma(`user_version = ${to}`);
      return to - current;
    })
    .immediate();
}
