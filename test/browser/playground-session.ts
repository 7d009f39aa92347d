/**
 * The README's local path as a newcomer takes it, for test/browser/playground-chat.test.ts: `npm start`'s
 * program, then `npm run playground`'s, then the Playground's page in Chromium (scripts/card-shots/chromium.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";
import { chromiumSetup } from "../../scripts/card-shots/chromium";
import { freePort } from "../app/local-ports";

const ROOT = path.join(__dirname, "..", "..");


const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How `npm run <name>` starts its program, read from package.json so the test follows the README's command:
 * the script's leading VAR=value settings and `tsx <file>`. The program runs from a directory of its own
 * (its ./data), so the repository's files are given by absolute path.
 */
export function npmScript(name: string): { readonly env: Record<string, string>; readonly argv: readonly string[] } {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts?: Record<string, string> };
  const script = pkg.scripts?.[name];
  const shape = /^((?:[A-Z_][A-Z0-9_]*=\S+\s+)*)tsx\s+(\S+\.ts)$/.exec(script?.trim() ?? "");
  if (!script || !shape) {
    throw new Error(`package.json's "${name}" script is ${JSON.stringify(script)}, not "[VAR=value …] tsx <file>.ts"; update ${path.relative(ROOT, __filename)} to start it.`);
  }
  const env: Record<string, string> = {};
  for (const setting of shape[1]!.trim().split(/\s+/).filter((s) => s.length > 0)) {
    const at = setting.indexOf("=");
    env[setting.slice(0, at)] = setting.slice(at + 1);
  }
  return { env, argv: [path.join(ROOT, "node_modules", ".bin", "tsx"), path.join(ROOT, shape[2]!)] };
}

/**
 * A child started as a newcomer starts it (in its own process group, so Ctrl+C reaches what it starts), with
 * its output kept for waiting and for failure messages.
 */
export class Program {
  output = "";
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private static readonly running = new Set<Program>();

  constructor(
    readonly name: string,
    argv: readonly string[],
    options: { cwd: string; env: NodeJS.ProcessEnv },
  ) {
    this.child = spawn(argv[0]!, argv.slice(1), { cwd: options.cwd, env: options.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    this.child.stdout!.on("data", (b: Buffer) => (this.output += b.toString()));
    this.child.stderr!.on("data", (b: Buffer) => (this.output += b.toString()));
    this.exited = new Promise((resolve) => this.child.once("exit", () => resolve()));
    this.child.once("error", (err) => (this.output += `\n[could not start ${name}: ${err.message}]\n`));
    if (Program.running.size === 0) process.once("exit", Program.killAll);
    Program.running.add(this);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get ended(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Fails if the program has ended, with its output. */
  checkRunning(what: string): void {
    if (this.ended) throw new Error(`${this.name} ended (code ${this.child.exitCode ?? this.child.signalCode}) ${what}:\n${this.output}`);
  }

  /** Resolves with the first match of `pattern` in the output; fails if the program ends or time runs out. */
  async waitFor(pattern: RegExp, ms: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = pattern.exec(this.output);
      if (m) return m;
      this.checkRunning(`before printing ${pattern}`);
      if (Date.now() > deadline) throw new Error(`${this.name} did not print ${pattern} within ${ms} ms:\n${this.output}`);
      await sleep(200);
    }
  }

  /** Stops the program and its process group as Ctrl+C does, then by SIGKILL if anything is left after 10 s. */
  async stop(): Promise<void> {
    const pid = this.child.pid;
    Program.running.delete(this);
    if (pid === undefined) return;
    if (!signalGroup(pid, "SIGINT")) return;
    const deadline = Date.now() + 10_000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, 10_000)))]);
    clearTimeout(timer);
    // The leader gone is not enough: tsx's node, or the Playground's own node, may still be in the group.
    while (signalGroup(pid, 0)) {
      if (Date.now() > deadline) {
        signalGroup(pid, "SIGKILL");
        await this.exited;
        return;
      }
      await sleep(100);
    }
  }

  /** Last resort when the test process ends without afterAll: what is still running is killed. */
  private static killAll(): void {
    for (const program of Program.running) if (program.child.pid !== undefined) signalGroup(program.child.pid, "SIGKILL");
    Program.running.clear();
  }
}

