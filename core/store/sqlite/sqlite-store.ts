import Database, { type Statement } from "better-sqlite3";
import { setImmediate as nextTurn } from "node:timers/promises";
import pino, { type Logger } from "pino";
import { z } from "zod";
import type { AuditEntry } from "../../model/audit";
import { BACKUP_TRIGGERS, type BackupSummary, type BackupTrigger, type TypeCounts } from "../../model/backup";
import { OBJECT_TYPES, type ObjectType } from "../../model/catalog";
import type { Change, StepOutcome } from "../../model/change";
import type { ChangeQuery, Job, JobFilter } from "../../model/job";
import type { JobRecord } from "../../model/job-record";
import type { RecoveryRequest } from "../../model/recovery-request";
import { StoreNotFoundError } from "../../model/store-error";
import type { BackupBatch, BackupReadOptions, Store, StoredEntry } from "../../ports";
import { ActiveJobSlots } from "./active-job-slots";
import { AuditTable } from "./audit-table";
import { BackupPurge } from "./backup-purge";
import { BackupReader, type BackupEntry } from "./backup-reader";
import { BackupWriter } from "./backup-writer";
import { ChangeTable } from "./change-table";
import { SqliteComparisonStore } from "./comparison-store";
import { ContentTable } from "./content-table";
import { JobTable } from "./job-table";
import { LinkChunkMerger } from "./link-chunk-merge";
import { ObjectKeys } from "./object-keys";
import { OutcomeTable } from "./outcome-table";
import { RecoveryRequestTable } from "./recovery-request-table";
import { migrate } from "./schema";
import { StorageEstimate } from "./storage-estimate";
import { parseStored } from "../../../lib/stored-json";
import { StoredCountsSchema } from "../documents/stored-backup-values";
import { checkLimit } from "../shared/arguments";
import { backupLifecycle, backupSummary, BackupStateSchema } from "../shared/backup-lifecycle";
import { readFilter } from "../shared/backup-contents";
import { changePage, nthChange } from "../shared/change-query";
import { jobRules } from "../shared/job-rules";
import { requestRules } from "../shared/request-rules";
import { TenantKeys } from "../../../lib/sqlite-tenant-keys";
import { timeKey } from "../../../lib/time-key";

/** How to open a store. */
export interface SqliteStoreOptions {
  /** Path of the database file (created when missing), or `":memory:"` (nothing survives `close`). */
  readonly file: string;
  readonly logger?: Logger;
  /** Objects per batch that `readBackup` yields; default 500. */
  readonly readBatchSize?: number;
  /**
   * Work per transaction of the stepped calls: staged link chunks merged per step of `completeBackup`,
   * objects removed per step of `deleteBackup` / `abandonBackup`, and changes or outcomes removed per step of
   * `deleteJob` / `clearChanges`; default 5,000 (a step then holds the event loop for about 0.1 s). Tests set
   * it small to cross many step boundaries.
   */
  readonly stepRows?: number;
}

/** How long a write waits for another connection's write lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 10_000;
/** Default work per step of the calls that run in steps (see `stepRows`). */
const STEP_ROWS = 5_000;
/** WAL pages (4 KiB) between automatic checkpoints. */
const WAL_CHECKPOINT_PAGES = 16_384;
/** Page cache per connection (KiB); fixed, so memory does not grow with the tenant. */
const CACHE_KIB = 32_768;

const BackupRowSchema = z.object({
  bk: z.number().int(),
  tk: z.number().int(),
  id: z.string(),
  backup_trigger: z.enum(BACKUP_TRIGGERS),
  requested_by: z.string().nullable(),
  started_at: z.string(),
  state: BackupStateSchema,
  completed_at: z.string().nullable(),
  counts: z.string().nullable(),
  links: z.number().int(),
});
type BackupRow = z.infer<typeof BackupRowSchema>;

const BACKUP_COLUMNS = "bk, tk, id, backup_trigger, requested_by, started_at, state, completed_at, counts, links";

