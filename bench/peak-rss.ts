/**
 * Samples this process's resident memory every few milliseconds and keeps the peak per phase, so one worker
 * can report the peak of each thing it measures (`process.resourceUsage().maxRSS` only knows the lifetime peak).
 */
export class PeakRss {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 50) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  /** Starts a new phase: forgets the peak so far (after a collection, when `gc` is exposed). */
  reset(): void {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    this.peak = process.memoryUsage.rss();
  }

  /** The peak since the last reset, in MiB. */
  peakMiB(): number {
    this.sample();
    return Math.round(this.peak / 2 ** 20);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }
}

/** The process's lifetime peak resident memory, in MiB. */
export function lifetimePeakRssMiB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
