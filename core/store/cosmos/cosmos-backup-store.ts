import type { Container } from "@azure/cosmos";
import type { Logger } from "pino";
import type { BackupSummary, BackupTrigger } from "../../model/backup";
import type { ObjectType } from "../../model/catalog";
import type { BackupBatch, BackupReadOptions, BackupStore, ComparisonStore, StoredEntry } from "../../ports";
import { CosmosBackupBulk } from "./cosmos-backup-bulk";
import { backupHeader, ChunkIdSchema, HeaderDocSchema, chunkPk, LEGACY_COMPARISON_TRIGGER, type BackupHeaderDoc, type HeaderDoc } from "./cosmos-backup-documents";
import { CosmosComparisonStore } from "./cosmos-comparison-store";
import { parseStored } from "../../../lib/stored-json";
import { aliveContent, purgeBackupChunks } from "./cosmos-backup-purge";
import { queryAll } from "./cosmos-query";
import { readSealedBackup, type CosmosBackupEntry } from "./cosmos-backup-reading";
import { CosmosBackupSealing, type SealingTuning } from "./cosmos-backup-sealing";
import { stagedDocuments } from "./cosmos-backup-staging";
import { hasStatus } from "../../../lib/cosmos-calls";
import type { CosmosContainers } from "./cosmos-containers";
import { timeKey } from "../../../lib/time-key";
import { backupLifecycle, backupSummary, type BackupState } from "../shared/backup-lifecycle";
import { z } from "zod";

/**
 * The BackupStore on Cosmos DB (see cosmos-backup-documents.ts for the documents). A backup is written as
 * staged chunk documents (one per batch), sealed at completion into sorted sealed slices and content shared
 * with the previous backup, all with bulk operations: a 100,000-object backup in batches of 500 takes about
 * 200 staged + 200 sealed + 200 content writes + 200 staged deletes (the issue allows 5,000). Sealing reads
 * the staged documents in groups of `GROUP_OBJECTS` sorted ids, a few queries per group.
 *
 * Throttling (429) is retried by the SDK (`retryOptions` on the CosmosClient: it honours `Retry-After`,
 * bulk included); this class adds no retry loop of its own.
 */
export class CosmosBackupStore implements BackupStore, ComparisonStore {
  private readonly headers: Container;
  private readonly chunks: Container;
  private readonly bulk: CosmosBackupBulk;
  private readonly comparisons: CosmosComparisonStore;
  /** Orders batches: last write wins by (seq, position in batch). */
  private lastSeq = 0;

  constructor(
    containers: Pick<CosmosContainers, "backups" | "backupChunks" | "comparisons">,
    private readonly log: Logger,
    private readonly tuning?: SealingTuning,
  ) {
    this.headers = containers.backups;
    this.chunks = containers.backupChunks;
    this.bulk = new CosmosBackupBulk(this.chunks);
    this.comparisons = new CosmosComparisonStore(containers.comparisons, log, tuning);
  }

  /** Write operations (documents created, replaced, upserted or deleted) this store has sent. */
  get writeOperations(): number {
    return this.bulk.writeOperations;
  }

  async beginBackup(tenantId: string, backup: { id: string; trigger: BackupTrigger; requestedBy?: string; startedAt: string }): Promise<void> {
    const header: HeaderDoc = {
      id: backup.id,
      pk: tenantId,
      tenantId,
      backupTrigger: backup.trigger,
      ...(backup.requestedBy !== undefined ? { requestedBy: backup.requestedBy } : {}),
      startedAt: backup.startedAt,
      state: "open",
    };
    this.bulk.countSingle();
    try {
      await this.headers.items.create(header);
    } catch (err) {
      if (hasStatus(err, 409)) throw backupLifecycle.taken(backup.id);
      throw err;
    }
  }

  async addToBackup(tenantId: string, backupId: string, batch: BackupBatch): Promise<void> {
    backupLifecycle.requireOpen(backupId, await this.header(tenantId, backupId));
    const docs = stagedDocuments(tenantId, chunkPk(tenantId, backupId), this.nextSeq(), batch);
    if (docs.length > 0) await this.bulk.upsert(docs);
  }

