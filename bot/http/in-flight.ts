/** Counts the requests being served, so that a shutdown can let the turns in progress finish. */
export class InFlight {
  private count = 0;
  private waiters: Array<() => void> = [];

  /** Marks one request begun; call the returned function (any number of times) when it ends. */
  begin(): () => void {
    this.count++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.count--;
      if (this.count === 0) for (const wake of this.waiters.splice(0)) wake();
    };
  }

  /** How many requests are being served. */
  get size(): number {
    return this.count;
  }

  /** Resolves once no request is being served. */
  idle(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}
