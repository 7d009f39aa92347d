import type { Database } from "better-sqlite3";

/**
 * The bot's tables in a SQLite file, as numbered migrations with their own version key (a row of
 * `schema_parts`), apart from the engine's `user_version`: the file may be the engine's own, and each side
 * migrates only its tables. Append, never edit one that shipped.
 *
 * - `conversation_tenants`: tenant id to the small integer key (`tk`) the rows below carry. A file from
 *   before the split keyed them by the engine's `tenants` table: its keys are copied once, so those rows
 *   stay the tenant's.
 * - `conversations`: one stored conversation reference per (tenant, conversation), with the people seen there.
 * - `posted_cards`: cards posted about a job or recovery request, to update in place; `activity_id` is ''
 *   for a conversation that only follows the subject (a key column cannot be NULL).
 * - `alerts`: one row per alert key, claimed by one process and marked sent, so each alert goes out once.
 *
 * The tables, indexes and their names are those a file from before the split already has (IF NOT EXISTS),
 * so its data reads on unchanged; the age indexes lead with the tenant key (retention reads one tenant).
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE IF NOT EXISTS conversation_tenants (
    tk INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL UNIQUE
  ) STRICT;

  CREATE TABLE IF NOT EXISTS conversations (
    tk INTEGER NOT NULL,
    id TEXT NOT NULL,
    conversation_type TEXT NOT NULL,
    reference TEXT NOT NULL,
    members TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    stale_at TEXT,
    stale_reason TEXT,
    PRIMARY KEY (tk, id)
  ) WITHOUT ROWID, STRICT;

  CREATE TABLE IF NOT EXISTS posted_cards (
    tk INTEGER NOT NULL,
    subject TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    activity_id TEXT NOT NULL,
    posted_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    PRIMARY KEY (tk, subject, conversation_id, activity_id)
  ) WITHOUT ROWID, STRICT;
  CREATE INDEX IF NOT EXISTS posted_cards_by_conversation ON posted_cards (tk, conversation_id);
  DROP INDEX IF EXISTS posted_cards_by_age;
  CREATE INDEX posted_cards_by_age ON posted_cards (tk, posted_at);

  CREATE TABLE IF NOT EXISTS alerts (
    tk INTEGER NOT NULL,
    key TEXT NOT NULL,
    owner TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    sent_at TEXT,
    PRIMARY KEY (tk, key)
  ) WITHOUT ROWID, STRICT;
  DROP INDEX IF EXISTS alerts_by_age;
  CREATE INDEX alerts_by_age ON alerts (tk, claimed_at);
  `,
];

/** The bot's schema version this code writes. */
export const CONVERSATION_SCHEMA_VERSION = MIGRATIONS.length;

/** The `schema_parts` row that holds the bot's schema version. */
const PART = "conversations";

/**
 * Brings the bot's tables up to `CONVERSATION_SCHEMA_VERSION`, in one immediate transaction (two processes
 * opening the same file do not both migrate). Refuses a file from a newer version rather than misread it.
 */
export function migrateConversations(db: Database): number {
  return db
    .transaction(() => {
      db.exec("CREATE TABLE IF NOT EXISTS schema_parts (part TEXT PRIMARY KEY, version INTEGER NOT NULL) STRICT");
      const found: unknown = db.prepare("SELECT version FROM schema_parts WHERE part = ?").pluck().get(PART);
      const current = typeof found === "number" ? found : 0;
      if (current > CONVERSATION_SCHEMA_VERSION) {
        throw new Error(`The store file's conversation tables have schema version ${current}; this version understands up to ${CONVERSATION_SCHEMA_VERSION}.`);
      }
      for (let v = current; v < CONVERSATION_SCHEMA_VERSION; v++) {
        db.exec(MIGRATIONS[v] ?? "");
        if (v === 0) carryTenantKeys(db);
      }
      if (current !== CONVERSATION_SCHEMA_VERSION) {
        db.prepare("INSERT INTO schema_parts (part, version) VALUES (?, ?) ON CONFLICT (part) DO UPDATE SET version = excluded.version").run(PART, CONVERSATION_SCHEMA_VERSION);
      }
      return CONVERSATION_SCHEMA_VERSION - current;
    })
    .immediate();
}

/** A file from before the split: the rows are keyed by the engine's tenant keys, which are copied as they are. */
function carryTenantKeys(db: Database): void {
  const shared = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'tenants'").pluck().get();
  if (shared === 1) db.exec("INSERT OR IGNORE INTO conversation_tenants (tk, tenant_id) SELECT tk, tenant_id FROM tenants");
}
