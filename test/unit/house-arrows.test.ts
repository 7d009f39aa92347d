/**
 * The house's one-way arrows, held by a test so a new import that crosses one fails the build's tests rather
 * than a review: the bot reaches the engine only through the façade and the model, core knows nothing of
 * Teams, the Cosmos adapter never borrows from the SQLite one, and lib/ depends on nothing of the project.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

/** The project files a file imports (relative specifiers only), as repo paths without extension. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  const found: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
    found.push(path.normalize(path.join(path.dirname(file), m[1]!)).replace(/\\/g, "/").replace(/\.(ts|js|json)$/, ""));
  }
  return found;
}

function crossings(dir: string, allowed: (target: string) => boolean): string[] {
  return sourceFiles(dir).flatMap((file) => importsOf(file).filter((t) => !allowed(t)).map((t) => `${file} -> ${t}`));
}

describe("the house's arrows", () => {
  test("bot/ imports from core/ only the façade, the engine's types and the model", () => {
    const ok = (t: string) => !t.startsWith("core/") || t === "core/rewind" || t === "core/engine" || t.startsWith("core/model/");
    expect(crossings("bot", ok)).toEqual([]);
  });

  test("cards/ imports from core/ only the model", () => {
    expect(crossings("cards", (t) => !t.startsWith("core/") || t.startsWith("core/model/"))).toEqual([]);
  });

  test("core/ imports nothing of the bot, the cards, the app, the simulator or the tests", () => {
    expect(crossings("core", (t) => !/^(bot|cards|app|sim|test|bench|scripts)\//.test(t))).toEqual([]);
  });

  test("core/ knows nothing of Teams: no conversation reference, posted card, activity id or alert claim", () => {
    const teams = /\b(ConversationReference|conversationId|postedCard|PostedCard|activityId|claimAlert|botbuilder)\b/;
    const found = sourceFiles("core").filter((f) => teams.test(readFileSync(path.join(ROOT, f), "utf8")));
    expect(found).toEqual([]);
  });

  test("no file in core/store/cosmos/ imports from core/store/sqlite/ (shared rules live in core/store/shared/)", () => {
    expect(crossings("core/store/cosmos", (t) => !t.startsWith("core/store/sqlite/"))).toEqual([]);
  });

  test("lib/ imports nothing of the project", () => {
    expect(crossings("lib", (t) => t.startsWith("lib/"))).toEqual([]);
  });
});
