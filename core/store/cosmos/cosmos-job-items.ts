import type { Container } from "@azure/cosmos";
import { asBody, queryPage, removeMatching, runBulk } from "./cosmos-job-bulk";

/** Items stamped per round when a finished job's items get their `ttl`. */
const STAMP_ROUND = 500;

/** The `jobItems` partition of one job: its changes and outcomes live together. */
export const jobItemsPk = (tenantId: string, jobId: string): string => `${tenantId}|${jobId}`;

/** Everything in a job's `jobItems` partition at once: clearing and retention. */
export class JobItems {
  constructor(private readonly items: Container) {}

  /** Removes every change and outcome of a job (ids by query, then bulk deletes); returns how many went. */
  async removeAll(pk: string): Promise<number> {
    return removeMatching(this.items, { query: "SELECT TOP @n c.id, c.pk FROM c WHERE c.pk = @pk", parameters: [{ name: "@pk", value: pk }] }, "removing job items");
  }

  /**
   * Sets `ttl` on a finished job's changes and outcomes that lack it, so Cosmos removes them with the job even
   * if the retention sweep never runs; returns how many it stamped. Each round reads documents without `ttl` and
   * writes them back with it in bulk, `IfMatch` their etag (one rewritten meanwhile is left for the next round).
   * A bulk `Patch` of `/ttl` would spare the read on real Cosmos, but the emulator refuses Patch in bulk.
   */
  async expireAll(pk: string, ttl: number): Promise<number> {
    let stamped = 0;
    for (;;) {
      const docs = await queryPage<Record<string, unknown> & { id: string; _etag: string }>(this.items, {
        query: "SELECT TOP @n * FROM c WHERE c.pk = @pk AND NOT IS_DEFINED(c.ttl)",
        parameters: [
          { name: "@pk", value: pk },
          { name: "@n", value: STAMP_ROUND },
        ],
      });
      if (docs.length === 0) return stamped;
      stamped += await runBulk(
        this.items,
        docs.map(({ _etag, _rid: _r, _self: _s, _ts: _t, _attachments: _a, ...doc }) => ({
          operationType: "Replace" as const,
          id: doc.id,
          partitionKey: pk,
          ifMatch: _etag,
          resourceBody: asBody({ ...doc, ttl }),
        })),
        "stamping ttl on job items",
        [404, 412],
      );
      if (docs.length < STAMP_ROUND) return stamped;
    }
  }
}
