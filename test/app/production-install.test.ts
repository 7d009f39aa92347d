import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildProduct } from "../../scripts/build";
import { DEMO_TENANT_ID, startSimulator, type RunningSimulator } from "../../sim/index";

/**
 * What a deployment does: `npm run build`, then only package.json, package-lock.json and dist/ on a machine
 * that runs `npm ci --omit=dev` and `npm run serve`. The install is the honest one, install scripts included:
 * better-sqlite3 builds its native binding there as it would in production (about a minute and a half on
 * 2 cores, from the npm cache that `npm ci` of the project filled).
 */

const ROOT = path.resolve(__dirname, "..", "..");
const MINUTE = 60_000;
const BOT_ID = "3b1c0000-0000-4000-8000-000000000009";

/** Packages only the simulator, the card screenshots, the tests or the toolchain use. */
const DEV_ONLY = ["node-forge", "adaptivecards", "tsx", "typescript", "esbuild", "jest", "ts-jest", "playwright-core", "@vercel/cosmosdb-server"];

/** Runs a command to its end; rejects with its output when it fails. */
function run(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"], timeout: options.timeoutMs });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} ended with ${signal ?? code}:\n${output}`))));
  });
}

/** A pino log line's message and url, or nothing for any other line. */
function logEntry(line: string): { msg?: string; url?: string } {
  if (!line.startsWith("{")) return {};
  try {
    return JSON.parse(line) as { msg?: string; url?: string };
  } catch {
    return {}; // a line still being written
  }
}

/**
 * The environment without npm's own variables (npm test sets npm_config_local_prefix to this checkout), but
 * for npm_config_nodedir: the Node headers native addons build against, which a CI run on another Node sets.
 */
function envWithoutNpm(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) || /^npm_config_nodedir$/i.test(k)));
}

describe("a production install (npm ci --omit=dev) of the built product", () => {
  let dir = "";
  let sim: RunningSimulator | undefined;
  let serve: ChildProcess | undefined;
  let output = "";
  let botUrl = "";
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "rewind-production-"));
    buildProduct(path.join(dir, "dist"));
    for (const file of ["package.json", "package-lock.json"]) copyFileSync(path.join(ROOT, file), path.join(dir, file));
    // --prefix pins npm to the temporary folder whatever the environment says; --prefer-offline uses the cache.
    await run("npm", ["ci", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline", "--prefix", dir], { cwd: dir, env: envWithoutNpm(), timeoutMs: 9 * MINUTE });
    sim = await startSimulator({ tenant: "demo", certDir: path.join(dir, "sim") });
  }, 10 * MINUTE);

  afterAll(async () => {
    if (serve && serve.exitCode === null && serve.signalCode === null) serve.kill("SIGKILL");
    await exited;
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("carries no package that only the simulator, the screenshots, the tests or the toolchain use", () => {
    const present = DEV_ONLY.filter((name) => existsSync(path.join(dir, "node_modules", name)));
    expect(present).toEqual([]);
    expect(existsSync(path.join(dir, "node_modules", "better-sqlite3", "build", "Release", "better_sqlite3.node"))).toBe(true);
  });

  it("starts with `npm run serve`'s command and says it is running; /healthz answers 200", async () => {
    const scripts = (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    const [program, ...args] = (scripts.serve ?? "").split(" ");
    expect(program).toBe("node");
    const storeFile = path.join(dir, "data", "rewind.db");
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      BOT_ID,
      BOT_PASSWORD: "dummy-bot-password",
      BOT_HOST: "127.0.0.1",
      BOT_PORT: "0",
      TENANT_ID: DEMO_TENANT_ID,
      CLIENT_ID: "0a0a0a0a-0000-4000-8000-000000000001",
      CLIENT_SECRET: "dummy-client-secret",
      GRAPH_BASE_URL: sim!.url,
      GRAPH_CA_FILE: sim!.caFile,
      // Sign-in goes to a closed local port, so the first scheduled backup fails at once, offline.
      AUTHORITY_HOST: "https://127.0.0.1:9",
      STORE_FILE: storeFile,
    };
    const child = spawn(process.execPath, args, { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    serve = child;
    exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
    botUrl = await new Promise<string>((resolve, reject) => {
      const read = (d: Buffer): void => {
        output += d.toString();
        const running = output.split("\n").map(logEntry).find((e) => e.msg === "Rewind is running" && e.url);
        if (running?.url) resolve(running.url);
      };
      child.stdout.on("data", read);
      child.stderr.on("data", read);
      child.on("exit", (code, signal) => reject(new Error(`it stopped (${signal ?? code}) before running:\n${output}`)));
    });
    expect(botUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${botUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(existsSync(storeFile)).toBe(true);
  }, 2 * MINUTE);

  it("refuses an unauthenticated POST /api/messages with 401", async () => {
    const res = await fetch(`${botUrl}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "message", text: "backups", channelId: "msteams", serviceUrl: "http://127.0.0.1:9/", conversation: { id: "a" }, from: { id: "b" }, recipient: { id: BOT_ID } }),
    });
    expect(res.status).toBe(401);
  });

  it("stops on SIGTERM: its own handler ends it with exit code 0", async () => {
    serve!.kill("SIGTERM");
    await expect(exited).resolves.toEqual({ code: 0, signal: null });
  }, 2 * MINUTE);
});
