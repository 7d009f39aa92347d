import { sleep } from "../../lib/async";

/**
 * Keeps writes under Graph's write budget (3,000 per 150 s per app and tenant) by pacing them, instead of
 * running into 429s. A token bucket whose burst plus refill over any window stays under 99% of the budget,
 * so even a fixed-window counter on the server side never sees more than the budget.
 */
export interface WriteBudget {
  /** Writes allowed per window (Graph: 3,000). */
  readonly writes: number;
  /** Window length in milliseconds (Graph: 150,000). */
  readonly windowMs: number;
}

/**
 * Graph's documented write budget for identity and access
 * (https://learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits).
 */
export const GRAPH_WRITE_BUDGET: WriteBudget = { writes: 3000, windowMs: 150_000 };

const BURST_SHARE = 0.04;
const RATE_SHARE = 0.95;

/** Token bucket pacing writes; `acquire(n)` resolves when n writes may go. */
export class WritePacer {
  private readonly capacity: number;
  private readonly perMs: number;
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    budget: WriteBudget,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.capacity = Math.max(1, Math.floor(budget.writes * BURST_SHARE));
    this.perMs = (budget.writes * RATE_SHARE) / budget.windowMs;
    this.tokens = this.capacity;
    this.last = this.now();
  }

  /** Waits until `count` writes fit in the budget, then takes them. Callers are served in order. */
  acquire(count: number): Promise<void> {
    if (count <= 0) return Promise.resolve();
    const turn = this.queue.then(() => this.take(count));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Empties the bucket after the server said the budget is spent (a 429 despite pacing). */
  drain(): void {
    this.refill();
    this.tokens = Math.min(this.tokens, 0);
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + (t - this.last) * this.perMs);
    this.last = t;
  }

  private async take(count: number): Promise<void> {
    // A request bigger than the burst (a $batch of 20 with a tiny test budget) may borrow: it waits for the
    // deficit to refill afterwards, which keeps the long-run rate.
    for (;;) {
      this.refill();
      const need = Math.min(count, this.capacity);
      if (this.tokens >= need) {
        this.tokens -= count;
        return;
      }
      const waitMs = Math.ceil((need - this.tokens) / this.perMs);
      await sleep(waitMs);
    }
  }
}
