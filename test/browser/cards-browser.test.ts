import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { PNG } from "pngjs";
import type { AdaptiveCard } from "../../bot/views";
import { parseVerbData } from "../../cards";
import { ERROR_TEXTS } from "../../core/model/errors";
import { CardBrowser } from "../../scripts/card-shots/card-browser";
import { cardGallery } from "../../scripts/card-shots/card-gallery";
import { chromiumSetup } from "../../scripts/card-shots/chromium";
import { SHOTS_DIR, ShotIndexSchema, cardDigest, type ShotIndex } from "../../scripts/card-shots/shot-index";

jest.setTimeout(120_000);

const STALE = "docs/cards is out of date with the cards: run npm run cards:shots and commit the result.";
const gallery = cardGallery();
let browser: CardBrowser;

beforeAll(async () => {
  browser = await CardBrowser.launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Every text a card's JSON shows (TextBlocks, TextRuns, facts) and every button, with its verb and data. */
function declared(card: AdaptiveCard): { texts: string[]; buttons: Array<{ title: string; verb: string; data: unknown }> } {
  const texts: string[] = [];
  const buttons: Array<{ title: string; verb: string; data: unknown }> = [];
  const walk = (node: unknown, inRefresh = false): void => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, inRefresh));
    if (node === null || typeof node !== "object") return;
    const o = node as Record<string, unknown>;
    if ((o.type === "TextBlock" || o.type === "TextRun") && typeof o.text === "string") texts.push(o.text);
    if (o.type === "FactSet" && Array.isArray(o.facts)) for (const f of o.facts as Array<{ title: string; value: string }>) texts.push(f.title, f.value);
    if (o.type === "Action.Execute" && !inRefresh) buttons.push({ title: String(o.title), verb: String(o.verb), data: o.data ?? {} });
    for (const [k, v] of Object.entries(o)) walk(v, inRefresh || k === "refresh");
  };
  walk(card);
  return { texts, buttons };
}

const squash = (s: string): string => s.replace(/\s+/g, " ").trim();

/** Pixels that differ by more than a few levels in any channel, as a share of all. */
function differingShare(a: PNG, b: PNG): number {
  let differ = 0;
  for (let k = 0; k < a.data.length; k += 4) {
    if ([0, 1, 2, 3].some((c) => Math.abs(a.data[k + c]! - b.data[k + c]!) > 8)) differ++;
  }
  return differ / (a.width * a.height);
}

describe("the browser", () => {
  it("is the Chromium that npm installs (or the one CHROMIUM_PATH names): the version it reports is that executable's", () => {
    const setup = chromiumSetup();
    const printed = execFileSync(setup.executablePath, ["--version"], { env: setup.env, encoding: "utf8" });
    expect(printed).toContain(` ${browser.version}`);
    if (setup.npmMajor !== undefined) expect(Number(browser.version.split(".")[0])).toBe(setup.npmMajor);
  });
});

describe("every card in Chromium, with the adaptivecards renderer", () => {
  it("covers the twelve cards of the product", () => {
    expect(gallery.map((g) => g.name).sort()).toEqual(
      ["backup-list", "backup-result", "changes-page", "error", "help", "job-progress", "jobs-list", "notice", "recovery-confirmation", "recovery-result", "report-summary", "who-am-i"].sort(),
    );
  });

  it.each(gallery.map((g) => [g.name, g.card] as const))("renders %s with no renderer problem, showing its texts and buttons", async (_name, card) => {
    expect(await browser.render(card)).toEqual([]);
    const shown = squash(await browser.text());
    const { texts, buttons } = declared(card);
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) expect(shown).toContain(squash(text));
    expect(await browser.buttonTitles()).toEqual(buttons.map((b) => b.title));
  });
});

/** A committed file of docs/cards, or a failure saying how to make it. */
function committed(file: string): Buffer {
  const at = path.join(SHOTS_DIR, file);
  if (!existsSync(at)) throw new Error(`docs/cards/${file} is missing. ${STALE}`);
  return readFileSync(at);
}

describe("the cards' key texts and buttons", () => {
  const card = (name: string): AdaptiveCard => gallery.find((g) => g.name === name)!.card;

  it.each([
    ["error", [ERROR_TEXTS.jobInProgress, "Error 409"], []],
    ["recovery-confirmation", ["Waiting for a Backup Administrator's approval", "Ada Admin", "What will be done"], ["Approve", "Reject"]],
    ["recovery-result", ["Completed with warnings", "Ben Second", "Finance Approvers"], ["Failed changes", "Skipped", "All outcomes"]],
    ["changes-page", ["Megan Bowen", "Marketing Manager → Intern"], ["Next", "Summary"]],
  ])("%s shows %j with the buttons %j", async (name, texts, buttons) => {
    expect(await browser.render(card(name))).toEqual([]);
    const shown = squash(await browser.text());
    for (const text of texts) expect(shown).toContain(text);
    expect(await browser.buttonTitles()).toEqual(buttons);
  });
});

describe("docs/cards: the screenshots show the current cards", () => {
  const index = (): ShotIndex => ShotIndexSchema.parse(JSON.parse(committed("index.json").toString("utf8")));

  it("names every card, with the digest of the card JSON each PNG was made from", () => {
    const current = gallery.map((g) => ({ name: g.name, sha256: cardDigest(g.card) }));
    const recorded = index().cards.map((c) => ({ name: c.name, sha256: c.sha256 }));
    if (JSON.stringify(recorded) !== JSON.stringify(current)) throw new Error(`${STALE}\nrecorded: ${JSON.stringify(recorded)}\ncurrent:  ${JSON.stringify(current)}`);
  });

  it.each(gallery.map((g) => [g.name, g.card] as const))("%s.png matches a fresh rendering", async (name, card) => {
    await browser.render(card);
    const fresh = PNG.sync.read(await browser.screenshot());
    const png = PNG.sync.read(committed(`${name}.png`));
    if (png.width !== fresh.width || png.height !== fresh.height) throw new Error(`docs/cards/${name}.png is ${png.width}×${png.height}, the card renders at ${fresh.width}×${fresh.height}. ${STALE}`);
    const share = differingShare(fresh, png);
    if (share >= 0.005) throw new Error(`docs/cards/${name}.png differs from a fresh rendering in ${(share * 100).toFixed(2)}% of its pixels. ${STALE}`);
  });
});

describe("clicking Action.Execute buttons in the browser", () => {
  const card = (name: string): AdaptiveCard => gallery.find((g) => g.name === name)!.card;

  it.each([
    ["recovery-confirmation", "Approve", "recovery.approve"],
    ["recovery-confirmation", "Reject", "recovery.reject"],
    ["changes-page", "Next", "changes.page"],
    ["report-summary", "Recover…", "recovery.request"],
    ["backup-list", "Difference report", "report.start"],
  ])("%s: %s sends verb %s with the data the card declares, which the bot accepts", async (name, title, verb) => {
    await browser.render(card(name));
    const expected = declared(card(name)).buttons.find((b) => b.title === title);
    expect(expected?.verb).toBe(verb);
    const executed = await browser.click(title);
    expect(executed).toEqual([{ verb, data: expected!.data }]);
    expect(parseVerbData(verb, executed[0]!.data)).toMatchObject({ ok: true });
  });
});
