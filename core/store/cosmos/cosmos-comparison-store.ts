import type { Container } from "@azure/cosmos";
import type { Logger } from "pino";
import { z } from "zod";
import { OBJECT_TYPES, type ObjectType } from "../../model/catalog";
import { StoreNotFoundError } from "../../model/store-error";
import type { BackupBatch, BackupReadOptions, ComparisonStore, StoredEntry } from "../../ports";
import { parseStored } from "../../../lib/stored-json";
import { timeKey } from "../../../lib/time-key";
import { comparisonLifecycle, ComparisonStateSchema, type ComparisonState } from "../shared/comparison-lifecycle";
import { CosmosBackupBulk } from "./cosmos-backup-bulk";
import { ChunkIdSchema, chunkPk } from "./cosmos-backup-documents";
import { readSealedBackup } from "./cosmos-backup-reading";
import { CosmosBackupSealing, type SealingTuning } from "./cosmos-backup-sealing";
import { stagedDocuments } from "./cosmos-backup-staging";
import { hasStatus } from "../../../lib/cosmos-calls";
import { queryPartition } from "../../../lib/cosmos-calls";
import { queryAll } from "./cosmos-query";

/**
 * A comparison snapshot's header in `comparisons` (pk = tenantId, id = the snapshot's id): its state, when it
 * was begun (normalized, for the clean-up by age) and, once finished, the types it holds. Its documents live in
 * its own partition of the same container (pk = `${tenantId}|${id}`), shaped as a backup's chunks are.
 */
const ComparisonHeaderSchema = z.object({
  id: z.string(),
  pk: z.string(),
  docType: z.literal("comparison"),
  startedKey: z.string(),
  state: ComparisonStateSchema,
  types: z.array(z.enum(OBJECT_TYPES)).optional(),
  _etag: z.string().optional(),
});
type ComparisonHeader = z.infer<typeof ComparisonHeaderSchema>;

/**
 * The comparison snapshots on Cosmos DB: written as staged batches and sealed into sorted slices with the
 * backups' own machinery (`stagedDocuments`, `CosmosBackupSealing`, `readSealedBackup`), but in a container of
 * their own and sharing no content with any backup, so a backup never depends on scratch and dropping one is
 * deleting its partition.
 */
export class CosmosComparisonStore implements ComparisonStore {
  private readonly bulk: CosmosBackupBulk;
  /** Orders batches: last write wins by (seq, position in batch). */
  private lastSeq = 0;

  constructor(
    private readonly container: Container,
    private readonly log: Logger,
    private readonly tuning?: SealingTuning,
  ) {
    this.bulk = new CosmosBackupBulk(container);
  }

  async beginComparison(tenantId: string, comparisonId: string, startedAt: string): Promise<void> {
    const header: ComparisonHeader = { id: comparisonId, pk: tenantId, docType: "comparison", startedKey: timeKey(startedAt, "startedAt"), state: "open" };
    try {
      await this.container.items.create(header);
    } catch (err) {
      if (hasStatus(err, 409)) throw comparisonLifecycle.taken(comparisonId);
      throw err;
    }
  }

  async addToComparison(tenantId: string, comparisonId: string, batch: BackupBatch): Promise<void> {
    comparisonLifecycle.requireOpen(comparisonId, await this.header(tenantId, comparisonId));
    const docs = stagedDocuments(tenantId, chunkPk(tenantId, comparisonId), this.nextSeq(), batch);
    if (docs.length > 0) await this.bulk.upsert(docs);
  }

  /** Seals the staged batches into sorted slices (the same as a backup's completion, with nothing to share). */
  async finishComparison(tenantId: string, comparisonId: string): Promise<void> {
    const found = comparisonLifecycle.requireFinishable(comparisonId, await this.header(tenantId, comparisonId));
    const sealing = await this.replaceHeader(found, { state: "sealing" });
    const result = await new CosmosBackupSealing(this.container, this.bulk, tenantId, comparisonId, null, new Set(), this.tuning).seal();
    await this.replaceHeader(sealing, { state: "finished", types: Object.keys(result.counts) as ObjectType[] });
    const pk = chunkPk(tenantId, comparisonId);
    const staged = await queryAll(this.container, { query: "SELECT c.id, c.kind FROM c WHERE c.pk = @pk AND c.kind = 'staged'", parameters: [{ name: "@pk", value: pk }] });
    await this.bulk.delete(staged.map((row) => ({ id: parseStored(ChunkIdSchema, row, "staged chunk").id, pk })));
  }

