import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";

/**
 * How long the engine's process held its event loop without a turn (the bot shares it: no answer, no timer,
 * no job heartbeat meanwhile). Node's event-loop delay histogram, 10 ms resolution.
 */
export class LoopBlock {
  private readonly h: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });

  constructor() {
    this.h.enable();
  }

  reset(): void {
    this.h.reset();
  }

  /** The longest delay since the last reset, in ms. */
  maxMs(): number {
    return Math.round(this.h.max / 1e6);
  }

  /** The 99th percentile delay since the last reset, in ms. */
  p99Ms(): number {
    return Math.round(this.h.percentile(99) / 1e6);
  }

  stop(): void {
    this.h.disable();
  }
}