  async completeBackup(tenantId: string, backupId: string, completedAt: string): Promise<BackupSummary> {
    const found = backupLifecycle.requireCompletable(backupId, await this.header(tenantId, backupId));
    const sealing = await this.replaceHeader(found, { state: "sealing" });
    const started = performance.now();
    const writesBefore = this.bulk.writeOperations;

    const completed = await queryAll(this.headers, {
      query: "SELECT c.id, c.backupTrigger FROM c WHERE c.pk = @pk AND c.state = 'completed' ORDER BY c.id DESC",
      parameters: [{ name: "@pk", value: tenantId }],
    });
    const previousId =
      completed
        .map((row) => parseStored(z.object({ id: z.string(), backupTrigger: z.string() }), row, "backup header id"))
        .find((h) => h.id !== backupId && h.backupTrigger !== LEGACY_COMPARISON_TRIGGER)?.id ?? null;
    const alive = await aliveContent(this.headers, tenantId, null);
    const result = await new CosmosBackupSealing(this.chunks, this.bulk, tenantId, backupId, previousId, alive, this.tuning).seal();

    const done = await this.replaceHeader(sealing, { state: "completed", completedAt, counts: result.counts, links: result.links, refs: result.refs });
    // The staged batches are sealed: drop them (ids first, then bulk deletes).
    const pk = chunkPk(tenantId, backupId);
    const staged = await queryAll(this.chunks, { query: "SELECT c.id, c.kind FROM c WHERE c.pk = @pk AND c.kind = 'staged'", parameters: [{ name: "@pk", value: pk }] });
    await this.bulk.delete(staged.map((row) => ({ id: parseStored(ChunkIdSchema, row, "staged chunk").id, pk })));
    this.log.info(
      { tenantId, backupId, counts: result.counts, links: result.links, previousId, writeOperations: this.bulk.writeOperations - writesBefore, ms: Math.round(performance.now() - started) },
      "backup sealed",
    );
    return toSummary(done);
  }

  async abandonBackup(tenantId: string, backupId: string): Promise<void> {
    const header = backupLifecycle.abandon(backupId, await this.header(tenantId, backupId));
    if (header !== null) await this.purge(tenantId, header);
  }

  async listBackups(tenantId: string): Promise<BackupSummary[]> {
    const rows = await queryAll(this.headers, { query: "SELECT * FROM c WHERE c.pk = @pk AND c.state = 'completed' ORDER BY c.id DESC", parameters: [{ name: "@pk", value: tenantId }] });
    return this.backupHeaders(rows).map(toSummary);
  }

  async getBackup(tenantId: string, backupId: string): Promise<BackupSummary | null> {
    const header = await this.header(tenantId, backupId);
    return header !== null && backupLifecycle.isListed(header.state) ? toSummary(header) : null;
  }

  async listUnfinishedBackups(tenantId: string): Promise<string[]> {
    const rows = await queryAll(this.headers, { query: "SELECT * FROM c WHERE c.pk = @pk AND c.state <> 'completed' ORDER BY c.id", parameters: [{ name: "@pk", value: tenantId }] });
    return this.backupHeaders(rows).map((h) => h.id);
  }

  async *readBackup(tenantId: string, backupId: string, options?: BackupReadOptions): AsyncGenerator<StoredEntry[]> {
    const header = backupLifecycle.requireCompleted(backupId, await this.header(tenantId, backupId));
    const present = new Set(Object.keys(header.counts ?? {}) as ObjectType[]);
    yield* readSealedBackup(this.chunks, tenantId, backupId, present, options);
  }

  async deleteBackup(tenantId: string, backupId: string): Promise<void> {
    const header = backupLifecycle.delete(backupId, await this.header(tenantId, backupId));
    if (header !== null) await this.purge(tenantId, header);
  }

  async backupStorageBytes(tenantId: string): Promise<number> {
    // Across the tenant's partitions: one value per chunk document.
    const rows = await queryAll(this.chunks, { query: "SELECT VALUE c.bytes FROM c WHERE c.tenantId = @t", parameters: [{ name: "@t", value: tenantId }] });
    return rows.reduce<number>((sum, bytes) => sum + parseStored(z.number().nonnegative(), bytes, "chunk size"), 0);
  }

