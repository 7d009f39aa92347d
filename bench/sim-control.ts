import { Agent, fetch } from "undici";
import { z } from "zod";

/** Where a simulator running in another process listens (what bench/sim-child.ts reports). */
export interface SimConnection {
  readonly url: string;
  readonly ca: string;
  readonly tenantId: string;
}

const Stats = z.object({ requests: z.number(), throttled: z.number(), writes: z.number(), resourceUnits: z.number(), httpRequests: z.number() });
export type SimCounters = z.infer<typeof Stats>;

const Health = z.object({ rssBytes: z.number(), cpuMs: z.number() });

/** The simulator's `/_sim/` controls over HTTPS (no token, never throttled). */
export class SimControl {
  private readonly agent: Agent;

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

  /** `false` turns throttling off; `true` puts SPEC §6's budgets back (windows scaled by the sim's timeScale). */
  async setThrottling(on: boolean): Promise<void> {
    await this.call("POST", "/_sim/throttling", on);
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
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