interface CountRow {
  readonly type: string;
  readonly deleted: number;
  readonly n: number;
}

/**
 * The Store port (backups, jobs, recovery requests, audit) on an embedded SQLite
 * file (better-sqlite3): the default store, and the one tests and benchmarks run on. This class holds the
 * transactions; each table's statements live in a class of its own, which the methods delegate to. WAL journal
 * with `synchronous=NORMAL`: a crash loses at most the last commits, never the file, and a backup that was
 * being written is left unfinished (never listed) until abandoned. better-sqlite3 is synchronous, so every
 * transaction holds the event loop: a call is one transaction of one batch or one page, and the calls whose
 * work grows with the data (complete, delete and abandon a backup, read it; delete a job, clear its changes)
 * run as bounded steps with turns of the loop between them. Several processes may share a file: writes
 * queue on SQLite's lock for up to `BUSY_TIMEOUT_MS`, and every write transaction begins IMMEDIATE, which is
 * what makes the one-job-per-tenant check and insert one atomic step across processes.
 */
export class SqliteStore implements Store {
  private readonly tenants: TenantKeys;
  private readonly jobs: JobTable;
  private readonly changes: ChangeTable;
  private readonly outcomes: OutcomeTable;
  private readonly requests: RecoveryRequestTable;
  private readonly audit: AuditTable;
  private readonly contents: ContentTable;
  private readonly keys: ObjectKeys;
  private readonly writer: BackupWriter;
  private readonly linkMerger: LinkChunkMerger;
  private readonly reader: BackupReader;
  private readonly purger: BackupPurge;
  private readonly estimate: StorageEstimate;
  private readonly comparisons: SqliteComparisonStore;
  private readonly s: {
    readonly findBackup: Statement<[number, string], unknown>;
    readonly stateOf: Statement<[number], string>;
    readonly insertBackup: Statement<[number, string, BackupTrigger, string | null, string]>;
    readonly setState: Statement<[string, number]>;
    readonly seal: Statement<[string, string, number]>;
    readonly completed: Statement<[number], unknown>;
    readonly unfinished: Statement<[number], string>;
    readonly counts: Statement<[number], CountRow>;
  };

  /** Opens (creating and migrating when needed) a store file. */
  static open(options: SqliteStoreOptions): SqliteStore {
    const log = (options.logger ?? pino({ level: "silent" })).child({ component: "sqlite-store" });
    const batchSize = options.readBatchSize ?? 500;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new RangeError(`readBatchSize must be 1 to 10000 (got ${batchSize}).`);
    const stepRows = options.stepRows ?? STEP_ROWS;
    if (!Number.isInteger(stepRows) || stepRows < 1) throw new RangeError(`stepRows must be a positive integer (got ${stepRows}).`);
    const db = new Database(options.file, { timeout: BUSY_TIMEOUT_MS });
    try {
      const journal = db.pragma("journal_mode = WAL", { simple: true });
      db.pragma("synchronous = NORMAL");
      db.pragma(`cache_size = -${CACHE_KIB}`);
      // A batch rewrites the same index pages again and again; checkpointing every 64 MiB of WAL instead of
      // every 4 MiB copies each of them to the file once per many batches, with one fsync pair each time.
      db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
      db.pragma(`journal_size_limit = ${WAL_CHECKPOINT_PAGES * 4096}`);
      const migrated = migrate(db);
      log.debug({ file: options.file, journal, migrated }, "store opened");
    } catch (err) {
      db.close();
      throw err;
    }
    return new SqliteStore(db, log, batchSize, stepRows);
  }

