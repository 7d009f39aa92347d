import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { rawPost } from "../bot/raw-http";
import { listening } from "./local-ports";

// A container platform stops Rewind with SIGTERM and kills it a little later. Rewind must stop taking turns,
// let those in flight finish, stop its engine and exit 0 within SHUTDOWN_SECONDS; an impatient second signal
// or the deadline ends it at once, non-zero. A crash (uncaught exception, unhandled rejection) is logged and
// runs the same stop.

jest.setTimeout(180_000);

const ROOT = path.join(__dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

/** A running child process and what it printed. */
interface Child {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly out: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

function run(args: readonly string[], env: Record<string, string>, cwd: string): Child {
  const proc = spawn(TSX, args, { cwd, env: { PATH: process.env.PATH ?? "", ...env } });
  let out = "";
  proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => proc.once("exit", (code, signal) => resolve({ code, signal, at: Date.now() })));
  return { proc, out: () => out, exited };
}

/** Waits for `pattern` in the child's output (start-up on a loaded machine can take a while). */
async function waitForOutput(child: Child, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(child.out());
    if (match) return match;
    if (child.proc.exitCode !== null) throw new Error(`the process exited (${child.proc.exitCode}) before printing ${pattern}:\n${child.out()}`);
    if (Date.now() > until) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${child.out()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resolves with the exit, or null when the process is still running after `ms`. */
async function exitWithin(child: Child, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number } | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([child.exited, new Promise<null>((r) => (timer = setTimeout(() => r(null), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

describe("stopping npm start (scripts/start.ts)", () => {
  let dir: string;
  let child: Child | undefined;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "rewind-stop-"));
  });
  afterEach(async () => {
    if (child && child.proc.exitCode === null && child.proc.signalCode === null) {
      child.proc.kill("SIGKILL");
      await child.exited;
    }
    child = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the demo on free ports with its data in the test's folder; resolves with the bot's port once it runs. */
  async function startDemo(extra: Record<string, string> = {}): Promise<number> {
    child = run([path.join(ROOT, "scripts", "start.ts")], { BOT_PORT: "0", SIM_PORT: "0", START_DRIFT: "false", STORE_FILE: path.join(dir, "rewind.db"), SIM_CERT_DIR: path.join(dir, "sim"), ...extra }, dir);
    await waitForOutput(child, /Rewind is running/);
    const match = await waitForOutput(child, /Teams bot endpoint:\s+http:\/\/127\.0\.0\.1:(\d+)\/api\/messages/);
    return Number(match[1]);
  }

  /** Opens a turn that stays in flight: its body is announced but never finished. */
  function holdATurn(port: number): Promise<unknown> {
    return rawPost(`http://127.0.0.1:${port}/api/messages`, { "Content-Type": "application/json", "Content-Length": "1000" }, Buffer.from('{"type":"mes'), { timeoutMs: 60_000 });
  }

  it("on SIGTERM exits 0 promptly, its bot port closed", async () => {
    const port = await startDemo();
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    child!.proc.kill("SIGTERM");
    const exit = await exitWithin(child!, 30_000);
    expect(exit).toMatchObject({ code: 0 });
    expect(await listening(port)).toBe(false);
  });

  it("while a turn is in flight, answers new requests 503; a second signal then ends it at once, non-zero", async () => {
    const port = await startDemo({ SHUTDOWN_SECONDS: "120" });
    const held = holdATurn(port);
    await new Promise((r) => setTimeout(r, 300));
    child!.proc.kill("SIGTERM");
    // The graceful stop waits for the turn in flight; meanwhile, new turns are turned away.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(child!.proc.exitCode).toBeNull();
    const body = Buffer.from(JSON.stringify({ type: "message", text: "backups" }));
    const refused = await rawPost(`http://127.0.0.1:${port}/api/messages`, { "Content-Type": "application/json", "Content-Length": String(body.length) }, body, { timeoutMs: 10_000 });
    expect(refused.status).toBe(503);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(503);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const second = Date.now();
    child!.proc.kill("SIGTERM");
    const exit = await exitWithin(child!, 10_000);
    expect(exit).not.toBeNull();
    expect(exit!.code).toBe(143);
    expect(exit!.at - second).toBeLessThan(10_000);
    await held;
  });

  it("exits non-zero when the graceful stop outlasts SHUTDOWN_SECONDS", async () => {
    const port = await startDemo({ SHUTDOWN_SECONDS: "2" });
    const held = holdATurn(port);
    await new Promise((r) => setTimeout(r, 300));
    const signalled = Date.now();
    child!.proc.kill("SIGTERM");
    const exit = await exitWithin(child!, 30_000);
    expect(exit).toMatchObject({ code: 1 });
    // It waited for the turn until the deadline, not less.
    expect(exit!.at - signalled).toBeGreaterThanOrEqual(1_500);
    expect(child!.out()).toMatch(/shutdown deadline passed/);
    await held;
  });

  it("refuses an invalid SHUTDOWN_SECONDS at start", async () => {
    child = run([path.join(ROOT, "scripts", "start.ts")], { BOT_PORT: "0", SIM_PORT: "0", STORE_FILE: path.join(dir, "rewind.db"), SIM_CERT_DIR: path.join(dir, "sim"), SHUTDOWN_SECONDS: "soon" }, dir);
    const exit = await exitWithin(child, 60_000);
    expect(exit).toMatchObject({ code: 2 });
    expect(child.out()).toContain("SHUTDOWN_SECONDS: must be a number");
  });
});

describe("a crash", () => {
  it.each(["exception", "rejection"])("an uncaught %s is logged without secrets and runs the graceful stop, exit code 1", async (kind) => {
    const child = run([path.join(__dirname, "shutdown-child.ts"), kind], {}, os.tmpdir());
    const exit = await exitWithin(child, 60_000);
    expect(exit).toMatchObject({ code: 1 });
    const out = child.out();
    expect(out).toContain("stopped\n");
    const fatal = out.split("\n").find((line) => line.includes('"level":60'));
    expect(fatal).toBeDefined();
    expect(JSON.parse(fatal!)).toMatchObject({ msg: kind === "exception" ? "uncaught exception; stopping" : "unhandled rejection; stopping", err: { message: "connector call failed", request: { headers: { authorization: "[redacted]", cookie: "[redacted]" } } } });
    expect(out).not.toContain("child-secret-token-123");
    expect(out).not.toContain("child-cookie-456");
  });
});
