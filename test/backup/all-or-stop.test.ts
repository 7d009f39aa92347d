import { allOrStop } from "../../core/backup/all-or-stop";

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A task that runs until its signal aborts, then takes `settleMs` more to wind down (as a store write would). */
function untilAborted(log: string[], name: string, settleMs: number) {
  return (signal: AbortSignal) =>
    new Promise<void>((_resolve, reject) => {
      signal.addEventListener("abort", () => {
        log.push(`${name} saw abort`);
        void tick(settleMs).then(() => {
          log.push(`${name} settled`);
          reject(signal.reason);
        });
      });
    });
}

describe("allOrStop: tasks that stop together", () => {
  it("the first failure aborts the others, and it rejects with that failure once all have settled", async () => {
    const log: string[] = [];
    const boom = new Error("users: 503");
    const failing = async () => {
      await tick(20);
      log.push("users failed");
      throw boom;
    };
    await expect(allOrStop(undefined, [failing, untilAborted(log, "groups", 30), untilAborted(log, "apps", 10)])).rejects.toBe(boom);
    expect(log[0]).toBe("users failed");
    expect(log).toEqual(expect.arrayContaining(["groups saw abort", "apps saw abort", "groups settled", "apps settled"]));
    expect(log).toHaveLength(5);
  });

  it("an abort of the outer signal reaches every task, with its reason", async () => {
    const log: string[] = [];
    const outer = new AbortController();
    const reason = new Error("canceled");
    setTimeout(() => outer.abort(reason), 10);
    await expect(allOrStop(outer.signal, [untilAborted(log, "a", 0), untilAborted(log, "b", 0)])).rejects.toBe(reason);
    expect(log.sort()).toEqual(["a saw abort", "a settled", "b saw abort", "b settled"]);
  });

  it("resolves when every task does, and a task never sees an abort then", async () => {
    const seen: boolean[] = [];
    await allOrStop(new AbortController().signal, [1, 2, 3].map((n) => async (signal: AbortSignal) => {
      await tick(n * 5);
      seen.push(signal.aborted);
    }));
    expect(seen).toEqual([false, false, false]);
  });

  it("an outer signal aborted before the start stops the tasks at once", async () => {
    const outer = new AbortController();
    outer.abort(new Error("already canceled"));
    await expect(allOrStop(outer.signal, [async (signal) => signal.throwIfAborted()])).rejects.toThrow("already canceled");
  });
});
