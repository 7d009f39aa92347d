/**
 * `npm run cards:shots`: renders every card of the gallery in Chromium and writes docs/cards/<name>.png, and
 * docs/cards/index.json naming the card JSON each PNG shows (the browser test fails when they go stale).
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PNG } from "pngjs";
import { CardBrowser } from "./card-browser";
import { cardGallery } from "./card-gallery";
import { SHOTS_DIR, cardDigest, type ShotIndex } from "./shot-index";

async function main(): Promise<void> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const browser = await CardBrowser.launch();
  const index: ShotIndex = { renderer: `adaptivecards ${require("adaptivecards/package.json").version as string} in ${browser.description} (${browser.version})`, cards: [] };
  try {
    for (const { name, card } of cardGallery()) {
      const problems = await browser.render(card);
      if (problems.length > 0) throw new Error(`The ${name} card has renderer problems: ${problems.join("; ")}`);
      const png = await browser.screenshot();
      const { width, height } = PNG.sync.read(png);
      writeFileSync(path.join(SHOTS_DIR, `${name}.png`), png);
      index.cards.push({ name, sha256: cardDigest(card), width, height });
      process.stdout.write(`docs/cards/${name}.png ${width}×${height}\n`);
    }
  } finally {
    await browser.close();
  }
  const kept = new Set(index.cards.map((c) => `${c.name}.png`));
  for (const file of readdirSync(SHOTS_DIR)) if (file.endsWith(".png") && !kept.has(file)) rmSync(path.join(SHOTS_DIR, file));
  writeFileSync(path.join(SHOTS_DIR, "index.json"), `${JSON.stringify(index, null, 2)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
