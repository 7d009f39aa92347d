import { DirectoryError } from "../../core/model/directory-error";
import { collect, objectsOf, startFixture, type Fixture } from "./gateway-fixture";

/** Throttling, faults and pacing: the gateway finishes the job without the caller seeing any of it. */
describe("Graph gateway resilience, against the simulator over HTTPS", () => {
  let f: Fixture | undefined;
  afterEach(async () => {
    await f?.close();
    f = undefined;
  });

  it("waits out 429s for the Retry-After Graph sends and reads everything", async () => {
    // 10 s windows compressed 10x (1 s) with 3 resource units each: a user read of 10-user pages outruns the
    // budget unless each page takes over a third of a second, however loaded the machine is.
    f = await startFixture({ timeScale: 0.1, throttling: { resourceUnitsPer10s: 3 } }, { pageSize: 10 });
    const unthrottled = objectsOf(await collect(f.graph.readAll("application")));
    const users = objectsOf(await collect(f.graph.readAll("user")));
    const stats = f.sim.stats();
    expect(stats.throttled).toBeGreaterThan(0);
    expect(new Set(users.map((u) => u.id)).size).toBe(users.length);
    expect(users.length).toBeGreaterThan(100);
    expect(unthrottled.length).toBeGreaterThan(0);
  });

  it("retries 503/504 answers and dropped connections until the read completes", async () => {
    f = await startFixture({ throttling: false }, { pageSize: 10 });
    const clean = objectsOf(await collect(f.graph.readAll("user"))).map((u) => u.id).sort();
    f.sim.setFaults({ errorRate: 0.25, dropRate: 0.1 });
    f.sim.resetStats();
    const faulty = objectsOf(await collect(f.graph.readAll("user"))).map((u) => u.id).sort();
    expect(f.sim.stats().faultsInjected).toBeGreaterThan(0);
    expect(faulty).toEqual(clean);
  });

  it("gives up after its retries with a typed error naming the status", async () => {
    f = await startFixture({ throttling: false }, { retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 } });
    f.sim.setFaults({ errorRate: 1 });
    const err = await collect(f.graph.readAll("user")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DirectoryError);
    expect([503, 504]).toContain((err as DirectoryError).status);
    f.sim.setFaults({ dropRate: 1 });
    const dropped = await collect(f.graph.readAll("user")).catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(DirectoryError);
    expect((dropped as DirectoryError).status).toBe(0);
    expect((dropped as DirectoryError).message).toMatch(/could not be reached/);
  });

  it("paces writes under the write budget instead of running into 429s", async () => {
    // The simulator's write budget: 40 writes per 150 s window compressed to 1.5 s. The gateway paces to it.
    const timeScale = 0.01;
    f = await startFixture(
      { timeScale, throttling: { writesPer150s: 40, resourceUnitsPer10s: 100000 } },
      { writeBudget: { writes: 40, windowMs: 150_000 * timeScale } },
    );
    const users = objectsOf(await collect(f.graph.readAll("user"))).filter((u) => u.properties.onPremisesSyncEnabled !== true).slice(0, 100);
    f.sim.resetStats();
    const started = performance.now();
    const out = await f.graph.writeMany(users.map((u) => ({ op: "update" as const, type: "user" as const, id: u.id, properties: { jobTitle: "Paced" } })));
    const elapsed = performance.now() - started;
    expect(out.every((o) => o.ok)).toBe(true);
    expect(f.sim.stats().throttled).toBe(0);
    // 100 writes at 40 per 1.5 s need about 2.4 windows: pacing took time rather than 429s.
    expect(elapsed).toBeGreaterThan(2500);
  });

  it("retries the inner 429s of a $batch that ran over the write budget", async () => {
    f = await startFixture({ timeScale: 0.01, throttling: { writesPer150s: 15, resourceUnitsPer10s: 100000 } });
    const users = objectsOf(await collect(f.graph.readAll("user"))).filter((u) => u.properties.onPremisesSyncEnabled !== true).slice(0, 40);
    f.sim.resetStats();
    const out = await f.graph.writeMany(users.map((u) => ({ op: "update" as const, type: "user" as const, id: u.id, properties: { jobTitle: "Batched" } })));
    expect(out.every((o) => o.ok)).toBe(true);
    expect(f.sim.stats().throttled).toBeGreaterThan(0);
    expect(f.sim.stats().writes).toBe(40);
  });

  it("a reader that stops early leaves no request retrying behind it", async () => {
    // Slow backoff: a prefetched page left retrying would keep calling Graph for seconds.
    f = await startFixture({ throttling: false }, { pageSize: 10, retry: { maxRetries: 8, baseDelayMs: 200, maxDelayMs: 2_000 } });
    const reading = f.graph.readAll("user")[Symbol.asyncIterator]();
    expect((await reading.next()).done).toBe(false);
    // The next page is already on its way; Graph now fails everything, so it retries.
    f.sim.setFaults({ errorRate: 1 });
    await new Promise((r) => setTimeout(r, 100));
    await reading.return?.(undefined);
    const calls = f.sim.stats().httpRequests;
    await new Promise((r) => setTimeout(r, 1_500));
    expect(f.sim.stats().httpRequests - calls).toBe(0);
    // Each pass's page in flight failed once and was not tried again (its next try was 200 ms off): the user
    // read has two passes (delta, and the sponsors $expand). Left to retry, they failed 18 times.
    expect(f.sim.stats().faultsInjected).toBeLessThanOrEqual(2);
  });

  it("an abort ends the read at once, its retry waits included, with the abort's reason", async () => {
    f = await startFixture({ throttling: false }, { pageSize: 10, retry: { maxRetries: 8, baseDelayMs: 1_000, maxDelayMs: 5_000 } });
    f.sim.setFaults({ errorRate: 1 });
    const abort = new AbortController();
    const reason = new Error("canceled by Ada");
    const read = collect(f.graph.readAll("user", { signal: abort.signal })).catch((e: unknown) => e);
    setTimeout(() => abort.abort(reason), 300);
    // Not Graph's 503 after its retries (1 + 2 + 4 + … seconds of waits): the abort, at once.
    expect(await read).toBe(reason);
    const calls = f.sim.stats().httpRequests;
    await new Promise((r) => setTimeout(r, 1_200));
    expect(f.sim.stats().httpRequests - calls).toBe(0);
  });

  it("a read asked for with a signal already aborted fails with its reason and leaves no request or rejection behind", async () => {
    f = await startFixture({ throttling: false }, { pageSize: 10 });
    const unhandled: unknown[] = [];
    const note = (reason: unknown): void => void unhandled.push(reason);
    process.on("unhandledRejection", note);
    try {
      const abort = new AbortController();
      const reason = new Error("canceled before the read");
      abort.abort(reason);
      const calls = f.sim.stats().httpRequests;
      for (const read of [f.graph.readAll("user", { signal: abort.signal }), f.graph.readDeleted("user", { signal: abort.signal })]) {
        expect(await collect(read).catch((e: unknown) => e)).toBe(reason);
      }
      await new Promise((r) => setTimeout(r, 300));
      expect(unhandled).toEqual([]);
      expect(f.sim.stats().httpRequests - calls).toBe(0);
    } finally {
      process.off("unhandledRejection", note);
    }
  });
});
