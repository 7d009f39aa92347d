import type { Container, SqlParameter } from "@azure/cosmos";
import { z } from "zod";
import type { Change } from "../../model/change";
import type { ChangeFilter } from "../shared/change-query";
import { StoredChangeSchema } from "../documents/stored-documents";
import { asBody, runBulk } from "./cosmos-job-bulk";
import { queryAll } from "./cosmos-query";
import { parseStored } from "../../../lib/stored-json";

/** Seqs read per page while counting towards the n-th one. */
const COUNT_PAGE = 1000;
/** Seqs per `getChanges` query (the list travels as a parameter). */
const SEQS_PER_QUERY = 500;

/**
 * A change document in `jobItems` (pk = `${tenantId}|${jobId}`): id = the zero-padded seq, so a replayed seq
 * is the same document (upsert), with `seq`, `type` and `action` beside the change for the filters.
 */
const ChangeDocSchema = z.object({
  id: z.string(),
  kind: z.literal("change"),
  seq: z.number().int(),
  change: StoredChangeSchema,
});

/** The id of change `seq`'s document. */
export const changeDocId = (seq: number): string => (seq < 0 ? `-${String(-seq).padStart(15, "0")}` : String(seq).padStart(16, "0"));

/** The WHERE clause (and its parameters) of a filtered read (the filters as `changeFilter` reads them). */
function filterOf(pk: string, query: ChangeFilter): { where: string; parameters: SqlParameter[] } {
  const parameters: SqlParameter[] = [{ name: "@pk", value: pk }];
  let where = 'c.pk = @pk AND c.kind = "change"';
  if (query.afterSeq !== undefined) {
    where += " AND c.seq > @after";
    parameters.push({ name: "@after", value: query.afterSeq });
  }
  if (query.types !== null) {
    where += " AND ARRAY_CONTAINS(@types, c.type)";
    parameters.push({ name: "@types", value: [...query.types] });
  }
  if (query.actions !== null) {
    where += " AND ARRAY_CONTAINS(@actions, c.action)";
    parameters.push({ name: "@actions", value: [...query.actions] });
  }
  return { where, parameters };
}

/** A job's changes as documents in its `jobItems` partition. */
export class ChangeItems {
  constructor(private readonly items: Container) {}

  /** Upserts changes by seq, in bulk, each with `ttl` (seconds). */
  async put(pk: string, changes: readonly Change[], ttl: number): Promise<void> {
    await runBulk(
      this.items,
      changes.map((change) => ({
        operationType: "Upsert" as const,
        partitionKey: pk,
        resourceBody: asBody({
          id: changeDocId(change.seq),
          pk,
          kind: "change",
          seq: change.seq,
          type: change.entityTypeName,
          action: change.recoveryAction,
          change,
          ttl,
        }),
      })),
      "putChanges",
    );
  }

  /** A page in seq order. */
  async read(pk: string, query: ChangeFilter & { readonly limit: number }): Promise<Change[]> {
    if (query.limit === 0) return [];
    const { where, parameters } = filterOf(pk, query);
    const docs = await queryAll<unknown>(this.items, {
      query: `SELECT TOP @limit * FROM c WHERE ${where} ORDER BY c.seq`,
      parameters: [...parameters, { name: "@limit", value: query.limit }],
    });
    return docs.map(toChange);
  }

  /**
   * The seq of the `count`-th change the filters allow, or null. The emulator has no OFFSET, so this pages through
   * a projection of seqs only (small pages, no change bodies) and counts; real Cosmos could ask
   * `SELECT VALUE c.seq … ORDER BY c.seq OFFSET @count - 1 LIMIT 1` instead (which costs about the same RUs, as
   * OFFSET still reads what it skips, but one round trip).
   */
  async nthSeq(pk: string, query: ChangeFilter & { readonly count: number }): Promise<number | null> {
    const { count } = query;
    const { where, parameters } = filterOf(pk, query);
    const iterator = this.items.items.query<{ seq: number }>(
      { query: `SELECT TOP @count c.seq FROM c WHERE ${where} ORDER BY c.seq`, parameters: [...parameters, { name: "@count", value: count }] },
      { maxItemCount: Math.min(count, COUNT_PAGE) },
    );
    let seen = 0;
    while (iterator.hasMoreResults()) {
      const { resources } = await iterator.fetchNext();
      if (seen + resources.length >= count) {
        const row = resources[count - seen - 1];
        if (row === undefined) break;
        return z.number().int().parse(row.seq);
      }
      seen += resources.length;
    }
    return null;
  }

  /** The changes at these seqs (missing ones left out), in seq order. */
  async getMany(pk: string, seqs: readonly number[]): Promise<Change[]> {
    const wanted = [...new Set(seqs)];
    const found: Change[] = [];
    for (let i = 0; i < wanted.length; i += SEQS_PER_QUERY) {
      const docs = await queryAll<unknown>(this.items, {
        query: 'SELECT * FROM c WHERE c.pk = @pk AND c.kind = "change" AND ARRAY_CONTAINS(@seqs, c.seq)',
        parameters: [
          { name: "@pk", value: pk },
          { name: "@seqs", value: wanted.slice(i, i + SEQS_PER_QUERY) },
        ],
      });
      found.push(...docs.map(toChange));
    }
    return found.sort((a, b) => a.seq - b.seq);
  }
}

function toChange(raw: unknown): Change {
  const doc = parseStored(ChangeDocSchema, raw, "change");
  if (doc.change.seq !== doc.seq) throw new Error(`Stored change ${doc.seq} holds change ${doc.change.seq}.`);
  return doc.change;
}
