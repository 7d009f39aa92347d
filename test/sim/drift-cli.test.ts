import { spawn } from "node:child_process";
import path from "node:path";
import { startSimulator, type RunningSimulator } from "../../sim/index";
import { applyDemoDrift, DriftClient } from "../../sim/drift";
import { optionsFromFlags, tokenize } from "../../sim/cli";
import { SimClient } from "./helpers";

describe("drift helper", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.close());

  it("makes the demo drift through plain Graph calls, every answer as expected", async () => {
    const c = new SimClient(sim);
    const { deltaLink } = await (async () => {
      let next: string | undefined = "/users/delta?$select=displayName,department";
      for (;;) {
        const r = await c.get(next);
        next = r.body["@odata.nextLink"];
        if (!next) return { deltaLink: String(r.body["@odata.deltaLink"]) };
      }
    })();
    sim.resetStats();
    const actions = await applyDemoDrift(sim.url, sim.ca);
    expect(actions.map((a) => a.action)).toEqual([
      "soft-delete user", "edit department", "remove member", "remove member", "remove member", "add member",
      "add owner", "remove owner", "change manager", "disable CA policy", "create group", "edit synced user (refused)",
      "edit synced user on-premises", "soft-delete user", "hard-delete user",
    ]);
    for (const a of actions) expect({ action: a.action, status: a.status }).toEqual({ action: a.action, status: a.expectedStatus });
    expect(sim.stats().writes).toBe(13);
    const changed = (await c.all(deltaLink)).map((u) => u["@removed"] ? `removed:${String((u["@removed"] as { reason: string }).reason)}` : "changed");
    // The manager change is not tracked: this delta did not select `manager`. The on-premises edit is.
    expect(changed.sort()).toEqual(["changed", "changed", "removed:changed", "removed:deleted"]);
    // On-premises sync changes only synced objects, and is not a Graph write.
    const synced = actions.find((a) => a.action === "edit synced user on-premises")!.targetId;
    const cloud = actions.find((a) => a.action === "edit department")!.targetId;
    const drift = new DriftClient(sim.url, sim.ca);
    expect((await drift.syncEdit(cloud, { department: "x" })).status).toBe(400);
    expect((await drift.syncEdit(synced, { department: "Again" })).status).toBe(200);
    expect((await drift.request("GET", `/users/${synced}?$select=department`)).body).toMatchObject({ department: "Again" });
    await drift.close();
    await c.close();
  });
});

describe("cli", () => {
  it("parses flags into options and refuses bad ones", () => {
    expect(tokenize(["--port", "8443", "--tenant=small", "--no-throttling"])).toEqual({ port: "8443", tenant: "small", "no-throttling": true });
    expect(() => tokenize(["--port"])).toThrow("--port needs a value");
    const opts = optionsFromFlags({ port: 0, tenant: "large", "time-scale": 0.5, seed: 3, users: 1000, "error-rate": 0.1 });
    expect(opts.tenant).toMatchObject({ seed: 3, users: 1000, groups: 20000 });
    expect(opts.faults).toEqual({ errorRate: 0.1 });
    expect(opts.timeScale).toBe(0.5);
  });

  it("prints the banner and stops cleanly on SIGTERM", async () => {
    const root = path.resolve(__dirname, "../..");
    const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["sim/cli.ts", "--tenant", "demo", "--port", "0"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no banner: ${out}`)), 20000);
      child.stdout.on("data", () => {
        if (out.includes("CA file:")) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    expect(out).toMatch(/Graph URL: https:\/\/127\.0\.0\.1:\d+\/v1\.0/);
    expect(out).toContain("d0d0d0d0-0000-4000-8000-00000000d0d0");
    const code = await new Promise<number | null>((resolve) => {
      child.on("exit", (c) => resolve(c));
      child.kill("SIGTERM");
    });
    expect(code).toBe(0);
  });

  it("exits 2 with a clear message on a bad flag", async () => {
    const root = path.resolve(__dirname, "../..");
    const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["sim/cli.ts", "--tenant", "huge"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(code).toBe(2);
    expect(err).toContain("--tenant");
    expect(err).toContain("usage:");
  });
});