/** Sends a signal to process group `pgid` (one of ours); false when the group no longer exists. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Waits until `url` answers HTTP 200 (the program must stay up meanwhile). */
async function waitForHttp200(url: string, program: Program, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  let last = "no answer";
  for (;;) {
    program.checkRunning(`before ${url} answered 200`);
    const status = await fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
      async (r) => {
        await r.arrayBuffer();
        return r.status;
      },
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    if (status === 200) return;
    last = String(status);
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${ms} ms (last: ${last}):\n${program.output}`);
    await sleep(250);
  }
}

/**
 * `npm start` then `npm run playground`, each from a fresh directory of its own (npm start keeps its store and
 * the simulator's certificate under ./data; the Playground reads ./.m365agentsplayground.yml and logs to
 * ./data), on free ports so the test can run beside a real `npm start`.
 */
export class LocalDemo {
  private constructor(
    readonly dir: string,
    readonly start: Program,
    readonly playground: Program,
    readonly botUrl: string,
    readonly playgroundUrl: string,
    readonly firstBackupId: string,
    readonly firstBackupObjects: number,
  ) {}

  static async launch(): Promise<LocalDemo> {
    const startScript = npmScript("start");
    const playgroundScript = npmScript("playground");
    const dir = mkdtempSync(path.join(os.tmpdir(), "rewind-readme-"));
    let start: Program | undefined;
    let playground: Program | undefined;
    try {
      copyFileSync(path.join(ROOT, ".m365agentsplayground.yml"), path.join(dir, ".m365agentsplayground.yml"));
      start = new Program("npm start", startScript.argv, { cwd: dir, env: { ...process.env, ...startScript.env, SIM_PORT: "0", BOT_PORT: "0" } });
      // Its last line: everything it prints before is true by then (bot listening, first backup, drift applied).
      await start.waitFor(/^Stop with Ctrl\+C\.$/m, 120_000);
      const botUrl = (await start.waitFor(/Teams bot endpoint: +(http:\/\/127\.0\.0\.1:\d+)\/api\/messages/, 0))[1]!;
      const first = await start.waitFor(/First backup: +(\S+) \((\d+) objects\)/, 0);
      await start.waitFor(/Demo drift applied: +[1-9]\d* changes/, 0);
      const port = await freePort();
      const botPort = new URL(botUrl).port;
      playground = new Program("npm run playground", playgroundScript.argv, { cwd: dir, env: { ...process.env, ...playgroundScript.env, BOT_PORT: botPort, PLAYGROUND_PORT: String(port) } });
      const playgroundUrl = `http://127.0.0.1:${port}/`;
      await waitForHttp200(playgroundUrl, playground, 60_000);
      return new LocalDemo(dir, start, playground, botUrl, playgroundUrl, first[1]!, Number(first[2]));
    } catch (err) {
      await playground?.stop();
      await start?.stop();
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

/** An Adaptive Card in the chat: its place among the chat's cards and its visible text. */
export interface ChatCard {
  readonly index: number;
  readonly text: string;
}

/** The Playground's page in Chromium, offline: every request off loopback is refused (the page asks a CDN for fonts). */
export class PlaygroundChat {
  /** Hosts the page tried to reach and was refused. */
  readonly refused = new Set<string>();

  private constructor(
    private readonly profile: string,
    private readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  static async open(url: string): Promise<PlaygroundChat> {
    const setup = chromiumSetup();
    const profile = mkdtempSync(path.join(os.tmpdir(), "rewind-chromium-"));
    let context: BrowserContext | undefined;
    try {
      context = await chromium.launchPersistentContext(profile, {
        executablePath: setup.executablePath,
        env: setup.env,
        headless: true,
        args: [...setup.args],
        viewport: { width: 1280, height: 1000 },
      });
      const chat = new PlaygroundChat(profile, context, context.pages()[0] ?? (await context.newPage()));
      await context.route("**/*", (route) => {
        const host = new URL(route.request().url()).hostname;
        if (host === "127.0.0.1" || host === "localhost") return route.continue();
        chat.refused.add(host);
        return route.abort();
      });
      await chat.page.goto(url);
      return chat;
    } catch (err) {
      await context?.close();
      rmSync(profile, { recursive: true, force: true });
      throw err;
    }
  }

  /** Every Adaptive Card in the chat, oldest first (a card answered in place keeps its place). */
  get cards(): Locator {
    return this.page.locator(".ac-adaptiveCard");
  }

  /** Types `text` into the chat box and presses Enter, as the user does; returns how many cards were there before. */
  async say(text: string): Promise<number> {
    const before = await this.cards.count();
    const box = this.page.locator("[data-lexical-editor=true]");
    await box.click();
    await this.page.keyboard.type(text);
    await this.page.keyboard.press("Enter");
    // Sent: the box is empty again.
    const deadline = Date.now() + 10_000;
    while ((await box.innerText()).trim() !== "") {
      if (Date.now() > deadline) throw new Error(`"${text}" was typed but not sent: the chat box still shows "${await box.innerText()}".`);
      await sleep(100);
    }
    return before;
  }

  /** The first card at `from` or after whose text passes `test`, waited for (a bot reply takes a moment). */
  async card(what: string, from: number, test: (text: string) => boolean, ms = 60_000): Promise<ChatCard> {
    const deadline = Date.now() + ms;
    for (;;) {
      const texts = await this.cards.allInnerTexts();
      for (let index = from; index < texts.length; index++) if (test(texts[index]!)) return { index, text: texts[index]! };
      if (Date.now() > deadline) {
        const seen = texts.slice(from).map((t, i) => `  card ${from + i}: ${t.split("\n").filter((l) => l.trim()).slice(0, 3).join(" | ")}`);
        throw new Error(`No ${what} appeared in the chat within ${ms} ms. New cards:\n${seen.join("\n") || "  (none)"}`);
      }
      await sleep(250);
    }
  }

  /** The card at `index` once its text passes `test` (a card the bot updates in place). */
  async cardAt(what: string, index: number, test: (text: string) => boolean, ms: number): Promise<ChatCard> {
    const deadline = Date.now() + ms;
    for (;;) {
      const text = (await this.cards.count()) > index ? await this.cards.nth(index).innerText() : "";
      if (test(text)) return { index, text };
      if (Date.now() > deadline) throw new Error(`Card ${index} did not become ${what} within ${ms} ms. It shows:\n${text}`);
      await sleep(250);
    }
  }

  /** The titles of a card's buttons. */
  async buttons(card: ChatCard): Promise<string[]> {
    return (await this.cards.nth(card.index).getByRole("button").allInnerTexts()).map((t) => t.trim());
  }

  /** Clicks a card's Action.Execute button by its title. */
  async click(card: ChatCard, button: string): Promise<void> {
    await this.cards.nth(card.index).getByRole("button", { name: button, exact: true }).click();
  }

  /** A screenshot of the page with the chat scrolled so that the user's message `fromMessage` is at the top. */
  async screenshot(file: string, fromMessage: string): Promise<void> {
    // The chat comes before the Log Panel (which repeats each message) in the page, so the first match is the chat's.
    await this.page
      .getByText(fromMessage, { exact: true })
      .first()
      .evaluate((el: { scrollIntoView(o: { block: string }): void }) => el.scrollIntoView({ block: "start" }));
    // A little back up, so the message's bubble shows whole (the pointer over the chat's avatar column).
    await this.page.mouse.move(345, 300);
    await this.page.mouse.wheel(0, -40);
    await sleep(500);
    await this.page.screenshot({ path: file });
  }

  async close(): Promise<void> {
    await this.context.close();
    rmSync(this.profile, { recursive: true, force: true });
  }
}
