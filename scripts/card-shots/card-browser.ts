import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import type { AdaptiveCard } from "../../bot/views";
import { chromiumSetup } from "./chromium";

/** Unhinted fonts, so screenshots do not depend on the machine's hinting settings. */
const EXTRA_ARGS = ["--font-render-hinting=none"];

/** A click's verb and data, as the renderer hands them to the host (what Teams sends the bot). */
export interface ExecutedAction {
  readonly verb: string;
  readonly data: unknown;
}

/** What card-host.ts puts on the page's window (the Node side has no DOM types). */
interface PageHost {
  renderCard(json: unknown): { problems: string[] };
  executedActions: ExecutedAction[];
}

/** The page bundle: card-host.ts and the `adaptivecards` renderer, built for the browser. */
async function hostBundle(): Promise<string> {
  const result = await build({ entryPoints: [path.join(__dirname, "browser", "card-host.ts")], bundle: true, format: "iife", platform: "browser", target: "chrome120", write: false, logLevel: "silent" });
  const file = result.outputFiles[0];
  if (file === undefined) throw new Error("esbuild produced no bundle for the card host.");
  return file.text;
}

/** About the width Teams gives a card in a chat column. */
const CARD_WIDTH_PX = 450;

/** The page: a grey chat background and a white card column; buttons styled like Teams' (the SDK leaves them bare). */
function pageHtml(bundle: string): string {
  const font = "'Segoe UI','Liberation Sans',Arial,sans-serif";
  const style = [
    "body{margin:0;padding:16px;background:#F0F0F0}",
    `#card{width:${CARD_WIDTH_PX}px;background:#fff;border-radius:6px;overflow:hidden;box-shadow:0 1px 2px rgba(0,0,0,.14)}`,
    `.ac-pushButton{font-family:${font};font-size:14px;font-weight:600;padding:5px 12px;border:1px solid #D1D1D1;border-radius:4px;background:#fff;color:#242424;cursor:pointer}`,
  ].join("");
  return `<!doctype html><html><head><meta charset="utf-8"><style>${style}</style></head><body><div id="card"></div><script>${bundle}</script></body></html>`;
}

/**
 * Adaptive Cards rendered by the `adaptivecards` renderer in headless Chromium, in a column as wide as a Teams
 * chat's, offline (every request off loopback is aborted).
 */
export class CardBrowser {
  private constructor(
    private readonly context: BrowserContext,
    private readonly page: Page,
    private readonly profile: string,
    /** Which browser (chromium.ts) and the version it reports. */
    readonly description: string,
    readonly version: string,
  ) {}

  static async launch(): Promise<CardBrowser> {
    const setup = chromiumSetup();
    const profile = mkdtempSync(path.join(os.tmpdir(), "rewind-cards-"));
    let context: BrowserContext | undefined;
    try {
      context = await chromium.launchPersistentContext(profile, { executablePath: setup.executablePath, env: setup.env, headless: true, args: [...setup.args, ...EXTRA_ARGS], viewport: { width: CARD_WIDTH_PX + 80, height: 900 }, deviceScaleFactor: 1 });
      await context.route("**/*", (route) => {
        const host = new URL(route.request().url()).hostname;
        return host === "127.0.0.1" || host === "localhost" ? route.continue() : route.abort();
      });
      const page = context.pages()[0] ?? (await context.newPage());
      await page.setContent(pageHtml(await hostBundle()));
      const version = context.browser()?.version() ?? "unknown";
      return new CardBrowser(context, page, profile, setup.description, version);
    } catch (err) {
      // A half-started browser must not outlive the failure.
      await context?.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
      throw err;
    }
  }

  /** Renders a card; returns the renderer's parse and validation messages. */
  async render(card: AdaptiveCard): Promise<string[]> {
    const { problems } = await this.page.evaluate((json) => (globalThis as unknown as PageHost).renderCard(json), card as unknown);
    return problems;
  }

  /** The rendered card's visible text. */
  async text(): Promise<string> {
    return this.page.locator("#card").innerText();
  }

  /** The titles of the rendered card's buttons. */
  async buttonTitles(): Promise<string[]> {
    return (await this.page.locator("#card button").allInnerTexts()).map((t) => t.trim());
  }

  /** Clicks the first button with exactly this title; returns what the renderer passed to the host. */
  async click(title: string): Promise<ExecutedAction[]> {
    await this.page.locator("#card").getByRole("button", { name: title, exact: true }).first().click();
    return this.page.evaluate(() => (globalThis as unknown as PageHost).executedActions);
  }

  /** A PNG of the rendered card. */
  async screenshot(): Promise<Buffer> {
    return this.page.locator("#card").screenshot({ animations: "disabled" });
  }

  async close(): Promise<void> {
    await this.context.close();
    rmSync(this.profile, { recursive: true, force: true });
  }
}