  private constructor(
    private readonly db: Database.Database,
    private readonly log: Logger,
    private readonly batchSize: number,
    private readonly stepRows: number,
  ) {
    this.tenants = new TenantKeys(db, "tenants");
    this.jobs = new JobTable(db, new ActiveJobSlots(db));
    this.changes = new ChangeTable(db);
    this.outcomes = new OutcomeTable(db);
    this.requests = new RecoveryRequestTable(db);
    this.audit = new AuditTable(db);
    this.contents = new ContentTable(db);
    this.keys = new ObjectKeys(db);
    this.writer = new BackupWriter(db, this.contents, this.keys);
    this.linkMerger = new LinkChunkMerger(db, this.contents, this.keys, stepRows);
    this.reader = new BackupReader(db);
    this.purger = new BackupPurge(db, stepRows);
    this.estimate = new StorageEstimate(db);
    this.comparisons = new SqliteComparisonStore(db, this.tenants, { write: (fn) => this.write(fn), read: (fn) => this.read(fn) }, batchSize, stepRows);
    this.s = {
      findBackup: db.prepare<[number, string], unknown>(`SELECT ${BACKUP_COLUMNS} FROM backups WHERE tk = ? AND id = ?`),
      stateOf: db.prepare<[number], string>("SELECT state FROM backups WHERE bk = ?").pluck(),
      insertBackup: db.prepare<[number, string, BackupTrigger, string | null, string]>(
        "INSERT INTO backups (tk, id, backup_trigger, requested_by, started_at, state) VALUES (?, ?, ?, ?, ?, 'open')",
      ),
      setState: db.prepare<[string, number]>("UPDATE backups SET state = ? WHERE bk = ?"),
      seal: db.prepare<[string, string, number]>("UPDATE backups SET state = 'completed', completed_at = ?, counts = ? WHERE bk = ?"),
      completed: db.prepare<[number], unknown>(`SELECT ${BACKUP_COLUMNS} FROM backups WHERE tk = ? AND state = 'completed' ORDER BY id DESC`),
      unfinished: db.prepare<[number], string>("SELECT id FROM backups WHERE tk = ? AND state <> 'completed' ORDER BY id").pluck(),
      counts: db.prepare<[number], CountRow>(
        `SELECT o.type AS type, r.deleted AS deleted, count(*) AS n
         FROM backup_objects r JOIN objects o ON o.ok = r.ok WHERE r.bk = ? GROUP BY o.type, r.deleted`,
      ),
    };
  }

  /** Closes the file. Pending reads of `readBackup` fail afterwards. */
  close(): void {
    if (this.db.open) this.db.close();
  }

  async beginBackup(tenantId: string, backup: { id: string; trigger: BackupTrigger; requestedBy?: string; startedAt: string }): Promise<void> {
    this.write(() => {
      const tk = this.tenants.ensure(tenantId);
      if (this.s.findBackup.get(tk, backup.id) !== undefined) throw backupLifecycle.taken(backup.id);
      this.s.insertBackup.run(tk, backup.id, backup.trigger, backup.requestedBy ?? null, backup.startedAt);
    });
    this.log.debug({ tenantId, backupId: backup.id, trigger: backup.trigger }, "backup begun");
  }

  async addToBackup(tenantId: string, backupId: string, batch: BackupBatch): Promise<void> {
    await this.turn();
    this.write(() => {
      const row = backupLifecycle.requireOpen(backupId, this.locate(tenantId, backupId));
      this.writer.write(row.tk, row.bk, batch);
    });
  }

  async completeBackup(tenantId: string, backupId: string, completedAt: string): Promise<BackupSummary> {
    const t0 = performance.now();
    const { tk, bk } = this.write(() => {
      const row = backupLifecycle.requireCompletable(backupId, this.locate(tenantId, backupId));
      // From here on no batch is accepted, so the staged links cannot change while they are merged.
      if (row.state === "open") this.s.setState.run("sealing", row.bk);
      return row;
    });
    const sealing = () => {
      if (this.s.stateOf.get(bk) !== "sealing") throw backupLifecycle.changedMeanwhile(backupId);
    };
    for (;;) {
      const step = this.write(() => {
        sealing();
        return this.linkMerger.step(tk, bk);
      });
      if (step.groups === 0) break;
      await nextTurn(); // let the bot answer while a large backup is sealed
    }
    const summary = this.write(() => {
      sealing();
      const counts = this.countObjects(bk);
      this.s.seal.run(completedAt, JSON.stringify(counts), bk);
      const row = this.locate(tenantId, backupId);
      if (row === undefined) throw backupLifecycle.changedMeanwhile(backupId);
      return toSummary(tenantId, row);
    });
    this.log.info({ tenantId, backupId, counts: summary.counts, links: summary.links, ms: Math.round(performance.now() - t0) }, "backup completed");
    return summary;
  }

