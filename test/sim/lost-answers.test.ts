import { Agent, fetch } from "undici";
import { optionsFromFlags, parseFlags } from "../../sim/cli";
import { startSimulator, type RunningSimulator, type WriteLogPage } from "../../sim/index";
import { ADA, BEN, GIL, NORA, SimClient, withSimulator } from "./helpers";

/** The faults a client's write path must survive: answers lost after the write, hangs; and the write log that proves what was written. */
describe("lost answers, hangs and the write log", () => {
  let sim: RunningSimulator;
  let c: SimClient;
  withSimulator({ throttling: false }, (s, client) => {
    sim = s;
    c = client;
  });
  beforeEach(() => {
    sim.setFaults({});
    sim.resetStats();
  });

  it("answers 503/504 after carrying a write out, and the write log says so", async () => {
    sim.setFaults({ lostAnswerErrorRate: 1 });
    const r = await c.patch(`/users/${NORA}`, { jobTitle: "landed, answer lost" });
    expect([503, 504]).toContain(r.status);
    sim.setFaults({});
    expect((await c.get(`/users/${NORA}?$select=jobTitle`)).body["jobTitle"]).toBe("landed, answer lost");
    expect(sim.writeLog().entries).toEqual([
      expect.objectContaining({ seq: expect.any(Number), method: "PATCH", path: `/v1.0/users/${NORA}`, id: NORA, status: 204, inBatch: false, lost: String(r.status) }),
    ]);
    expect(sim.stats()).toMatchObject({ writes: 1, faultsInjected: 1 });
  });

  it("drops the connection after carrying a write out; reads are never touched", async () => {
    sim.setFaults({ lostAnswerDropRate: 1 });
    await expect(c.patch(`/users/${NORA}`, { jobTitle: "dropped after" })).rejects.toThrow();
    expect((await c.get(`/users/${NORA}?$select=jobTitle`)).body["jobTitle"]).toBe("dropped after");
    expect(sim.writeLog().entries.map((e) => e.lost)).toEqual(["drop"]);
  });

  it("loses inner $batch answers of writes, or the whole envelope of a $batch holding a write", async () => {
    sim.setFaults({ lostInnerAnswerRate: 1 });
    const inner = await c.post("/$batch", {
      requests: [
        { id: "1", method: "GET", url: `/users/${ADA}?$select=id` },
        { id: "2", method: "POST", url: `/users/${NORA}/sponsors/$ref`, headers: { "Content-Type": "application/json" }, body: { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${ADA}` } },
      ],
    });
    expect(inner.status).toBe(200);
    const byId = new Map((inner.body.responses ?? []).map((x) => [x.id, x.status]));
    expect(byId.get("1")).toBe(200);
    expect([503, 504]).toContain(byId.get("2"));
    expect(sim.writeLog().entries).toEqual([expect.objectContaining({ method: "POST", id: NORA, refs: [ADA], status: 204, inBatch: true })]);
    sim.setFaults({ lostAnswerDropRate: 1 });
    await expect(c.post("/$batch", { requests: [{ id: "1", method: "DELETE", url: `/users/${NORA}/sponsors/${ADA}/$ref` }] })).rejects.toThrow();
    expect((await c.post("/$batch", { requests: [{ id: "1", method: "GET", url: `/users/${ADA}?$select=id` }] })).status).toBe(200);
    sim.setFaults({});
    expect((await c.get(`/users/${NORA}/sponsors`)).body.value?.map((v) => v["id"])).not.toContain(ADA);
    expect(sim.writeLog().entries.map((e) => [e.method, e.refs, e.status, e.lost])).toEqual([
      ["POST", [ADA], 204, expect.stringMatching(/^50[34]$/)],
      ["DELETE", [ADA], 204, "drop"],
    ]);
  });

  it("tells a write that changed the tenant from a repeat of it that changed nothing", async () => {
    const ref = (id: string): { "@odata.id": string } => ({ "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });
    // Someone without a directory role (a role holder cannot be restored by an app).
    const someone = String((await c.get("/users?$top=40&$select=id")).body.value?.[39]?.["id"]);
    sim.resetStats();
    const statuses = [
      (await c.patch(`/users/${NORA}`, { jobTitle: "Once", officeLocation: null })).status,
      (await c.patch(`/users/${NORA}`, { officeLocation: null, jobTitle: "Once" })).status,
      (await c.put(`/users/${NORA}/manager/$ref`, ref(BEN))).status,
      (await c.put(`/users/${NORA}/manager/$ref`, ref(BEN))).status,
      (await c.post(`/users/${NORA}/sponsors/$ref`, ref(GIL))).status,
      (await c.post(`/users/${NORA}/sponsors/$ref`, ref(GIL))).status,
      (await c.del(`/users/${NORA}/sponsors/${GIL}/$ref`)).status,
      (await c.del(`/users/${someone}`)).status,
      (await c.post(`/directory/deletedItems/${someone}/restore`)).status,
      (await c.post(`/directory/deletedItems/${someone}/restore`)).status,
    ];
    expect(statuses).toEqual([204, 204, 204, 204, 204, 400, 204, 204, 200, 404]);
    expect(sim.writeLog().entries.map((e) => [e.method, e.status, e.changed])).toEqual([
      ["PATCH", 204, true],
      ["PATCH", 204, false],
      ["PUT", 204, true],
      ["PUT", 204, false],
      ["POST", 204, true],
      ["POST", 400, false],
      ["DELETE", 204, true],
      ["DELETE", 204, true],
      ["POST", 200, true],
      ["POST", 404, false],
    ]);
  });

  it("strikes a share of its 5xx and drops after the write, so the rates stay shares of all requests", async () => {
    sim.setFaults({ errorRate: 1, afterWriteShare: 1, maxFaults: 2 });
    expect([503, 504]).toContain((await c.get(`/users/${NORA}?$select=id`)).status);
    expect([503, 504]).toContain((await c.patch(`/users/${NORA}`, { jobTitle: "landed after all" })).status);
    sim.setFaults({ dropRate: 1, afterWriteShare: 1, maxFaults: 1 });
    await expect(c.patch(`/users/${NORA}`, { officeLocation: "Room 7" })).rejects.toThrow();
    sim.setFaults({});
    const now = (await c.get(`/users/${NORA}?$select=jobTitle,officeLocation`)).body;
    expect([now["jobTitle"], now["officeLocation"]]).toEqual(["landed after all", "Room 7"]);
    expect(sim.writeLog().entries.map((e) => [e.method, e.status, e.lost])).toEqual([
      ["PATCH", 204, expect.stringMatching(/^50[34]$/)],
      ["PATCH", 204, "drop"],
    ]);
    const byKind = sim.stats().faultsByKind;
    expect([(byKind["503"] ?? 0) + (byKind["504"] ?? 0), (byKind["lostAnswer503"] ?? 0) + (byKind["lostAnswer504"] ?? 0), byKind["lostAnswerDrop"]]).toEqual([1, 1, 1]);
  });

  it("counts the faults it injects by kind", async () => {
    sim.setFaults({ errorRate: 1, maxFaults: 2 });
    await c.get(`/users/${ADA}?$select=id`);
    await c.get(`/users/${ADA}?$select=id`);
    sim.setFaults({ lostAnswerDropRate: 1, maxFaults: 1 });
    await expect(c.patch(`/users/${NORA}`, { jobTitle: "counted" })).rejects.toThrow();
    const { faultsInjected, faultsByKind } = sim.stats();
    expect(faultsInjected).toBe(3);
    expect(faultsByKind["lostAnswerDrop"]).toBe(1);
    expect((faultsByKind["503"] ?? 0) + (faultsByKind["504"] ?? 0)).toBe(2);
    sim.resetStats();
    expect(sim.stats().faultsByKind).toEqual({});
  });

  it("hangs: no answer at all, or headers and a body that never ends; nothing is carried out", async () => {
    for (const faults of [{ hangRate: 1 }, { hangBodyRate: 1 }]) {
      sim.setFaults(faults);
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(new Error("gave up waiting")), 300);
      const got = await fetch(`${sim.url}/v1.0/users/${NORA}`, {
        method: "PATCH",
        headers: { Authorization: "Bearer t", "Content-Type": "application/json" },
        body: JSON.stringify({ jobTitle: "never" }),
        dispatcher: c.agent,
        signal: abort.signal,
      })
        .then((r) => r.text())
        .catch((e: unknown) => e);
      clearTimeout(timer);
      expect(got).toEqual(new Error("gave up waiting"));
    }
    sim.setFaults({});
    expect((await c.get(`/users/${NORA}?$select=jobTitle`)).body["jobTitle"]).not.toBe("never");
    expect(sim.writeLog().entries).toEqual([]);
  });

  it("stops injecting after maxFaults", async () => {
    sim.setFaults({ errorRate: 1, maxFaults: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await c.get(`/users/${ADA}?$select=id`)).status);
    expect(statuses.filter((s) => s >= 500)).toHaveLength(2);
    expect(statuses.slice(2)).toEqual([200, 200]);
  });

  it("serves the write log and the new faults over /_sim/, and refuses bad ones", async () => {
    const agent = new Agent({ connect: { ca: sim.ca } });
    try {
      const control = async (method: string, p: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
        const r = await fetch(`${sim.url}/_sim/${p}`, { method, dispatcher: agent, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }) });
        return { status: r.status, json: await r.json() };
      };
      expect((await control("POST", "faults", { lostAnswerErrorRate: 1, maxFaults: 1 })).status).toBe(200);
      await c.patch(`/users/${NORA}`, { jobTitle: "one" });
      await c.patch(`/users/${NORA}`, { jobTitle: "two" });
      const all = (await control("GET", "write-log")).json as WriteLogPage;
      expect(all.entries.map((e) => [e.status, e.lost])).toEqual([[204, expect.any(String)], [204, undefined]]);
      const after = (await control("GET", `write-log?after=${all.entries[0]!.seq}`)).json as WriteLogPage;
      expect(after.entries.map((e) => e.seq)).toEqual([all.entries[1]!.seq]);
      expect((await control("GET", "write-log?after=soon")).status).toBe(400);
      expect((await control("POST", "faults", { lostAnswerDropRate: 2 })).status).toBe(400);
      expect((await control("POST", "faults", { hangRate: 0.6, errorRate: 0.6 })).status).toBe(400);
      expect((await control("POST", "faults", { maxFaults: 1.5 })).status).toBe(400);
      expect((await control("POST", "reset-stats")).status).toBe(200);
      expect(((await control("GET", "write-log")).json as WriteLogPage).entries).toEqual([]);
    } finally {
      await agent.close();
    }
  });
});

describe("the write log's bound and the new flags", () => {
  it("keeps the newest writes only and counts the ones it let go", async () => {
    const sim = await startSimulator({ throttling: false, writeLogLimit: 2 });
    const c = new SimClient(sim);
    try {
      for (const t of ["a", "b", "c"]) await c.patch(`/users/${NORA}`, { jobTitle: t });
      const page = sim.writeLog();
      expect(page.entries.map((e) => e.seq)).toEqual([2, 3]);
      expect(page.evicted).toBe(1);
    } finally {
      await c.close();
      await sim.close();
    }
  });

  it("takes the fault and write-log flags on the command line", () => {
    const flags = parseFlags(["--hang-rate", "0.1", "--hang-body-rate", "0.05", "--lost-answer-drop-rate=0.2", "--lost-answer-error-rate", "0.3", "--lost-inner-answer-rate", "0.4", "--after-write-share", "0.3", "--max-faults", "7", "--write-log-limit", "50"]);
    const opts = optionsFromFlags(flags);
    expect(opts.faults).toEqual({ hangRate: 0.1, hangBodyRate: 0.05, lostAnswerDropRate: 0.2, lostAnswerErrorRate: 0.3, lostInnerAnswerRate: 0.4, afterWriteShare: 0.3, maxFaults: 7 });
    expect(opts.writeLogLimit).toBe(50);
    expect(() => parseFlags(["--lost-answer-drop-rate", "2"])).toThrow("--lost-answer-drop-rate");
  });
});
