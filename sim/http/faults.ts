import { Rng } from "../tenant/prng";
import type { FaultOptions } from "../types";

/** What happens to a request before it is handled: dropped, 503/504, never answered, a body that never ends. */
export type FaultDecision = "drop" | "503" | "504" | "hang" | "hangBody" | null;

/** How the answer of a write that was carried out is lost. */
export type LostAnswer = "drop" | "503" | "504";

const RATES = ["errorRate", "dropRate", "hangRate", "hangBodyRate", "lostAnswerDropRate", "lostAnswerErrorRate", "lostInnerAnswerRate", "afterWriteShare"] as const;

/** Decides, per request, whether to inject a failure; seeded so a run is reproducible. */
export class FaultInjector {
  private opts: FaultOptions = {};
  private readonly rng: Rng;
  private injected = 0;

  constructor(seed: number, opts: FaultOptions = {}) {
    this.rng = new Rng(seed);
    this.set(opts);
  }

  set(opts: FaultOptions): void {
    for (const [k, v] of Object.entries(opts)) {
      if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v < 0)) throw new Error(`faults.${k} must be a non-negative number`);
    }
    for (const k of RATES) if ((opts[k] ?? 0) > 1) throw new Error(`faults.${k} must not exceed 1`);
    if ((opts.errorRate ?? 0) + (opts.dropRate ?? 0) + (opts.hangRate ?? 0) + (opts.hangBodyRate ?? 0) > 1) {
      throw new Error("faults.errorRate + dropRate + hangRate + hangBodyRate must not exceed 1");
    }
    if ((opts.lostAnswerDropRate ?? 0) + (opts.lostAnswerErrorRate ?? 0) > 1) throw new Error("faults.lostAnswerDropRate + lostAnswerErrorRate must not exceed 1");
    if (opts.maxFaults !== undefined && !Number.isInteger(opts.maxFaults)) throw new Error("faults.maxFaults must be a whole number");
    this.opts = { ...opts };
    this.injected = 0;
  }

  get latencyMs(): number {
    return this.opts.latencyMs ?? 0;
  }

  /** The fault for a request about to be handled (nothing it asks for is carried out then). */
  decide(): FaultDecision {
    const drop = this.opts.dropRate ?? 0;
    const err = this.opts.errorRate ?? 0;
    const hang = this.opts.hangRate ?? 0;
    const hangBody = this.opts.hangBodyRate ?? 0;
    if ((drop === 0 && err === 0 && hang === 0 && hangBody === 0) || this.spent()) return null;
    // One draw, in this order, so a run with only the older faults set sees the same sequence as before.
    const r = this.rng.next();
    let decision: FaultDecision = null;
    if (r < drop) decision = "drop";
    else if (r < drop + err) decision = this.rng.next() < 0.5 ? "503" : "504";
    else if (r < drop + err + hang) decision = "hang";
    else if (r < drop + err + hang + hangBody) decision = "hangBody";
    if (decision !== null) this.injected++;
    return decision;
  }

  /** Whether a 503/504 or drop drawn for a writing request strikes after its write (`afterWriteShare`). */
  strikesAfterWrite(): boolean {
    const share = this.opts.afterWriteShare ?? 0;
    return share > 0 && this.rng.next() < share;
  }

  /** Whether the answer of a write just carried out (a top-level request or a `$batch`) is lost, and how. */
  loseAnswer(): LostAnswer | null {
    const drop = this.opts.lostAnswerDropRate ?? 0;
    const err = this.opts.lostAnswerErrorRate ?? 0;
    if ((drop === 0 && err === 0) || this.spent()) return null;
    const r = this.rng.next();
    if (r >= drop + err) return null;
    this.injected++;
    if (r < drop) return "drop";
    return this.rng.next() < 0.5 ? "503" : "504";
  }

  /** Whether the inner answer of a write just carried out inside a `$batch` is replaced by a 503 or 504. */
  loseInnerAnswer(): "503" | "504" | null {
    const rate = this.opts.lostInnerAnswerRate ?? 0;
    if (rate === 0 || this.spent() || this.rng.next() >= rate) return null;
    this.injected++;
    return this.rng.next() < 0.5 ? "503" : "504";
  }

  /** Whether an injected error also carries Retry-After (about half of them, like Graph's gateways). */
  withRetryAfter(): boolean {
    return this.rng.next() < 0.5;
  }

  private spent(): boolean {
    return this.opts.maxFaults !== undefined && this.injected >= this.opts.maxFaults;
  }
}
