import { Agent, fetch } from "undici";
import { z } from "zod";
import type { FaultOptions, ThrottlingOptions } from "../sim/types";

/** Where a simulator running in another process listens (what bench/sim-child.ts reports). */
export interface SimConnection {
  readonly url: string;
  readonly ca: string;
  readonly tenantId: string;
}

const Stats = z.object({
  requests: z.number(),
  throttled: z.number(),
  writes: z.number(),
  resourceUnits: z.number(),
  httpRequests: z.number(),
  faultsInjected: z.number(),
  faultsByKind: z.record(z.string(), z.number()),
});
export type SimCounters = z.infer<typeof Stats>;

const Health = z.object({ rssBytes: z.number(), cpuMs: z.number() });

const WriteLogPageSchema = z.object({
  entries: z.array(
    z.object({
      seq: z.number(),
      at: z.string(),
      method: z.string(),
      path: z.string(),
      id: z.string().optional(),
      refs: z.array(z.string()).optional(),
      status: z.number(),
      inBatch: z.boolean(),
      lost: z.enum(["drop", "503", "504"]).optional(),
      changed: z.boolean(),
    }),
  ),
  evicted: z.number(),
});
/** A slice of the simulator's write log, as `GET /_sim/write-log` serves it. */
export type SimWriteLogPage = z.infer<typeof WriteLogPageSchema>;

/** The simulator's `/_sim/` controls over HTTPS (no token, never throttled). */
export class SimControl {
  private readonly agent: Agent;
  /** Calls this client made (the simulator counts them in `httpRequests` too). */
  calls = 0;

  constructor(private readonly conn: SimConnection) {
    this.agent = new Agent({ connect: { ca: conn.ca } });
  }

  /** Counters only: `writesByObject` is left out (it is large after a bulk drift). */
  async stats(): Promise<SimCounters> {
    return Stats.parse(await this.call("GET", "/_sim/stats"));
  }

  async health(): Promise<z.infer<typeof Health>> {
    return Health.parse(await this.call("GET", "/_sim/health"));
  }

  async resetStats(): Promise<void> {
    await this.call("POST", "/_sim/reset-stats");
  }

  /**
   * `false` turns throttling off; `true` puts Graph's identity-and-access budgets back (windows scaled by the
   * sim's timeScale); budgets override them (a 429 storm).
   */
  async setThrottling(on: ThrottlingOptions): Promise<void> {
    await this.call("POST", "/_sim/throttling", on);
  }

  /** Replaces the injected faults (`{}`: none). */
  async setFaults(faults: FaultOptions): Promise<void> {
    await this.call("POST", "/_sim/faults", faults);
  }

  /** The writes handled after `after` (a `seq`), oldest first. */
  async writeLog(after = 0): Promise<SimWriteLogPage> {
    return WriteLogPageSchema.parse(await this.call("GET", `/_sim/write-log?after=${after}`));
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    this.calls++;
    const res = await fetch(`${this.conn.url}${path}`, {
      method,
      dispatcher: this.agent,
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } } : {}),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 200)}`);
    return JSON.parse(text) as unknown;
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