  async abandonBackup(tenantId: string, backupId: string): Promise<void> {
    const t0 = performance.now();
    const removed = await this.purge(tenantId, backupId, (found) => backupLifecycle.abandon(backupId, found));
    if (removed) this.log.info({ tenantId, backupId, ms: Math.round(performance.now() - t0) }, "unfinished backup abandoned");
  }

  async listBackups(tenantId: string): Promise<BackupSummary[]> {
    return this.read(() => {
      const tk = this.tenants.keyOf(tenantId);
      return tk === undefined ? [] : this.s.completed.all(tk).map((r) => toSummary(tenantId, BackupRowSchema.parse(r)));
    });
  }

  async getBackup(tenantId: string, backupId: string): Promise<BackupSummary | null> {
    return this.read(() => {
      const row = this.locate(tenantId, backupId);
      return row !== undefined && backupLifecycle.isListed(row.state) ? toSummary(tenantId, row) : null;
    });
  }

  /** Also lists a backup whose deletion a dead process left half done: abandoning it finishes the deletion. */
  async listUnfinishedBackups(tenantId: string): Promise<string[]> {
    return this.read(() => {
      const tk = this.tenants.keyOf(tenantId);
      return tk === undefined ? [] : this.s.unfinished.all(tk);
    });
  }

  /**
   * Pages through the backup type by type (catalog order), ids ascending; each page is read in its own
   * short transaction, so writers are never held up by a slow consumer and memory holds one page.
   */
  async *readBackup(
    tenantId: string,
    backupId: string,
    options?: BackupReadOptions,
  ): AsyncIterable<ReadonlyArray<StoredEntry>> {
    const { tk, bk } = this.read(() => this.requireCompleted(tenantId, backupId));
    const { types, ids } = readFilter(options);
    const page = <T>(fn: () => T): T =>
      this.read(() => {
        if (this.s.stateOf.get(bk) !== "completed") throw backupLifecycle.deletedWhileRead(backupId);
        return fn();
      });
    for (const type of OBJECT_TYPES) {
      if (types && !types.has(type)) continue;
      if (ids) {
        for (let i = 0; i < ids.length; i += this.batchSize) {
          const slice = ids.slice(i, i + this.batchSize);
          const entries = page(() => this.reader.pageOfIds(tk, bk, type, slice));
          if (entries.length > 0) yield entries;
          await this.turn();
        }
        continue;
      }
      let after: string | null = null;
      for (;;) {
        const from: string | null = after;
        const entries: BackupEntry[] = page(() => this.reader.page(tk, bk, type, from, this.batchSize));
        if (entries.length === 0) break;
        yield entries;
        await this.turn();
        if (entries.length < this.batchSize) break;
        after = entries[entries.length - 1]!.object.id;
      }
    }
  }

  async deleteBackup(tenantId: string, backupId: string): Promise<void> {
    const t0 = performance.now();
    const removed = await this.purge(tenantId, backupId, (found) => backupLifecycle.delete(backupId, found));
    if (removed) this.log.info({ tenantId, backupId, ms: Math.round(performance.now() - t0) }, "backup deleted");
  }

  async backupStorageBytes(tenantId: string): Promise<number> {
    return this.read(() => {
      const tk = this.tenants.keyOf(tenantId);
      return tk === undefined ? 0 : this.estimate.bytes(tk);
    });
  }

  async beginComparison(tenantId: string, comparisonId: string, startedAt: string): Promise<void> {
    await this.comparisons.beginComparison(tenantId, comparisonId, startedAt);
  }

