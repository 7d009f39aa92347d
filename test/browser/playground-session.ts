import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";

const ROOT = path.join(__dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

/** A child started as a newcomer starts it, with its output kept for waiting and for failure messages. */
export class Program {
  output = "";
  private exited: Promise<void>;

  constructor(private readonly child: ChildProcess, readonly name: string) {
    child.stdout?.on("data", (b: Buffer) => (this.output += b.toString()));
    child.stderr?.on("data", (b: Buffer) => (this.output += b.toString()));
    this.exited = new Promise((resolve) => child.on("exit", () => resolve()));
  }

  /** Resolves with the first match of `pattern` in the output; fails if the program ends or time runs out. */
  async waitFor(pattern: RegExp, ms: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = pattern.exec(this.output);
      if (m) return m;
      if (this.child.exitCode !== null) throw new Error(`${this.name} ended (code ${this.child.exitCode}) before printing ${pattern}:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`${this.name} did not print ${pattern} within ${ms} ms:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Stops the program and what it started (its process group), as Ctrl+C would. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, "SIGINT");
    } catch {
      return;
    }
    const killed = setTimeout(() => {
      try {
        process.kill(-this.child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, 10_000);
    await this.exited;
    clearTimeout(killed);
  }
}

/** A port nobody listens on now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * The README's local path in a directory of its own (its ./data is the demo's store and certificates):
 * `npm start`'s program, then `npm run playground`'s, with the repository's Playground configuration.
 */
export class LocalDemo {
  private constructor(
    readonly dir: string,
    readonly start: Program,
    readonly playground: Program,
    readonly playgroundUrl: string,
    readonly firstBackupId: string,
  ) {}

  static async launch(): Promise<LocalDemo> {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rewind-demo-"));
    copyFileSync(path.join(ROOT, ".m365agentsplayground.yml"), path.join(dir, ".m365agentsplayground.yml"));
    const env = { ...process.env, NODE_OPTIONS: "--disable-warning=DEP0111", LOG_LEVEL: "warn" };
    // Ports 0: the test may run beside a real `npm start`; the programs print what they took.
    const start = new Program(spawn(TSX, [path.join(ROOT, "scripts", "start.ts")], { cwd: dir, env: { ...env, SIM_PORT: "0", BOT_PORT: "0" }, detached: true }), "npm start");
    let playground: Program | undefined;
    try {
      const botPort = (await start.waitFor(/Teams bot endpoint: +http:\/\/127\.0\.0\.1:(\d+)\/api\/messages/, 120_000))[1]!;
      const firstBackupId = (await start.waitFor(/First backup: +(\S+)/, 120_000))[1]!;
      await start.waitFor(/Stop with Ctrl\+C\./, 120_000);
      const port = await freePort();
      playground = new Program(spawn(TSX, [path.join(ROOT, "scripts", "playground.ts")], { cwd: dir, env: { ...env, BOT_PORT: botPort, PLAYGROUND_PORT: String(port) }, detached: true }), "npm run playground");
      await playground.waitFor(new RegExp(`Listening on ${port}`), 60_000);
      return new LocalDemo(dir, start, playground, `http://127.0.0.1:${port}/`, firstBackupId);
    } catch (err) {
      await playground?.stop();
      await start.stop();
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  async stop(): Promise<void> {
    await this.playground.stop();
    await this.start.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
