import { BulkOperationType, type Container, type JSONObject, type OperationInput } from "@azure/cosmos";
import { hasStatus } from "../../../lib/cosmos-calls";

/** Operations sent per `executeBulkOperations` call (the SDK groups them per partition into batches of 100). */
const OPS_PER_CALL = 100;

/**
 * Below this many operations, point writes in parallel instead of a bulk call: `executeBulkOperations` waits
 * 1 s (its `intervalForPartialBatchInMs`) before sending a partial batch, which a one-document batch write
 * should not pay. Point writes are retried on 429 by the same SDK retry policy.
 */
const POINT_WRITES_BELOW = 8;

/**
 * Writes chunk documents with bulk operations and counts every write operation (a document created, upserted,
 * replaced or deleted), so tests and benchmarks can check the cost of a backup. Each operation names its
 * partition key (the emulator needs it; real Cosmos routes by it). 429s are retried by the SDK itself, as
 * its `retryOptions` say (honouring `Retry-After`); an operation that still fails fails the whole call.
 */
export class CosmosBackupBulk {
  private count = 0;

  constructor(private readonly container: Container) {}

  /** Write operations sent so far (bulk and single). */
  get writeOperations(): number {
    return this.count;
  }

  /** Adds single (non-bulk) writes to the count. */
  countSingle(n = 1): void {
    this.count += n;
  }

  /** Upserts documents (each with its `pk`). */
  async upsert(docs: ReadonlyArray<JSONObject & { pk: string }>): Promise<void> {
    await this.run(docs.map((doc) => ({ operationType: BulkOperationType.Upsert, resourceBody: doc, partitionKey: doc.pk })));
  }

  /** Deletes documents; ones already gone are fine. */
  async delete(keys: ReadonlyArray<{ id: string; pk: string }>): Promise<void> {
    await this.run(keys.map((k) => ({ operationType: BulkOperationType.Delete, id: k.id, partitionKey: k.pk })));
  }

  private async run(ops: OperationInput[]): Promise<void> {
    if (ops.length < POINT_WRITES_BELOW) {
      this.count += ops.length;
      await Promise.all(ops.map((op) => this.point(op)));
      return;
    }
    for (let i = 0; i < ops.length; i += OPS_PER_CALL) {
      const slice = ops.slice(i, i + OPS_PER_CALL);
      this.count += slice.length;
      const results = await this.container.items.executeBulkOperations(slice);
      for (const result of results) {
        const status = result.response?.statusCode ?? result.error?.code;
        const missing = result.operationInput.operationType === BulkOperationType.Delete && status === 404;
        if (typeof status === "number" && status < 400) continue;
        if (missing) continue;
        throw new Error(`Bulk ${result.operationInput.operationType} failed with status ${String(status)}: ${result.error?.message ?? "no message"}`);
      }
    }
  }

  private async point(op: OperationInput): Promise<void> {
    if (op.operationType === BulkOperationType.Upsert) {
      await this.container.items.upsert(op.resourceBody);
    } else if (op.operationType === BulkOperationType.Delete) {
      try {
        await this.container.item(op.id, op.partitionKey).delete();
      } catch (err) {
        if (!hasStatus(err, 404)) throw err;
      }
    } else {
      throw new Error(`Unexpected operation ${op.operationType}.`);
    }
  }
}
