import { Rng } from "../tenant/prng";
import type { FaultOptions } from "../types";

export type FaultDecision = "drop" | "503" | "504" | null;

/** Decides, per request, whether to inject a failure; seeded so a run is reproducible. */
export class FaultInjector {
  private opts: FaultOptions = {};
  private readonly rng: Rng;

  constructor(seed: number, opts: FaultOptions = {}) {
    this.rng = new Rng(seed);
    this.set(opts);
  }

  set(opts: FaultOptions): void {
    for (const [k, v] of Object.entries(opts)) {
      if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v < 0)) throw new Error(`faults.${k} must be a non-negative number`);
    }
    if ((opts.errorRate ?? 0) + (opts.dropRate ?? 0) > 1) throw new Error("faults.errorRate + faults.dropRate must not exceed 1");
    this.opts = { ...opts };
  }

  get latencyMs(): number {
    return this.opts.latencyMs ?? 0;
  }

  decide(): FaultDecision {
    const drop = this.opts.dropRate ?? 0;
    const err = this.opts.errorRate ?? 0;
    if (drop === 0 && err === 0) return null;
    const r = this.rng.next();
    if (r < drop) return "drop";
    if (r < drop + err) return this.rng.next() < 0.5 ? "503" : "504";
    return null;
  }

  /** Whether an injected error also carries Retry-After (about half of them, like Graph's gateways). */
  withRetryAfter(): boolean {
    return this.rng.next() < 0.5;
  }
}