  async addToComparison(tenantId: string, comparisonId: string, batch: BackupBatch): Promise<void> {
    await this.comparisons.addToComparison(tenantId, comparisonId, batch);
  }

  async finishComparison(tenantId: string, comparisonId: string): Promise<void> {
    await this.comparisons.finishComparison(tenantId, comparisonId);
  }

  readComparison(tenantId: string, comparisonId: string, options?: BackupReadOptions): AsyncIterable<ReadonlyArray<StoredEntry>> {
    return this.comparisons.readComparison(tenantId, comparisonId, options);
  }

  async dropComparison(tenantId: string, comparisonId: string): Promise<void> {
    await this.comparisons.dropComparison(tenantId, comparisonId);
  }

  async dropComparisonsBegunBefore(tenantId: string, before: string): Promise<number> {
    const dropped = await this.comparisons.dropComparisonsBegunBefore(tenantId, before);
    if (dropped > 0) this.log.info({ tenantId, before, dropped }, "comparison snapshots left behind dropped");
    return dropped;
  }

  async createJob(job: Job): Promise<JobRecord> {
    const record = this.write(() => this.jobs.create(this.tenants.ensure(job.tenantId), job));
    this.log.debug({ tenantId: job.tenantId, jobId: job.id, kind: job.kind }, "job created");
    return record;
  }

  async getJob(tenantId: string, jobId: string): Promise<JobRecord | null> {
    return this.read(() => this.withTenant(tenantId, null, (tk) => this.jobs.get(tk, jobId)));
  }

  async listJobs(tenantId: string, filter?: JobFilter): Promise<Job[]> {
    return this.read(() => this.withTenant(tenantId, [], (tk) => this.jobs.list(tk, filter)));
  }

  async listActiveJobs(tenantId: string): Promise<JobRecord[]> {
    return this.read(() => this.withTenant(tenantId, [], (tk) => this.jobs.listActive(tk)));
  }

  async updateJob(record: JobRecord): Promise<JobRecord> {
    return this.write(() => {
      const tk = this.tenants.keyOf(record.job.tenantId);
      if (tk === undefined) throw jobRules.missing(record.job.id);
      return this.jobs.update(tk, record);
    });
  }

  async requestCancel(tenantId: string, jobId: string, by: string): Promise<JobRecord | null> {
    return this.write(() => this.withTenant(tenantId, null, (tk) => this.jobs.requestCancel(tk, jobId, by)));
  }

  /** Removes the changes and outcomes in steps, then the job in the transaction that finds none left. */
  async deleteJob(tenantId: string, jobId: string): Promise<void> {
    const jk = this.read(() => this.withTenant(tenantId, undefined, (tk) => this.jobs.keyOf(tk, jobId)));
    if (jk === undefined) return;
    await this.dropJobData(jk, () => this.jobs.remove(jk));
    this.log.debug({ tenantId, jobId }, "job deleted");
  }

  async listJobsCompletedBefore(tenantId: string, before: string): Promise<Array<{ tenantId: string; id: string }>> {
    const key = timeKey(before, "before");
    return this.read(() => this.withTenant(tenantId, [], (tk) => this.jobs.completedBefore(tk, key)));
  }

  async putChanges(tenantId: string, jobId: string, changes: readonly Change[]): Promise<void> {
    await this.turn();
    this.write(() => this.changes.put(this.requireJob(tenantId, jobId), changes));
  }

  /** An empty `types` or `actions` list filters nothing, like an absent one. */
  async nthChangeSeq(tenantId: string, jobId: string, query: Omit<ChangeQuery, "limit">, count: number): Promise<number | null> {
    await this.turn();
    const nth = nthChange(query, count);
    return this.read(() => this.withJob(tenantId, jobId, null, (jk) => this.changes.nthSeq(jk, nth) ?? null));
  }

