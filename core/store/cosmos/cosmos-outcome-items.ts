import type { Container } from "@azure/cosmos";
import { z } from "zod";
import { RECOVERY_STEPS, type StepOutcome } from "../../model/change";
import { StoredStepSchema, StoredStepStatusSchema } from "../documents/stored-documents";
import { asBody, runBulk } from "./cosmos-job-bulk";
import { queryAll } from "./cosmos-query";
import { parseStored } from "../../../lib/stored-json";

/**
 * A recovery step outcome in `jobItems` (pk = `${tenantId}|${jobId}`): id `o-${seq}-${step}`, so a step written
 * again is the same document (upsert). `ord` orders by (seq, step in the order a recovery runs them) as one
 * number, so one ORDER BY field does (two would need a composite index).
 */
const OutcomeDocSchema = z.object({
  kind: z.literal("outcome"),
  seq: z.number().int(),
  step: StoredStepSchema,
  status: StoredStepStatusSchema,
  message: z.string().optional(),
  at: z.string(),
});

const STEP_SLOTS = RECOVERY_STEPS.length + 1;
const ordOf = (seq: number, step: StepOutcome["step"]): number => seq * STEP_SLOTS + RECOVERY_STEPS.indexOf(step);

/** A recovery's step outcomes as documents in its `jobItems` partition. */
export class OutcomeItems {
  constructor(private readonly items: Container) {}

  /** Upserts outcomes by (seq, step), in bulk, each with `ttl` (seconds). */
  async put(pk: string, outcomes: readonly StepOutcome[], ttl: number): Promise<void> {
    await runBulk(
      this.items,
      outcomes.map((o) => ({
        operationType: "Upsert" as const,
        partitionKey: pk,
        resourceBody: asBody({
          id: `o-${o.seq}-${o.step}`,
          pk,
          kind: "outcome",
          seq: o.seq,
          step: o.step,
          ord: ordOf(o.seq, o.step),
          status: o.status,
          ...(o.message !== undefined ? { message: o.message } : {}),
          at: o.at,
          ttl,
        }),
      })),
      "putOutcomes",
    );
  }

  /** Outcomes with seq in [from, to], in (seq, step) order. */
  async read(pk: string, fromSeq: number, toSeq: number): Promise<StepOutcome[]> {
    const docs = await queryAll<unknown>(this.items, {
      query: 'SELECT * FROM c WHERE c.pk = @pk AND c.kind = "outcome" AND c.seq >= @from AND c.seq <= @to ORDER BY c.ord',
      parameters: [
        { name: "@pk", value: pk },
        { name: "@from", value: fromSeq },
        { name: "@to", value: toSeq },
      ],
    });
    return docs.map((raw) => {
      const o = parseStored(OutcomeDocSchema, raw, "step outcome");
      return { seq: o.seq, step: o.step, status: o.status, ...(o.message !== undefined ? { message: o.message } : {}), at: o.at };
    });
  }

  /**
   * Seqs with a failed step after `afterSeq`, ascending, each once. No DISTINCT (the emulator lacks it): a seq
   * has at most one document per step, so the first `limit` × steps failed documents hold `limit` distinct seqs.
   */
  async failedSeqs(pk: string, afterSeq: number, limit: number): Promise<number[]> {
    if (limit === 0) return [];
    const rows = await queryAll<{ seq: unknown }>(this.items, {
      query: 'SELECT TOP @n c.seq FROM c WHERE c.pk = @pk AND c.kind = "outcome" AND c.status = "failed" AND c.seq > @after ORDER BY c.seq',
      parameters: [
        { name: "@pk", value: pk },
        { name: "@after", value: afterSeq },
        { name: "@n", value: limit * RECOVERY_STEPS.length },
      ],
    });
    const seqs = [...new Set(rows.map((r) => z.number().int().parse(r.seq)))];
    return seqs.slice(0, limit);
  }
}
