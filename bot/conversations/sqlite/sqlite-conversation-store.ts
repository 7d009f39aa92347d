import Database from "better-sqlite3";
import { setImmediate as nextTurn } from "node:timers/promises";
import pino, { type Logger } from "pino";
import { CheckedConversationStore } from "../checked-conversation-store";
import type { ConversationRecord, PostedCard } from "../conversation";
import type { CardSwap, CheckedSave, ConversationBackend, ConversationStore } from "../conversation-store";
import { AlertTable } from "./alert-table";
import { migrateConversations } from "./conversation-schema";
import { ConversationTable } from "./conversation-table";
import { TenantKeys } from "../../../lib/sqlite-tenant-keys";
import { PostedCardTable } from "./posted-card-table";

/** How to open the bot's SQLite conversation store. */
export interface SqliteConversationStoreOptions {
  /** The database file (the engine's own file by default in production; created when missing), or `":memory:"`. */
  readonly file: string;
  readonly logger?: Logger;
}

/** How long a write waits for another connection's write lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 10_000;

/**
 * The ConversationStore on SQLite, on its own connection (WAL, like the engine's): conversation references,
 * posted cards and alert claims in the bot's own tables. Each call is one small transaction and turns the
 * event loop first, as the job watcher and the alert sweep loop over them. Every write transaction begins
 * IMMEDIATE, which is what makes an alert's claim and a card's compare-and-set atomic across processes
 * sharing the file.
 */
class SqliteConversationBackend implements ConversationBackend {
  private readonly tenants: TenantKeys;
  private readonly conversations: ConversationTable;
  private readonly postedCards: PostedCardTable;
  private readonly alerts: AlertTable;

  constructor(
    private readonly db: Database.Database,
    private readonly log: Logger,
  ) {
    this.tenants = new TenantKeys(db, "conversation_tenants");
    this.conversations = new ConversationTable(db);
    this.postedCards = new PostedCardTable(db);
    this.alerts = new AlertTable(db);
  }

  async saveConversation(tenantId: string, save: CheckedSave): Promise<ConversationRecord> {
    await nextTurn();
    return this.write(() => this.conversations.save(this.tenants.ensure(tenantId), tenantId, save));
  }

  async getConversation(tenantId: string, conversationId: string): Promise<ConversationRecord | null> {
    await nextTurn();
    return this.read(() => this.withTenant(tenantId, null, (tk) => this.conversations.get(tk, tenantId, conversationId)));
  }

  async listConversations(tenantId: string): Promise<ConversationRecord[]> {
    await nextTurn();
    return this.read(() => this.withTenant(tenantId, [], (tk) => this.conversations.list(tk, tenantId)));
  }

  /** The conversation and its cards go in one transaction. */
  async deleteConversation(tenantId: string, conversationId: string): Promise<void> {
    await nextTurn();
    this.write(() =>
      this.withTenant(tenantId, undefined, (tk) => {
        this.conversations.remove(tk, conversationId);
        this.postedCards.removeConversation(tk, conversationId);
      }),
    );
  }

  async markConversationStale(tenantId: string, conversationId: string, reason: string, at: string): Promise<void> {
    await nextTurn();
    this.write(() => this.withTenant(tenantId, undefined, (tk) => this.conversations.markStale(tk, conversationId, reason, at)));
  }

  async addPostedCard(card: PostedCard): Promise<void> {
    await nextTurn();
    this.write(() => this.postedCards.add(this.tenants.ensure(card.tenantId), card));
  }

  async listPostedCards(tenantId: string, subject: string): Promise<PostedCard[]> {
    await nextTurn();
    return this.read(() => this.withTenant(tenantId, [], (tk) => this.postedCards.list(tk, tenantId, subject)));
  }

  async swapPostedCard(swap: CardSwap): Promise<boolean> {
    await nextTurn();
    return this.write(() => this.withTenant(swap.tenantId, false, (tk) => this.postedCards.swap(tk, swap)));
  }

  /** The check and the claim are one IMMEDIATE transaction: two processes on one file cannot both win. */
  async claimAlert(tenantId: string, key: string, owner: string, at: string, staleBefore: string): Promise<boolean> {
    await nextTurn();
    return this.write(() => this.alerts.claim(this.tenants.ensure(tenantId), key, owner, at, staleBefore));
  }

  async completeAlert(tenantId: string, key: string, owner: string, at: string): Promise<void> {
    await nextTurn();
    this.write(() => this.withTenant(tenantId, undefined, (tk) => this.alerts.complete(tk, key, owner, at)));
  }

  async releaseAlert(tenantId: string, key: string, owner: string): Promise<void> {
    await nextTurn();
    this.write(() => this.withTenant(tenantId, undefined, (tk) => this.alerts.release(tk, key, owner)));
  }

  async alertSent(tenantId: string, key: string): Promise<boolean> {
    await nextTurn();
    return this.read(() => this.withTenant(tenantId, false, (tk) => this.alerts.isSent(tk, key)));
  }

  async purgeConversationState(tenantId: string, before: string): Promise<number> {
    const removed = this.write(() => this.withTenant(tenantId, 0, (tk) => this.postedCards.purge(tk, before) + this.alerts.purge(tk, before)));
    if (removed > 0) this.log.info({ tenantId, before, removed }, "posted cards and alert records purged");
    return removed;
  }

  /** `fn` with the tenant's key, or `none` when nothing was ever stored for the tenant. */
  private withTenant<T, N>(tenantId: string, none: N, fn: (tk: number) => T): T | N {
    const tk = this.tenants.keyOf(tenantId);
    return tk === undefined ? none : fn(tk);
  }

  /** Runs `fn` in a write transaction taken at once (BEGIN IMMEDIATE), so two connections never deadlock upgrading. */
  private write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** Runs `fn` in a read transaction: one consistent snapshot for its statements. */
  private read<T>(fn: () => T): T {
    return this.db.transaction(fn).deferred();
  }
}

/** The bot's conversation store on a SQLite file, and how to close its connection. */
export type SqliteConversationStore = ConversationStore & { close(): void };

/** Opens (creating and migrating the bot's tables when needed) the conversation store on a SQLite file. */
export function openSqliteConversationStore(options: SqliteConversationStoreOptions): SqliteConversationStore {
  const log = (options.logger ?? pino({ level: "silent" })).child({ component: "sqlite-conversation-store" });
  const db = new Database(options.file, { timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    const migrated = migrateConversations(db);
    log.debug({ file: options.file, migrated }, "conversation store opened");
  } catch (err) {
    db.close();
    throw err;
  }
  const store = new CheckedConversationStore(new SqliteConversationBackend(db, log));
  return Object.assign(store, {
    close: () => {
      if (db.open) db.close();
    },
  });
}
