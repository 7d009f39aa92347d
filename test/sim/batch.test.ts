import type { RunningSimulator } from "../../sim/index";
import { ADA, NORA, SimClient, withSimulator } from "./helpers";

describe("$batch", () => {
  let sim: RunningSimulator;
  let c: SimClient;
  withSimulator({ timeScale: 0.05 }, (s, client) => {
    sim = s;
    c = client;
  });

  it("runs up to 20 requests with relative urls, with or without /v1.0", async () => {
    const r = await c.post("/$batch", {
      requests: [
        { id: "1", method: "GET", url: `/users/${ADA}?$select=displayName` },
        { id: "2", method: "GET", url: `/v1.0/users/${NORA}?$select=displayName` },
        { id: "3", method: "PATCH", url: `/users/${NORA}`, headers: { "Content-Type": "application/json" }, body: { jobTitle: "Batch tester" } },
        { id: "4", method: "GET", url: "/users/not-a-guid" },
      ],
    });
    expect(r.status).toBe(200);
    const byId = new Map((r.body.responses ?? []).map((x) => [x.id, x]));
    expect(byId.get("1")).toMatchObject({ status: 200, headers: { "Content-Type": "application/json" }, body: { displayName: "Ada Admin" } });
    expect(byId.get("2")?.body?.["displayName"]).toBe("Nora Nobody");
    expect(byId.get("3")?.status).toBe(204);
    expect(byId.get("4")).toMatchObject({ status: 400, body: { error: { message: "Invalid object identifier 'not-a-guid'." } } });
    expect((await c.get(`/users/${NORA}?$select=jobTitle`)).body["jobTitle"]).toBe("Batch tester");
  });

  it("refuses more than 20 requests", async () => {
    const requests = Array.from({ length: 21 }, (_, i) => ({ id: String(i + 1), method: "GET", url: `/users/${ADA}` }));
    const r = await c.post("/$batch", { requests });
    expect(r.status).toBe(400);
    expect(r.body.error?.message).toContain("20");
  });

  it("answers 424 when a dependency failed", async () => {
    const r = await c.post("/$batch", {
      requests: [
        { id: "a", method: "PATCH", url: "/users/11111111-2222-4333-8444-555555555555", body: { jobTitle: "x" } },
        { id: "b", method: "PATCH", url: `/users/${NORA}`, body: { jobTitle: "not applied" }, dependsOn: ["a"] },
        { id: "c", method: "GET", url: `/users/${NORA}?$select=jobTitle`, dependsOn: ["b"] },
      ],
    });
    const byId = new Map((r.body.responses ?? []).map((x) => [x.id, x]));
    expect(byId.get("a")?.status).toBe(404);
    expect(byId.get("b")?.status).toBe(424);
    expect(byId.get("c")?.status).toBe(424);
    expect((await c.get(`/users/${NORA}?$select=jobTitle`)).body["jobTitle"]).not.toBe("not applied");
  });

  it("throttles inner requests one by one with Retry-After", async () => {
    sim.setThrottling({ resourceUnitsPer10s: 5 });
    const requests = Array.from({ length: 8 }, (_, i) => ({ id: String(i + 1), method: "GET", url: `/users/${ADA}` }));
    const r = await c.post("/$batch", { requests });
    const statuses = (r.body.responses ?? []).map((x) => x.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    const throttled = (r.body.responses ?? []).filter((x) => x.status === 429);
    expect(throttled).toHaveLength(3);
    expect(Number(throttled[0]?.headers["Retry-After"])).toBeGreaterThanOrEqual(1);
    expect(throttled[0]?.body?.error?.code).toBe("TooManyRequests");
    sim.setThrottling(true);
  });
});
