import { Agent, fetch } from "undici";
import { startSimulator, type RunningSimulator } from "../../sim/index";
import { ADA, NORA, SimClient, withSimulator } from "./helpers";

describe("throttling", () => {
  let sim: RunningSimulator;
  let c: SimClient;
  beforeAll(async () => {
    // 10 s windows become 500 ms, 150 s become 7.5 s (setThrottling restarts both windows).
    sim = await startSimulator({ timeScale: 0.05 });
    c = new SimClient(sim);
  });
  afterAll(async () => {
    await c.close();
    await sim.close();
  });

  it("charges resource units and answers 429 with Retry-After over budget", async () => {
    sim.setThrottling({ resourceUnitsPer10s: 10 });
    sim.resetStats();
    const ok = await c.get("/users?$top=5");
    expect(ok.headers.get("x-ms-resource-unit")).toBe("2");
    const sel = await c.get("/users?$top=5&$select=id");
    expect(sel.headers.get("x-ms-resource-unit")).toBe("1");
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await c.get(`/users/${ADA}?$select=id`));
    const throttled = answers.filter((a) => a.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    const t = throttled[0];
    expect(Number(t?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(t?.headers.get("retry-after-ms"))).toBeLessThanOrEqual(500);
    expect(t?.headers.get("x-ms-throttle-information")).toBe("ResourceUnitLimitExceeded");
    expect(t?.headers.get("x-ms-throttle-scope")).toContain(sim.tenantId);
    expect(answers.some((a) => a.headers.get("x-ms-throttle-limit-percentage") !== null)).toBe(true);
    expect(sim.stats().throttled).toBe(throttled.length);
    await new Promise((r) => setTimeout(r, Number(t?.headers.get("retry-after-ms")) + 5));
    expect((await c.get(`/users/${ADA}?$select=id`)).status).toBe(200);
  });

  it("limits writes per window and a throttled write changes nothing", async () => {
    sim.setThrottling({ resourceUnitsPer10s: 1000, writesPer150s: 3 });
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await c.patch(`/users/${NORA}`, { jobTitle: `title ${i}` }));
    expect(results.map((r) => r.status)).toEqual([204, 204, 204, 429, 429]);
    expect(results[3]?.headers.get("x-ms-throttle-information")).toBe("WriteLimitExceeded");
    expect((await c.get(`/users/${NORA}?$select=jobTitle`)).body["jobTitle"]).toBe("title 2");
  });
});

describe("faults and controls", () => {
  let sim: RunningSimulator;
  let c: SimClient;
  withSimulator({}, (s, client) => {
    sim = s;
    c = client;
  });

  it("injects 503/504 with Graph error bodies, and the failed write changes nothing", async () => {
    sim.setFaults({ errorRate: 1 });
    const r = await c.patch(`/users/${NORA}`, { jobTitle: "faulted" });
    expect([503, 504]).toContain(r.status);
    expect(r.body.error?.code).toEqual(expect.any(String));
    sim.setFaults({});
    expect((await c.get(`/users/${NORA}?$select=jobTitle`)).body["jobTitle"]).not.toBe("faulted");
    expect(sim.stats().faultsInjected).toBe(1);
  });

  it("drops connections and adds latency", async () => {
    sim.setFaults({ dropRate: 1 });
    await expect(c.get("/users")).rejects.toThrow();
    sim.setFaults({ latencyMs: 150 });
    const t = Date.now();
    expect((await c.get(`/users/${ADA}`)).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    sim.setFaults({});
  });

  it("exposes the controls over HTTP under /_sim/", async () => {
    const agent = new Agent({ connect: { ca: sim.ca } });
    const post = (p: string, body?: unknown): ReturnType<typeof fetch> =>
      fetch(`${sim.url}/_sim/${p}`, { method: "POST", dispatcher: agent, body: body === undefined ? "" : JSON.stringify(body), headers: { "Content-Type": "application/json" } });
    expect((await post("reset-stats")).status).toBe(200);
    await c.get("/users");
    const stats = (await (await fetch(`${sim.url}/_sim/stats`, { dispatcher: agent })).json()) as { requests: number };
    expect(stats.requests).toBe(1);
    expect((await post("faults", { errorRate: 1 })).status).toBe(200);
    expect([503, 504]).toContain((await c.get("/users")).status);
    expect((await post("faults", {})).status).toBe(200);
    expect((await post("faults", { errorRate: "lots" })).status).toBe(400);
    expect((await post("throttling", { resourceUnitsPer10s: 1 })).status).toBe(200);
    await c.get(`/users/${ADA}`);
    expect((await c.get(`/users/${ADA}`)).status).toBe(429);
    expect((await post("throttling", false)).status).toBe(200);
    expect((await c.get(`/users/${ADA}`)).status).toBe(200);
    const page = await c.get("/users?$top=5");
    expect((await post("expire-skip-tokens")).status).toBe(200);
    expect((await c.get(String(page.body["@odata.nextLink"]))).body.error?.code).toBe("Directory_ExpiredPageToken");
    const latest = await c.get("/users/delta?$deltatoken=latest");
    expect((await post("expire-delta-tokens")).status).toBe(200);
    expect((await c.get(String(latest.body["@odata.deltaLink"]))).status).toBe(410);
    await agent.close();
  });
});
