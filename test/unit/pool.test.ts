import { forEachConcurrent, mapConcurrent } from "../../lib/pool";

/** A call that settles when the test says so, so the order of events is the test's, not the timer's. */
function gate<T>(): { promise: Promise<T>; open: (v: T) => void; fail: (e: unknown) => void } {
  let open!: (v: T) => void;
  let fail!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    open = res;
    fail = rej;
  });
  return { promise, open, fail };
}

const turns = () => new Promise((r) => setImmediate(r));

describe("mapConcurrent", () => {
  it("keeps the input order in the result when calls finish out of order", async () => {
    const gates = [gate<string>(), gate<string>(), gate<string>()];
    const done = mapConcurrent([0, 1, 2], 3, (i) => gates[i]!.promise);
    gates[2]!.open("c");
    gates[0]!.open("a");
    gates[1]!.open("b");
    await expect(done).resolves.toEqual(["a", "b", "c"]);
  });

  it("never has more than `concurrency` calls in flight, and starts items in order", async () => {
    let inFlight = 0;
    let most = 0;
    const started: number[] = [];
    await mapConcurrent([...Array(20).keys()], 3, async (n, index) => {
      expect(index).toBe(n);
      started.push(n);
      inFlight++;
      most = Math.max(most, inFlight);
      await turns();
      inFlight--;
      return n;
    });
    expect(most).toBe(3);
    expect(started).toEqual([...Array(20).keys()]);
  });

  it("starts nothing new after a failure, lets started calls settle, then throws the first failure", async () => {
    const started: number[] = [];
    const settled: number[] = [];
    const slow = gate<void>();
    const done = mapConcurrent([0, 1, 2, 3, 4], 2, async (n) => {
      started.push(n);
      if (n === 0) {
        await slow.promise;
        settled.push(n);
        return n;
      }
      throw new Error(`item ${n} failed`);
    });
    await turns();
    let finished = false;
    void done.catch(() => (finished = true));
    await turns();
    expect(finished).toBe(false); // item 0 is still in flight
    slow.open();
    await expect(done).rejects.toThrow("item 1 failed");
    expect(started).toEqual([0, 1]);
    expect(settled).toEqual([0]);
  });

  it("stops taking items when the signal aborts, and throws its reason", async () => {
    const abort = new AbortController();
    const started: number[] = [];
    const done = mapConcurrent(
      [0, 1, 2, 3],
      1,
      async (n) => {
        started.push(n);
        if (n === 1) abort.abort(new Error("stopped by the caller"));
        return n;
      },
      { signal: abort.signal },
    );
    await expect(done).rejects.toThrow("stopped by the caller");
    expect(started).toEqual([0, 1]);
  });

  it("returns an empty result for no items, and refuses a concurrency below one", async () => {
    await expect(mapConcurrent([], 4, async () => 1)).resolves.toEqual([]);
    await expect(mapConcurrent([1], 0, async () => 1)).rejects.toThrow(RangeError);
    await expect(mapConcurrent([1], Number.NaN, async () => 1)).rejects.toThrow(RangeError);
  });
});

describe("forEachConcurrent", () => {
  it("runs every item once and propagates a failure", async () => {
    const seen: number[] = [];
    await forEachConcurrent([1, 2, 3, 4], 2, async (n) => {
      seen.push(n);
    });
    expect(seen.sort()).toEqual([1, 2, 3, 4]);
    await expect(
      forEachConcurrent([1, 2], 2, async (n) => {
        if (n === 2) throw new Error("two");
      }),
    ).rejects.toThrow("two");
  });
});
