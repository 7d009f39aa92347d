import { WritePacer } from "../../core/graph/write-pacer";

/** A pacer on a fake clock, where waiting is a setTimeout we can observe. */
describe("WritePacer", () => {
  it("never lets more writes through in any window than the budget allows", async () => {
    jest.useFakeTimers();
    try {
      let now = 0;
      const pacer = new WritePacer({ writes: 100, windowMs: 1000 }, () => now);
      const times: number[] = [];
      const done = (async () => {
        for (let i = 0; i < 400; i++) {
          await pacer.acquire(1);
          times.push(now);
        }
      })();
      while (times.length < 400) {
        await jest.advanceTimersByTimeAsync(5);
        now += 5;
      }
      await done;
      // Slide a 1 s window over the send times: never more than the budget.
      let worst = 0;
      for (let i = 0, j = 0; i < times.length; i++) {
        while (times[i]! - times[j]! >= 1000) j++;
        worst = Math.max(worst, i - j + 1);
      }
      expect(worst).toBeLessThanOrEqual(100);
      // And it does use most of it: 400 writes at 95/s take a little over 4 s, not much more.
      expect(times[399]!).toBeGreaterThan(3500);
      expect(times[399]!).toBeLessThan(4500);
    } finally {
      jest.useRealTimers();
    }
  });

  it("serves callers in order and lets a batch bigger than the burst through, then makes up for it", async () => {
    const pacer = new WritePacer({ writes: 100, windowMs: 1000 });
    const order: string[] = [];
    const started = performance.now();
    await Promise.all([pacer.acquire(20).then(() => order.push("batch")), pacer.acquire(1).then(() => order.push("single"))]);
    expect(order).toEqual(["batch", "single"]);
    // The batch borrowed 16 writes beyond the burst of 4: the next write waits for them to refill (~180 ms).
    expect(performance.now() - started).toBeGreaterThan(150);
  });
});
