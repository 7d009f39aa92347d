import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEMO_TENANT_ID, startSimulator, type RunningSimulator, type SimExchange } from "../../sim/index";
import { defaultObserver } from "../../sim/observer";
import { startIdentityEndpoint, type IdentityEndpoint } from "../graph/identity-endpoint";

jest.setTimeout(120_000);

const ROOT = path.join(__dirname, "..", "..");

/**
 * `npm run serve` with GRAPH_CREDENTIAL=managedIdentity, as on Azure App Service: the platform's
 * IDENTITY_ENDPOINT and IDENTITY_HEADER point at a local identity endpoint, Graph is the simulator, which
 * accepts only that endpoint's tokens. The first scheduled backup reads the tenant, and /readyz reports Graph
 * tokens working.
 */
describe("npm run serve signed in to Graph with a managed identity", () => {
  let endpoint: IdentityEndpoint;
  let sim: RunningSimulator;
  let child: ChildProcess | undefined;
  let dir: string;
  const reads: SimExchange[] = [];

  beforeAll(async () => {
    endpoint = await startIdentityEndpoint();
    // Every exchange is recorded, and still goes to the conformance checker the test setup installs.
    const conformance = defaultObserver();
    const observer = (x: SimExchange): void => {
      reads.push(x);
      conformance?.(x);
    };
    sim = await startSimulator({ tenant: "demo", throttling: false, acceptsToken: (t) => endpoint.issued(t), observer });
    dir = mkdtempSync(path.join(os.tmpdir(), "rewind-serve-mi-"));
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    await sim.close();
    await endpoint.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("backs up the tenant through the identity's token, and is ready", async () => {
    const proc = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), [path.join(ROOT, "app", "main.ts")], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        TENANT_ID: DEMO_TENANT_ID,
        GRAPH_CREDENTIAL: "managedIdentity",
        GRAPH_BASE_URL: sim.url,
        GRAPH_CA_FILE: sim.caFile,
        IDENTITY_ENDPOINT: endpoint.url,
        IDENTITY_HEADER: endpoint.header,
        BOT_ID: "3b1c0000-0000-4000-8000-000000000009",
        BOT_PASSWORD: "dummy-bot-password",
        BOT_HOST: "127.0.0.1",
        BOT_PORT: "0",
        STORE_FILE: path.join(dir, "rewind.db"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = proc;
    let output = "";
    const url = await new Promise<string>((resolve, reject) => {
      const read = (d: Buffer): void => {
        output += d.toString();
        const running = /"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*"msg":"Rewind is running"/.exec(output);
        if (running) resolve(running[1]!);
      };
      proc.stdout!.on("data", read);
      proc.stderr!.on("data", read);
      proc.once("exit", (code) => reject(new Error(`it stopped (${code}) before running:\n${output}`)));
    });
    // The first backup is taken at start: wait until it has read the users with the identity's token.
    const until = Date.now() + 60_000;
    while (!/"msg":"backup (completed|failed)/.test(output) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    expect(output).toMatch(/"msg":"backup completed"/);
    const usersRead = reads.filter((x) => x.method === "GET" && /^\/v1\.0\/users/.test(x.path));
    expect(usersRead.length).toBeGreaterThan(0);
    expect(usersRead.every((x) => x.status === 200)).toBe(true);
    expect(reads.some((x) => x.status === 401)).toBe(false);
    expect(endpoint.requests[0]).toEqual({ resource: "https://graph.microsoft.com", clientId: null, apiVersion: "2019-08-01", headerOk: true });
    const ready = await fetch(`${url}/readyz`);
    expect({ status: ready.status, body: await ready.json() }).toEqual({ status: 200, body: { ready: true, checks: { store: "ok", graphToken: "ok" } } });
    expect(output).not.toContain(endpoint.header);
    const exited = new Promise((resolve) => proc.once("exit", (code) => resolve(code)));
    proc.kill("SIGTERM");
    await expect(exited).resolves.toBe(0);
    expect(existsSync(path.join(dir, "rewind.db"))).toBe(true);
  });
});
