import type { Container, JSONObject, OperationInput, SqlQuerySpec } from "@azure/cosmos";
import { sleep } from "../../../lib/async";
import { queryPartition } from "../../../lib/cosmos-calls";
import { forEachConcurrent } from "../../../lib/pool";
import { backoffMs } from "../../../lib/retry";
import { queryAll } from "./cosmos-query";

/** Operations per bulk request: the service takes at most 100 per partition key range in one request. */
const BULK_SLICE = 100;
/** Bulk requests in flight at once per call. */
const BULK_PARALLEL = 8;
/**
 * Throttled operations are sent again up to this many times, with the one backoff (lib/retry) from
 * `THROTTLE_FIRST_WAIT_MS`, each wait at most `THROTTLE_MAX_WAIT_MS` (about 20 s in all): the SDK's own defaults
 * for a throttled request are 9 attempts within 30 s.
 */
const THROTTLE_RETRIES = 9;
const THROTTLE_FIRST_WAIT_MS = 50;
const THROTTLE_MAX_WAIT_MS = 10_000;

/** Ids fetched per round when removing what a query matches. */
const REMOVE_ROUND = 1000;

/**
 * Runs bulk operations (each carries its `partitionKey`: the emulator needs it, and it spares the SDK a look-up)
 * and checks every result: a failed operation fails the call, so no write is lost silently. `allowed` lists
 * statuses that count as done (404 for a delete that lost a race); `throttle` is for tests. Returns how many operations had a 2xx status.
 *
 * This uses `items.bulk` (100 operations a request, several requests in flight), not `executeBulkOperations`:
 * the latter waits a full second for partial batches on every call, which a store called once per page of 500
 * changes cannot afford. Throttling: a whole request answered 429 is retried by the SDK as the client's
 * `connectionPolicy.retryOptions` say (honouring `x-ms-retry-after-ms`); single operations answered 429 inside a
 * bulk response are sent again here with exponential backoff, and any still throttled after that fail the call.
 */
export async function runBulk(
  container: Container,
  operations: readonly OperationInput[],
  what: string,
  allowed: readonly number[] = [],
  throttle: { retries: number; firstWaitMs: number } = { retries: THROTTLE_RETRIES, firstWaitMs: THROTTLE_FIRST_WAIT_MS },
): Promise<number> {
  let succeeded = 0;
  const failures: number[] = [];
  const runSlice = async (slice: readonly OperationInput[]): Promise<void> => {
    let pending = slice;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await sleep(backoffMs({ maxRetries: throttle.retries, baseDelayMs: throttle.firstWaitMs, maxDelayMs: THROTTLE_MAX_WAIT_MS }, attempt - 1));
      const results = await container.items.bulk([...pending], { continueOnError: true });
      const throttled: OperationInput[] = [];
      results.forEach((r, i) => {
        const status = r.statusCode;
        if (status >= 200 && status < 300) succeeded++;
        else if (status === 429 && attempt < throttle.retries) throttled.push(pending[i]!);
        else if (!allowed.includes(status)) failures.push(status);
      });
      pending = throttled;
    }
  };
  const slices: OperationInput[][] = [];
  for (let i = 0; i < operations.length; i += BULK_SLICE) slices.push(operations.slice(i, i + BULK_SLICE));
  await forEachConcurrent(slices, BULK_PARALLEL, runSlice);
  if (failures.length > 0) {
    const byStatus = [...new Set(failures)].map((s) => `${failures.filter((f) => f === s).length} × ${s}`).join(", ");
    throw new Error(`Cosmos ${what}: ${failures.length} of ${operations.length} bulk operations failed (${byStatus}).`);
  }
  return succeeded;
}

/**
 * Deletes every document `select` finds (it must project `id` and `pk`, e.g. `SELECT TOP @n c.id, c.pk …`, with
 * `@n` bound by this function), in rounds until none is left; returns how many it deleted. A document another
 * caller deleted meanwhile is not an error. With `partitionKey`, the query runs in that partition only (see
 * `queryPartition`).
 */
export async function removeMatching(container: Container, select: SqlQuerySpec, what: string, partitionKey?: string): Promise<number> {
  let removed = 0;
  for (;;) {
    const query: SqlQuerySpec = { query: select.query, parameters: [...(select.parameters ?? []), { name: "@n", value: REMOVE_ROUND }] };
    const found =
      partitionKey === undefined ? await queryAll<{ id: string; pk: string }>(container, query) : await queryPartition<{ id: string; pk: string }>(container, partitionKey, query);
    if (found.length === 0) return removed;
    removed += await runBulk(
      container,
      found.map((d) => ({ operationType: "Delete", id: d.id, partitionKey: d.pk })),
      what,
      [404],
    );
    if (found.length < REMOVE_ROUND) return removed;
  }
}

/** A document body for a bulk write (the SDK's JSON type). */
export const asBody = (doc: object): JSONObject => doc as JSONObject;
