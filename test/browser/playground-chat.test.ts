import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { CHROMIUM } from "../../scripts/card-shots/card-browser";
import { LocalDemo } from "./playground-session";

jest.setTimeout(300_000);

/**
 * The README's local path, end to end, as a newcomer takes it: `npm start`, `npm run playground`, then a chat
 * in the Playground's page in Chromium about the demo tenant, as Ada Admin.
 */
let demo: LocalDemo;
let context: BrowserContext;
let page: Page;
let profile: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing (${CHROMIUM}). Install it with: apt-get install -y --no-install-recommends chromium fonts-liberation`);
  demo = await LocalDemo.launch();
  profile = mkdtempSync(path.join(os.tmpdir(), "rewind-playground-"));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"], viewport: { width: 1280, height: 1000 } });
  // Offline, as in the README: the Playground's page asks a CDN for fonts; everything off loopback is refused.
  await context.route("**/*", (route) => (["127.0.0.1", "localhost"].includes(new URL(route.request().url()).hostname) ? route.continue() : route.abort()));
  page = context.pages()[0] ?? (await context.newPage());
  await page.goto(demo.playgroundUrl);
});

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await demo?.stop();
});

async function say(text: string): Promise<void> {
  const box = page.locator("[data-lexical-editor=true]");
  await box.click();
  await page.keyboard.type(text);
  await page.keyboard.press("Enter");
}

/** Waits until the chat shows `text` (n times at least, as earlier answers stay in the chat). */
async function shows(text: string | RegExp, n = 1): Promise<void> {
  await page.getByText(text).nth(n - 1).waitFor({ timeout: 90_000 });
}

describe("chatting with Rewind in the Agents Playground, as the README says", () => {
  it("greets the newcomer with the help card when the chat opens", async () => {
    await shows("Rewind: backup and recovery of your Entra ID tenant");
  });

  it("whoami: Ada Admin is a Backup Administrator of the demo tenant", async () => {
    await say("whoami");
    await shows("Your Rewind roles: Backup Administrator");
    await shows("d0d0d0d0-0000-4000-8000-00000000d0d0");
  });

  it("backups: the backup npm start took is listed", async () => {
    await say("backups");
    await shows(demo.firstBackupId);
  });

  it("diff latest: a progress card, then the summary of the demo drift's changes", async () => {
    await say("diff latest");
    await shows(/^Difference report of backup /);
    const summary = await page.getByText(/^\d[\d,]* changes?: /).first();
    await summary.waitFor({ timeout: 90_000 });
    const count = Number((await summary.innerText()).replace(/,/g, "").match(/^(\d+)/)![1]);
    expect(count).toBeGreaterThan(0);
  });

  it("a click on the summary's Show changes button brings the first page of changes", async () => {
    await page.getByRole("button", { name: "Show changes" }).last().click();
    await shows("Difference report changes");
    if (process.env.WRITE_SCREENSHOTS === "1") await page.screenshot({ path: path.join(__dirname, "..", "..", "docs", "playground-chat.png") });
  });
});
