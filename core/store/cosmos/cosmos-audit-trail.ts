import { randomUUID } from "node:crypto";
import type { Container } from "@azure/cosmos";
import { z } from "zod";
import type { AuditEntry } from "../../model/audit";
import { StoredAuditEntrySchema } from "../documents/stored-documents";
import { timeKey } from "../../../lib/time-key";
import { ownAuditEntry } from "../shared/audit-rules";
import { asBody, removeMatching, runBulk } from "./cosmos-job-bulk";
import { queryPartition } from "../../../lib/cosmos-calls";
import { parseStored } from "../../../lib/stored-json";

/**
 * An audit entry in `audit` (pk = tenantId, id random): the entry under `entry`, the normalized time `atKey` for
 * the `since` filter and the purge, and `ord` = atKey + a write stamp, so one ORDER BY field lists newest first
 * and entries of the same instant newest-written first. `ttl` is the audit retention plus a margin.
 */
const AuditDocSchema = z.object({ pk: z.string(), entry: StoredAuditEntrySchema });

/** The audit trail, each tenant in its own partition. */
export class CosmosAuditTrail {
  /** Write stamps of this process: increasing, so entries written later sort later. */
  private lastStamp = 0;

  constructor(
    private readonly container: Container,
    private readonly ttl: number,
  ) {}

  /** Appends entries in bulk (each to its tenant's partition). */
  async append(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await runBulk(
      this.container,
      entries.map((entry) => {
        const atKey = timeKey(entry.at, "at");
        return {
          operationType: "Create" as const,
          partitionKey: entry.tenantId,
          resourceBody: asBody({ id: randomUUID(), pk: entry.tenantId, atKey, ord: `${atKey}|${this.stamp()}`, entry, ttl: this.ttl }),
        };
      }),
      "appendAudit",
    );
  }

  /** A tenant's entries, newest first, from `since` (inclusive) on. */
  async list(tenantId: string, since: string | undefined, limit: number): Promise<AuditEntry[]> {
    if (limit === 0) return [];
    const docs = await queryPartition<unknown>(this.container, tenantId, {
      query: `SELECT TOP @limit * FROM c WHERE c.pk = @pk${since !== undefined ? " AND c.atKey >= @since" : ""} ORDER BY c.ord DESC`,
      parameters: [
        { name: "@pk", value: tenantId },
        { name: "@limit", value: limit },
        ...(since !== undefined ? [{ name: "@since", value: timeKey(since, "since") }] : []),
      ],
    });
    return docs.map((raw) => {
      const doc = parseStored(AuditDocSchema, raw, "audit entry");
      return ownAuditEntry(doc.pk, doc.entry);
    });
  }

  /**
   * Removes the tenant's entries older than `before` by an explicit query within its partition and bulk deletes;
   * returns how many. TTL removes them too in real Cosmos, but the purge must not depend on it (the emulator
   * never expires anything, and an account may have TTL off).
   */
  async purge(tenantId: string, before: string): Promise<number> {
    return removeMatching(
      this.container,
      {
        query: "SELECT TOP @n c.id, c.pk FROM c WHERE c.pk = @pk AND c.atKey < @before",
        parameters: [
          { name: "@pk", value: tenantId },
          { name: "@before", value: timeKey(before, "before") },
        ],
      },
      "purgeAudit",
      tenantId,
    );
  }

  /** Milliseconds since the epoch times 1000 plus a counter: increasing within this process, roughly across processes. */
  private stamp(): string {
    this.lastStamp = Math.max(this.lastStamp + 1, Date.now() * 1000);
    return String(this.lastStamp).padStart(20, "0");
  }
}
