import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import JSZip from "jszip";
import { PNG } from "pngjs";
import { COMMAND_USAGE } from "../../bot/views/help-view";
import { buildManifest, commandTitle, PACKAGE_FILES } from "../../manifest/manifest-build";
import { packageSettingsFromEnv } from "../../manifest/package-settings";

jest.setTimeout(120_000);

const ROOT = path.join(__dirname, "..", "..");
/** tsx by path: the package script runs in a directory of its own (no .env), where `--import tsx` would not resolve. */
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const BOT_ID = "3b1c0000-0000-4000-8000-000000000009";
const SITE = "https://rewind.contoso.example";
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "rewind-package-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * The offline schema check, `npm run package:check` (@microsoft/app-manifest loads ES modules that jest's
 * CommonJS runtime cannot, so it runs as the command a user runs).
 */
function check(file: string): { status: number | null; errors: string[] } {
  const run = spawnSync(TSX, [path.join(ROOT, "manifest", "check-package.ts"), file, "--json"], { encoding: "utf8", timeout: 90_000 });
  if (run.status === 2 || run.stdout === "") throw new Error(`package:check failed to run: ${run.stderr}`);
  return { status: run.status, errors: (JSON.parse(run.stdout) as { errors: string[] }).errors };
}

function checkManifest(manifest: object): { status: number | null; errors: string[] } {
  const file = path.join(dir, `manifest-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(manifest));
  return check(file);
}

/** Runs `npm run package`'s script as a user would, with only these settings. */
function runPackage(env: Record<string, string>, out: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(TSX, [path.join(ROOT, "scripts", "package-app.ts")], {
    cwd: dir, // no .env here: only the given settings count
    env: { PATH: process.env.PATH, PACKAGE_OUT: out, ...env },
    encoding: "utf8",
    timeout: 90_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("npm run package", () => {
  let zip: JSZip;
  let manifest: Record<string, any>;

  beforeAll(async () => {
    const out = path.join(dir, "rewind.zip");
    const run = runPackage({ BOT_ID, APP_WEBSITE_URL: SITE, APP_NAME_FULL: 'Rewind "Contoso" backup & recovery' }, out);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("The manifest validates.");
    zip = await JSZip.loadAsync(readFileSync(out));
    manifest = JSON.parse(await zip.file("manifest.json")!.async("string"));
  });

  it("writes a zip of exactly the manifest and the two icons, at its root", () => {
    expect(Object.keys(zip.files).sort()).toEqual([...PACKAGE_FILES].sort());
  });

  it("holds a manifest that passes the Teams schema it names (v1.2x, checked offline), read back from disk", async () => {
    expect(manifest.$schema).toMatch(/^https:\/\/developer\.microsoft\.com\/en-us\/json-schemas\/teams\/v1\.2\d\/MicrosoftTeams\.schema\.json$/);
    expect(manifest.manifestVersion).toMatch(/^1\.2\d$/);
    expect(check(path.join(dir, "rewind.zip"))).toEqual({ status: 0, errors: [] });
    expect(checkManifest(manifest)).toEqual({ status: 0, errors: [] });
  });

  it("fills in the bot id, the app id, the names and the developer's pages from the settings", () => {
    expect(manifest.id).toBe(BOT_ID);
    expect(manifest.version).toBe(JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version);
    expect(manifest.name).toEqual({ short: "Rewind", full: 'Rewind "Contoso" backup & recovery' });
    expect(manifest.developer).toEqual({ name: "Rewind", websiteUrl: SITE, privacyUrl: `${SITE}/privacy`, termsOfUseUrl: `${SITE}/terms` });
    expect(JSON.stringify(manifest)).not.toContain("{{");
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0].botId).toBe(BOT_ID);
    expect(manifest.bots[0].scopes).toEqual(["personal", "team"]);
  });

  it("lists every bot command, in personal chats and in teams", () => {
    const titles = ["help", "backups", "backup now", "diff", "jobs", "job", "changes", "recover", "cancel", "whoami"];
    expect(Object.values(COMMAND_USAGE).map((c) => commandTitle(c.usage))).toEqual(titles);
    const lists = manifest.bots[0].commandLists as Array<{ scopes: string[]; commands: Array<{ title: string; description: string }> }>;
    expect(lists.map((l) => l.scopes)).toEqual([["personal"], ["team"]]);
    for (const list of lists) {
      expect(list.commands.map((c) => c.title)).toEqual(titles);
      expect(list.commands.find((c) => c.title === "recover")?.description).toBe(COMMAND_USAGE.recover.purpose);
    }
  });

  it("carries a 192×192 color icon and a 32×32 outline icon that is white on transparent", async () => {
    const color = PNG.sync.read(await zip.file("color.png")!.async("nodebuffer"));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = PNG.sync.read(await zip.file("outline.png")!.async("nodebuffer"));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let transparent = 0;
    let opaque = 0;
    for (let k = 0; k < outline.data.length; k += 4) {
      const [r, g, b, a] = [outline.data[k]!, outline.data[k + 1]!, outline.data[k + 2]!, outline.data[k + 3]!];
      if (a === 0) transparent++;
      else {
        expect([r, g, b]).toEqual([255, 255, 255]);
        if (a === 255) opaque++;
      }
    }
    expect(transparent).toBeGreaterThan(32 * 32 * 0.4);
    expect(opaque).toBeGreaterThan(32 * 32 * 0.1);
  });

  it("refuses bad settings with one message naming each, and writes nothing", () => {
    const out = path.join(dir, "bad.zip");
    const run = runPackage({ BOT_ID: "not-a-guid", APP_WEBSITE_URL: "http://rewind.contoso.example", APP_NAME_SHORT: "R".repeat(31) }, out);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("BOT_ID: must be the Azure Bot's Microsoft App ID (a GUID)");
    expect(run.stderr).toContain("APP_WEBSITE_URL: must be an https URL");
    expect(run.stderr).toContain("APP_NAME_SHORT: must be at most 30 characters");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });
});

describe("the manifest check", () => {
  it("is a real schema check: a manifest without its developer, with a bad bot scope, or a zip with more files, fails it", async () => {
    const good = buildManifest(packageSettingsFromEnv({ BOT_ID, APP_WEBSITE_URL: SITE }));
    expect(checkManifest(good)).toEqual({ status: 0, errors: [] });
    const { developer: _gone, ...noDeveloper } = good;
    const missing = checkManifest(noDeveloper);
    expect(missing.status).toBe(1);
    expect(missing.errors.join(" ")).toMatch(/developer/);
    const badScope = checkManifest({ ...good, bots: [{ ...(good.bots as object[])[0], scopes: ["everywhere"] }] });
    expect(badScope.status).toBe(1);
    expect(badScope.errors).not.toEqual([]);
    const out = path.join(dir, "for-extra.zip");
    expect(runPackage({ BOT_ID, APP_WEBSITE_URL: SITE }, out).status).toBe(0);
    const extra = await JSZip.loadAsync(readFileSync(out));
    extra.file("notes.txt", "hi");
    writeFileSync(path.join(dir, "extra.zip"), await extra.generateAsync({ type: "nodebuffer" }));
    expect(check(path.join(dir, "extra.zip")).errors[0]).toMatch(/^the zip holds .*notes\.txt/);
  });

  it("takes the Teams app id and the version from their settings when given", () => {
    const s = packageSettingsFromEnv({ BOT_ID, APP_WEBSITE_URL: `${SITE}/`, TEAMS_APP_ID: "5e7a0000-0000-4000-8000-000000000001", APP_VERSION: "2.3.4" });
    expect([s.TEAMS_APP_ID, s.APP_VERSION, s.APP_PRIVACY_URL]).toEqual(["5e7a0000-0000-4000-8000-000000000001", "2.3.4", `${SITE}/privacy`]);
  });
});