  async readChanges(tenantId: string, jobId: string, query: ChangeQuery): Promise<Change[]> {
    await this.turn();
    const page = changePage(query);
    return this.read(() => this.withJob(tenantId, jobId, [], (jk) => this.changes.read(jk, page)));
  }

  async getChanges(tenantId: string, jobId: string, seqs: readonly number[]): Promise<Change[]> {
    await this.turn();
    return this.read(() => this.withJob(tenantId, jobId, [], (jk) => this.changes.getMany(jk, seqs)));
  }

  /** Runs in steps like `deleteJob`; an unknown job has nothing to clear. */
  async clearChanges(tenantId: string, jobId: string): Promise<void> {
    const jk = this.read(() => this.withTenant(tenantId, undefined, (tk) => this.jobs.keyOf(tk, jobId)));
    if (jk !== undefined) await this.dropJobData(jk, () => undefined);
  }

  async putOutcomes(tenantId: string, jobId: string, outcomes: readonly StepOutcome[]): Promise<void> {
    await this.turn();
    this.write(() => this.outcomes.put(this.requireJob(tenantId, jobId), outcomes));
  }

  async readOutcomes(tenantId: string, jobId: string, fromSeq: number, toSeq: number): Promise<StepOutcome[]> {
    await this.turn();
    return this.read(() => this.withJob(tenantId, jobId, [], (jk) => this.outcomes.read(jk, fromSeq, toSeq)));
  }

  async failedSeqs(tenantId: string, jobId: string, afterSeq: number, limit: number): Promise<number[]> {
    checkLimit(limit);
    return this.read(() => this.withJob(tenantId, jobId, [], (jk) => this.outcomes.failedSeqs(jk, afterSeq, limit)));
  }

  async createRecoveryRequest(request: RecoveryRequest): Promise<void> {
    this.write(() => this.requests.create(this.tenants.ensure(request.tenantId), request));
  }

  async getRecoveryRequest(tenantId: string, requestId: string): Promise<RecoveryRequest | null> {
    return this.read(() => this.withTenant(tenantId, null, (tk) => this.requests.get(tk, requestId)));
  }

  async listRecoveryRequests(tenantId: string, options?: { pendingOnly?: boolean }): Promise<RecoveryRequest[]> {
    return this.read(() => this.withTenant(tenantId, [], (tk) => this.requests.list(tk, options?.pendingOnly === true)));
  }

  async updateRecoveryRequest(request: RecoveryRequest): Promise<RecoveryRequest> {
    return this.write(() => {
      const tk = this.tenants.keyOf(request.tenantId);
      if (tk === undefined) throw requestRules.missing(request.id);
      return this.requests.update(tk, request);
    });
  }

  /** All entries in one transaction: a batch is recorded whole or not at all. */
  async appendAudit(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    this.write(() => {
      for (const entry of entries) this.audit.append(this.tenants.ensure(entry.tenantId), entry);
    });
  }

  async listAudit(tenantId: string, options: { since?: string; limit: number }): Promise<AuditEntry[]> {
    checkLimit(options.limit);
    return this.read(() => this.withTenant(tenantId, [], (tk) => this.audit.list(tk, tenantId, options.since, options.limit)));
  }

  async purgeAudit(tenantId: string, before: string): Promise<number> {
    const key = timeKey(before, "before");
    const removed = this.write(() => this.withTenant(tenantId, 0, (tk) => this.audit.purge(tk, key)));
    if (removed > 0) this.log.info({ tenantId, before, removed }, "audit entries purged");
    return removed;
  }

  /**
   * Removes a job's changes and outcomes in steps of `stepRows`, then runs `last` in the transaction that
   * finds none left (so nothing written meanwhile is orphaned). Job keys are never reused, so holding `jk`
   * across steps cannot reach another job.
   */
  private async dropJobData(jk: number, last: () => void): Promise<void> {
    for (;;) {
      const done = this.write(() => {
        const removed = this.changes.removeSome(jk, this.stepRows) + this.outcomes.removeSome(jk, this.stepRows);
        if (removed > 0) return false;
        last();
        return true;
      });
      if (done) return;
      await nextTurn(); // let the bot answer while a large report is removed
    }
  }

