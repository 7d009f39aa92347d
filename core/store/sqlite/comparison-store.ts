import { setImmediate as nextTurn } from "node:timers/promises";
import type { Database } from "better-sqlite3";
import { OBJECT_TYPES } from "../../model/catalog";
import type { BackupBatch, BackupReadOptions, ComparisonStore } from "../../ports";
import { timeKey } from "../../../lib/time-key";
import { readFilter } from "../shared/backup-contents";
import { comparisonLifecycle } from "../shared/comparison-lifecycle";
import type { BackupEntry } from "./backup-reader";
import { ComparisonTables, type ComparisonRow } from "./comparison-tables";
import type { TenantKeys } from "../../../lib/sqlite-tenant-keys";

/** The store's transactions: a write begun IMMEDIATE, a read on one snapshot. */
export interface SqliteTransactions {
  write<T>(fn: () => T): T;
  read<T>(fn: () => T): T;
}

/**
 * The comparison snapshots on SQLite (see `ComparisonTables`). Like a backup, a batch is one transaction, a
 * read is one short transaction per page, and a drop runs in steps of `stepRows` with turns of the event loop
 * between them; unlike a backup, finishing one is a state change only (its link chunks are unioned as read).
 */
export class SqliteComparisonStore implements ComparisonStore {
  private readonly tables: ComparisonTables;

  constructor(
    db: Database,
    private readonly tenants: TenantKeys,
    private readonly tx: SqliteTransactions,
    private readonly batchSize: number,
    private readonly stepRows: number,
  ) {
    this.tables = new ComparisonTables(db);
  }

  async beginComparison(tenantId: string, comparisonId: string, startedAt: string): Promise<void> {
    const started = timeKey(startedAt, "startedAt");
    this.tx.write(() => {
      const tk = this.tenants.ensure(tenantId);
      if (this.tables.find(tk, comparisonId) !== undefined) throw comparisonLifecycle.taken(comparisonId);
      this.tables.insert(tk, comparisonId, started);
    });
  }

  async addToComparison(tenantId: string, comparisonId: string, batch: BackupBatch): Promise<void> {
    await nextTurn();
    this.tx.write(() => {
      const row = comparisonLifecycle.requireOpen(comparisonId, this.find(tenantId, comparisonId));
      this.tables.write(row.ck, batch);
    });
  }

  async finishComparison(tenantId: string, comparisonId: string): Promise<void> {
    this.tx.write(() => {
      const row = comparisonLifecycle.requireFinishable(comparisonId, this.find(tenantId, comparisonId));
      this.tables.setState(row.ck, "finished");
    });
  }

  /** Type by type (catalog order), ids ascending; each page in its own short read transaction. */
  async *readComparison(tenantId: string, comparisonId: string, options?: BackupReadOptions): AsyncIterable<readonly BackupEntry[]> {
    const { ck } = this.tx.read(() => comparisonLifecycle.requireFinished(comparisonId, this.find(tenantId, comparisonId)));
    const { types, ids } = readFilter(options);
    const page = <T>(fn: () => T): T =>
      this.tx.read(() => {
        if (this.tables.stateOf(ck) !== "finished") throw comparisonLifecycle.droppedWhileRead(comparisonId);
        return fn();
      });
    for (const type of OBJECT_TYPES) {
      if (types !== null && !types.has(type)) continue;
      if (ids !== null) {
        for (let i = 0; i < ids.length; i += this.batchSize) {
          const slice = ids.slice(i, i + this.batchSize);
          const entries = page(() => this.tables.pageOfIds(ck, type, slice));
          if (entries.length > 0) yield entries;
          await nextTurn();
        }
        continue;
      }
      let after: string | null = null;
      for (;;) {
        const from: string | null = after;
        const entries: BackupEntry[] = page(() => this.tables.page(ck, type, from, this.batchSize));
        if (entries.length === 0) break;
        yield entries;
        await nextTurn();
        if (entries.length < this.batchSize) break;
        after = entries[entries.length - 1]!.object.id;
      }
    }
  }

  /** Marks it `dropping` (unreadable at once), then removes it in steps; the last step removes its row. */
  async dropComparison(tenantId: string, comparisonId: string): Promise<void> {
    const ck = this.tx.write(() => {
      const row = this.find(tenantId, comparisonId);
      if (row === undefined) return undefined;
      if (row.state !== "dropping") this.tables.setState(row.ck, "dropping");
      return row.ck;
    });
    if (ck === undefined) return;
    for (;;) {
      // Another caller may finish the same drop meanwhile; then there is nothing left to do.
      const done = this.tx.write(() => {
        if (this.tables.stateOf(ck) !== "dropping") return true;
        if (this.tables.removeSome(ck, this.stepRows) > 0) return false;
        this.tables.remove(ck);
        return true;
      });
      if (done) return;
      await nextTurn(); // let the bot answer while a large snapshot is removed
    }
  }

  async dropComparisonsBegunBefore(tenantId: string, before: string): Promise<number> {
    const key = timeKey(before, "before");
    const ids = this.tx.read(() => {
      const tk = this.tenants.keyOf(tenantId);
      return tk === undefined ? [] : this.tables.begunBefore(tk, key);
    });
    for (const id of ids) await this.dropComparison(tenantId, id);
    return ids.length;
  }

  private find(tenantId: string, comparisonId: string): ComparisonRow | undefined {
    const tk = this.tenants.keyOf(tenantId);
    return tk === undefined ? undefined : this.tables.find(tk, comparisonId);
  }
}