  /**
   * Removes a backup: marked `deleting` first, so it is unlisted at once and takes no batch; a removal cut
   * short shows as unfinished, and abandoning it finishes it.
   */
  private async purge(tenantId: string, header: HeaderDoc): Promise<void> {
    const deleting = header.state === "deleting" ? header : await this.replaceHeader(header, { state: "deleting" });
    await purgeBackupChunks(this.chunks, this.headers, this.bulk, tenantId, deleting);
    this.bulk.countSingle();
    try {
      await this.headers.item(header.id, tenantId).delete();
    } catch (err) {
      if (!hasStatus(err, 404)) throw err;
    }
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

  readComparison(tenantId: string, comparisonId: string, options?: BackupReadOptions): AsyncIterable<readonly StoredEntry[]> {
    return this.comparisons.readComparison(tenantId, comparisonId, options);
  }

  async dropComparison(tenantId: string, comparisonId: string): Promise<void> {
    await this.comparisons.dropComparison(tenantId, comparisonId);
  }

  /** Also removes the comparison snapshots earlier versions kept as backups (`LEGACY_COMPARISON_TRIGGER`) begun before then. */
  async dropComparisonsBegunBefore(tenantId: string, before: string): Promise<number> {
    const cutoff = timeKey(before, "before");
    const rows = await queryAll(this.headers, {
      query: "SELECT * FROM c WHERE c.pk = @pk AND c.backupTrigger = @legacy",
      parameters: [
        { name: "@pk", value: tenantId },
        { name: "@legacy", value: LEGACY_COMPARISON_TRIGGER },
      ],
    });
    const legacy = rows.map((row) => parseStored(HeaderDocSchema, row, "backup header")).filter((h) => timeKey(h.startedAt, "startedAt") < cutoff);
    for (const header of legacy) await this.purge(tenantId, header);
    if (legacy.length > 0) this.log.info({ tenantId, before, removed: legacy.length }, "comparison snapshots of earlier versions removed");
    return legacy.length + (await this.comparisons.dropComparisonsBegunBefore(tenantId, before));
  }

  /** A backup's header, or null (none, or a legacy comparison snapshot's: not a backup). */
  private async header(tenantId: string, backupId: string): Promise<BackupHeaderDoc | null> {
    const { resource } = await this.headers.item(backupId, tenantId).read();
    return resource === undefined ? null : backupHeader(parseStored(HeaderDocSchema, resource, `backup header ${backupId}`));
  }

  /** Backup headers read by a query, legacy comparison snapshots left out. */
  private backupHeaders(rows: readonly unknown[]): BackupHeaderDoc[] {
    return rows.map((row) => backupHeader(parseStored(HeaderDocSchema, row, "backup header"))).filter((h): h is BackupHeaderDoc => h !== null);
  }

  /** Compare-and-set on the header's etag; a header changed meanwhile (abandoned, completed) is a StoreNotFoundError. */
  private async replaceHeader<H extends HeaderDoc>(header: H, change: Partial<HeaderDoc> & { state: BackupState }): Promise<H> {
    const { _etag: etag, ...rest } = header;
    const next: HeaderDoc = { ...rest, ...change };
    this.bulk.countSingle();
    try {
      const { resource } = await this.headers.item(header.id, header.pk).replace(next, etag ? { accessCondition: { type: "IfMatch", condition: etag } } : {});
      // A replace never changes the trigger, so the header stays what it was (a backup's, or a legacy snapshot's).
      return parseStored(HeaderDocSchema, resource, `backup header ${header.id}`) as H;
    } catch (err) {
      if (hasStatus(err, 412) || hasStatus(err, 404)) throw backupLifecycle.changedMeanwhile(header.id);
      throw err;
    }
  }

  private nextSeq(): number {
    this.lastSeq = Math.max(this.lastSeq + 1, Date.now() * 1000);
    return this.lastSeq;
  }
}

/** A completed backup's header as its summary. */
function toSummary(header: BackupHeaderDoc): BackupSummary {
  return backupSummary(header.tenantId, { ...header, trigger: header.backupTrigger });
}
