import { mergeAsync } from "../../core/graph/merge-async";
import { sleep } from "../../lib/async";

async function* source(name: string, delays: number[], failAt?: number, closed?: string[]): AsyncGenerator<string> {
  try {
    for (let i = 0; i < delays.length; i++) {
      await sleep(delays[i]!);
      if (i === failAt) throw new Error(`${name} failed`);
      yield `${name}${i}`;
    }
  } finally {
    closed?.push(name);
  }
}

describe("mergeAsync", () => {
  it("yields from every source as items arrive, and everything once", async () => {
    // "a" is held until b's three items were consumed: a merge that waited on "a" would never get there. No
    // timers, so a busy machine cannot reorder it.
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    async function* held(): AsyncGenerator<string> {
      await gate;
      yield "a0";
      yield "a1";
    }
    async function* ready(): AsyncGenerator<string> {
      yield "b0";
      yield "b1";
      yield "b2";
    }
    const out: string[] = [];
    for await (const x of mergeAsync([held(), ready()])) {
      out.push(x);
      if (out.length === 3) open();
    }
    expect(out.slice(0, 3)).toEqual(["b0", "b1", "b2"]);
    expect(out.sort()).toEqual(["a0", "a1", "b0", "b1", "b2"]);
  });

  it("closes the other sources when one fails or the consumer stops early", async () => {
    const closed: string[] = [];
    await expect(
      (async () => {
        for await (const _ of mergeAsync([source("a", [50, 50], undefined, closed), source("b", [5, 5], 1, closed)]));
      })(),
    ).rejects.toThrow("b failed");
    expect(closed.sort()).toEqual(["a", "b"]);
    const closed2: string[] = [];
    for await (const _ of mergeAsync([source("c", [5, 5, 5], undefined, closed2), source("d", [50], undefined, closed2)])) break;
    expect(closed2.sort()).toEqual(["c", "d"]);
  });
});