  /** `fn` with the tenant's key, or `none` when nothing was ever stored for the tenant. */
  private withTenant<T, N>(tenantId: string, none: N, fn: (tk: number) => T): T | N {
    const tk = this.tenants.keyOf(tenantId);
    return tk === undefined ? none : fn(tk);
  }

  /** `fn` with the job's key, or `none` when the tenant has no such job (another tenant's job included). */
  private withJob<T, N>(tenantId: string, jobId: string, none: N, fn: (jk: number) => T): T | N {
    const jk = this.withTenant(tenantId, undefined, (tk) => this.jobs.keyOf(tk, jobId));
    return jk === undefined ? none : fn(jk);
  }

  /** The job's key for a write; `StoreNotFoundError` when the tenant has no such job. */
  private requireJob(tenantId: string, jobId: string): number {
    const jk = this.withJob(tenantId, jobId, undefined, (k) => k);
    if (jk === undefined) throw jobRules.missing(jobId);
    return jk;
  }

  /**
   * Removes a backup in steps. The first marks it `deleting`: from then on it is neither listed nor
   * readable, and if the process dies before the last step it shows among the unfinished backups, so the
   * engine's usual clean-up (abandon) finishes the job. An unknown id is already gone: nothing to do.
   */
  private async purge(tenantId: string, backupId: string, removable: (found: BackupRow | undefined) => BackupRow | null): Promise<boolean> {
    const row = this.write(() => {
      const found = removable(this.locate(tenantId, backupId));
      if (found === null) return undefined;
      if (found.state !== "deleting") this.s.setState.run("deleting", found.bk);
      return found;
    });
    if (row === undefined) return false;
    for (;;) {
      // Another caller may finish the same deletion meanwhile; then there is nothing left to do.
      const done = this.write(() => this.s.stateOf.get(row.bk) !== "deleting" || this.purger.step(row.tk, row.bk));
      if (done) return true;
      await nextTurn();
    }
  }

  /**
   * Lets the event loop turn before a call's synchronous work. The engine loops over store calls (a compare,
   * a recovery's pages); awaiting resolved promises alone would run them back to back and starve timers
   * (job heartbeats, the bot's answers).
   */
  private async turn(): Promise<void> {
    await nextTurn();
  }

  private locate(tenantId: string, backupId: string): BackupRow | undefined {
    const tk = this.tenants.keyOf(tenantId);
    if (tk === undefined) return undefined;
    const row = this.s.findBackup.get(tk, backupId);
    return row === undefined ? undefined : BackupRowSchema.parse(row);
  }

  private requireCompleted(tenantId: string, backupId: string): BackupRow {
    return backupLifecycle.requireCompleted(backupId, this.locate(tenantId, backupId));
  }

  private countObjects(bk: number): Partial<Record<ObjectType, TypeCounts>> {
    const rows = this.s.counts.all(bk);
    const counts: Partial<Record<ObjectType, TypeCounts>> = {};
    for (const type of OBJECT_TYPES) {
      const live = rows.find((r) => r.type === type && r.deleted === 0)?.n ?? 0;
      const deleted = rows.find((r) => r.type === type && r.deleted !== 0)?.n ?? 0;
      if (live + deleted > 0) counts[type] = { live, deleted };
    }
    return counts;
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

/** A completed backup's row as its summary. */
function toSummary(tenantId: string, row: BackupRow): BackupSummary {
  return backupSummary(tenantId, {
    id: row.id,
    trigger: row.backup_trigger,
    requestedBy: row.requested_by ?? undefined,
    startedAt: row.started_at,
    state: row.state,
    completedAt: row.completed_at ?? undefined,
    counts: row.counts === null ? undefined : parseStored(StoredCountsSchema, row.counts, `counts of backup ${row.id}`),
    links: row.links,
  });
}
