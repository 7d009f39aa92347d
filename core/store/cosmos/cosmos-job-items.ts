import type { Container } from "@azure/cosmos";
import { asBody, removeMatching, runBulk } from "./cosmos-job-bulk";
import { queryAll } from "./cosmos-query";

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
   * Sets `ttl` on a finished job's changes and outcomes whose `ttl` differs (rewriting restarts its count), so
   * Cosmos removes them with the job, not before, even if the retention sweep never runs; returns how many it
   * stamped. Each round reads such documents and writes them back in bulk, `IfMatch` their etag (one rewritten
   * meanwhile is left for the next round). Only a job that ran longer than its items' ttl allows needs this.
   * A bulk `Patch` of `/ttl` would spare the read on real Cosmos, but the emulator refuses Patch in bulk.
   */
  async expireAll(pk: string, ttl: number): Promise<number> {
    let stamped = 0;
    for (;;) {
      const docs = await queryAll<Record<string, unknown> & { id: string; _etag: string }>(this.items, {
        query: "SELECT TOP @n * FROM c WHERE c.pk = @pk AND (NOT IS_DEFINED(c.ttl) OR c.ttl != @ttl)",
        parameters: [
          { name: "@pk", value: pk },
          { name: "@ttl", value: ttl },
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