  async *readComparison(tenantId: string, comparisonId: string, options?: BackupReadOptions): AsyncIterable<readonly StoredEntry[]> {
    const header = comparisonLifecycle.requireFinished(comparisonId, await this.header(tenantId, comparisonId));
    try {
      yield* readSealedBackup(this.container, tenantId, comparisonId, new Set(header.types ?? []), options);
    } catch (err) {
      // A slice or content document gone under the read: the snapshot was dropped meanwhile.
      if ((await this.header(tenantId, comparisonId))?.state !== "finished") throw comparisonLifecycle.droppedWhileRead(comparisonId);
      throw err;
    }
  }

  /** Marks it `dropping` (unreadable at once), deletes its partition's documents, then its header. */
  async dropComparison(tenantId: string, comparisonId: string): Promise<void> {
    const header = await this.header(tenantId, comparisonId);
    if (header === null) return;
    if (header.state !== "dropping") {
      try {
        await this.replaceHeader(header, { state: "dropping" });
      } catch (err) {
        // Changed meanwhile (another caller is dropping it too): it goes all the same.
        if (!(err instanceof StoreNotFoundError)) throw err;
      }
    }
    const pk = chunkPk(tenantId, comparisonId);
    const docs = await queryAll(this.container, { query: "SELECT c.id, c.kind FROM c WHERE c.pk = @pk", parameters: [{ name: "@pk", value: pk }] });
    await this.bulk.delete(docs.map((row) => ({ id: parseStored(ChunkIdSchema, row, "comparison document").id, pk })));
    try {
      await this.container.item(comparisonId, tenantId).delete();
    } catch (err) {
      if (!hasStatus(err, 404)) throw err;
    }
  }

  /** Within the tenant's partition of headers. */
  async dropComparisonsBegunBefore(tenantId: string, before: string): Promise<number> {
    const rows = await queryPartition<unknown>(this.container, tenantId, {
      query: "SELECT c.id FROM c WHERE c.pk = @pk AND c.docType = 'comparison' AND c.startedKey < @before",
      parameters: [
        { name: "@pk", value: tenantId },
        { name: "@before", value: timeKey(before, "before") },
      ],
    });
    const ids = rows.map((row) => parseStored(z.object({ id: z.string() }), row, "comparison header id").id);
    for (const id of ids) await this.dropComparison(tenantId, id);
    if (ids.length > 0) this.log.info({ tenantId, before, dropped: ids.length }, "comparison snapshots left behind dropped");
    return ids.length;
  }

  private async header(tenantId: string, comparisonId: string): Promise<ComparisonHeader | null> {
    const { resource } = await this.container.item(comparisonId, tenantId).read();
    return resource === undefined ? null : parseStored(ComparisonHeaderSchema, resource, `comparison header ${comparisonId}`);
  }

  /** Compare-and-set on the header's etag; a header changed or gone meanwhile means another caller dropped it. */
  private async replaceHeader(header: ComparisonHeader, change: { state: ComparisonState; types?: ObjectType[] }): Promise<ComparisonHeader> {
    const { _etag: etag, ...rest } = header;
    try {
      const { resource } = await this.container.item(header.id, header.pk).replace({ ...rest, ...change }, etag ? { accessCondition: { type: "IfMatch", condition: etag } } : {});
      return parseStored(ComparisonHeaderSchema, resource, `comparison header ${header.id}`);
    } catch (err) {
      if (hasStatus(err, 412) || hasStatus(err, 404)) throw comparisonLifecycle.droppedMeanwhile(header.id);
      throw err;
    }
  }

  private nextSeq(): number {
    // Wall-clock microseconds: batches written by several processes still order by when they were written.
    this.lastSeq = Math.max(this.lastSeq + 1, Date.now() * 1000);
    return this.lastSeq;
  }
}
