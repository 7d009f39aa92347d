import { Agent, fetch } from "undici";
import { z } from "zod";
import { forEachConcurrent } from "../lib/pool";

/** One Graph request to send inside a `$batch`. */
export interface GraphOp {
  readonly method: "GET" | "PATCH" | "POST" | "DELETE" | "PUT";
  /** Relative to `/v1.0`: `/users/{id}`. */
  readonly url: string;
  readonly body?: unknown;
}

/** How many inner requests ended with each status, and a few error messages seen. */
export interface SendFigures {
  readonly ops: number;
  readonly seconds: number;
  readonly byStatus: Record<string, number>;
  readonly sampleErrors: string[];
}

const BATCH = 20;
const SAMPLE_ERRORS = 5;

const BatchAnswer = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number(),
      body: z.object({ error: z.object({ message: z.string() }).optional() }).passthrough().nullish(),
    }),
  ),
});

/**
 * Sends many Graph requests fast, as a script would (bench drift, not the engine): `$batch` envelopes of 20,
 * several in flight over a few connections. Throttled (429) inner requests are counted, not retried: drift
 * runs with the simulator's throttling off.
 */
export class BatchSender {
  private readonly agent: Agent;

  constructor(
    private readonly url: string,
    ca: string,
    private readonly concurrency = 8,
  ) {
    this.agent = new Agent({ connect: { ca }, connections: concurrency });
  }

  async send(ops: readonly GraphOp[]): Promise<SendFigures> {
    const started = performance.now();
    const byStatus: Record<string, number> = {};
    const sampleErrors: string[] = [];
    const chunks: GraphOp[][] = [];
    for (let i = 0; i < ops.length; i += BATCH) chunks.push(ops.slice(i, i + BATCH));
    await forEachConcurrent(chunks, this.concurrency, async (chunk) => {
      for (const r of await this.post(chunk)) {
        byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
        const message = r.body?.error?.message;
        if (r.status >= 300 && message !== undefined && sampleErrors.length < SAMPLE_ERRORS) sampleErrors.push(`${r.status} ${message}`);
      }
    });
    return { ops: ops.length, seconds: (performance.now() - started) / 1000, byStatus, sampleErrors };
  }

  private async post(chunk: readonly GraphOp[]): Promise<z.infer<typeof BatchAnswer>["responses"]> {
    const requests = chunk.map((op, i) => ({
      id: String(i + 1),
      method: op.method,
      url: op.url,
      ...(op.body !== undefined ? { body: op.body, headers: { "Content-Type": "application/json" } } : {}),
    }));
    const res = await fetch(`${this.url}/v1.0/$batch`, {
      method: "POST",
      headers: { Authorization: "Bearer bench-drift", "Content-Type": "application/json" },
      body: JSON.stringify({ requests }),
      dispatcher: this.agent,
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`$batch answered ${res.status}: ${text.slice(0, 300)}`);
    return BatchAnswer.parse(JSON.parse(text)).responses;
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
