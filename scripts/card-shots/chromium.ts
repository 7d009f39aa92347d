/**
 * The Chromium that the browser tests and `npm run cards:shots` drive: by default the one `npm install` brings
 * (@sparticuz/chromium ships a headless Chromium inside its registry package, brotli-compressed), so a fresh
 * machine needs nothing but npm; a system Chromium only when CHROMIUM_PATH names one. Either way the pages
 * see the same fonts, shipped by npm packages (Open Sans from @sparticuz/chromium, DejaVu from
 * dejavu-fonts-ttf), never the machine's: screenshots made on one machine compare on another.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** The variable that names a system Chromium to use instead of the one npm installs. */
export const CHROMIUM_PATH_VARIABLE = "CHROMIUM_PATH";

/** Headless and quiet: no GPU, no QUIC, none of Chromium's own background traffic. */
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** How to launch the browser: hand these to playwright-core's launch options. */
export interface ChromiumSetup {
  readonly executablePath: string;
  readonly args: readonly string[];
  /** The browser's environment: the process's, with the fonts (and, for the npm one, its libraries) set. */
  readonly env: Readonly<Record<string, string>>;
  /** Which browser, for messages and docs/cards/index.json. */
  readonly description: string;
  /** The Chromium major version the npm package ships, when that is the one used. */
  readonly npmMajor: number | undefined;
}

const ROOT = path.join(__dirname, "..", "..");
/** Unpacked archives, per package version; node_modules/.cache goes with the install it came from. */
const CACHE = path.join(ROOT, "node_modules", ".cache", "rewind-chromium");

/** The installed @sparticuz/chromium: its ES module entry, its compressed files and its version. */
function npmChromium(): { entry: string; bin: string; version: string } {
  let entry: string;
  try {
    entry = require.resolve("@sparticuz/chromium");
  } catch {
    throw new Error("@sparticuz/chromium is not installed (a devDependency): run npm install, or name a system Chromium with CHROMIUM_PATH.");
  }
  const dir = path.join(path.dirname(entry), "..");
  const { version } = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string };
  return { entry, bin: path.join(dir, "bin"), version };
}

/**
 * `archives` of the package unpacked by its own `inflate` (it unpacks into the temporary directory, so a child
 * process runs it with TMPDIR set to a fresh directory; the package is an ES module, which Jest cannot
 * import), then moved into the cache in one rename, so a parallel test worker never sees half a file.
 */
function unpacked(unit: string, archives: readonly string[]): string {
  const { entry, bin, version } = npmChromium();
  const target = path.join(CACHE, `${version}-${unit}`);
  if (existsSync(target)) return target;
  mkdirSync(CACHE, { recursive: true });
  const staging = mkdtempSync(path.join(CACHE, `.staging-${unit}-`));
  try {
    const script = "const [entry, ...archives] = process.argv.slice(1); const { inflate } = await import(entry); for (const a of archives) await inflate(a);";
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script, pathToFileURL(entry).href, ...archives.map((a) => path.join(bin, a))], {
      env: { ...process.env, TMPDIR: staging },
      encoding: "utf8",
      timeout: 180_000,
    });
    if (run.status !== 0) throw new Error(`Unpacking @sparticuz/chromium's ${archives.join(", ")} failed (${run.error?.message ?? `exit ${run.status ?? run.signal}`}):\n${run.stderr}`);
    try {
      renameSync(staging, target);
    } catch (err) {
      // Another worker got there first: its copy is whole.
      if (!existsSync(target)) throw err;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return target;
}

/** A file replaced in one rename, so a browser starting meanwhile reads the old or the new one, whole. */
function writeWhole(file: string, text: string): void {
  if (existsSync(file) && readFileSync(file, "utf8") === text) return;
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/** A fontconfig directory naming only the npm-shipped fonts: Open Sans first, DejaVu for what it lacks (→). */
function fontConfigDir(): string {
  const fonts = unpacked("fonts", ["fonts.tar.br"]);
  const dejavu = path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
  const conf = [
    `<?xml version="1.0"?>`,
    `<!DOCTYPE fontconfig SYSTEM "fonts.dtd">`,
    `<fontconfig>`,
    `  <dir>${path.join(fonts, "fonts")}</dir>`,
    `  <dir>${dejavu}</dir>`,
    `  <cachedir>${path.join(fonts, "cache")}</cachedir>`,
    `  <alias><family>sans-serif</family><prefer><family>Open Sans</family><family>DejaVu Sans</family></prefer></alias>`,
    `  <alias><family>serif</family><prefer><family>DejaVu Serif</family></prefer></alias>`,
    `  <alias><family>monospace</family><prefer><family>DejaVu Sans Mono</family></prefer></alias>`,
    `</fontconfig>`,
    ``,
  ].join("\n");
  writeWhole(path.join(fonts, "fonts.conf"), conf);
  return fonts;
}

/** process.env without its unset entries (playwright-core's `env` takes strings). */
function processEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
}

/**
 * The browser to launch. CHROMIUM_PATH, when set, must name an executable; otherwise the npm package's
 * Chromium is unpacked (once per version, about two seconds) with the NSS and expat libraries it ships,
 * so nothing of the machine's own browser or libraries is needed. Throws with what to do when neither works.
 */
export function chromiumSetup(): ChromiumSetup {
  const fontConfig = fontConfigDir();
  const configured = process.env[CHROMIUM_PATH_VARIABLE];
  if (configured !== undefined && configured !== "") {
    try {
      if (!statSync(configured).isFile()) throw new Error("not a file");
      accessSync(configured, constants.X_OK);
    } catch (err) {
      throw new Error(`${CHROMIUM_PATH_VARIABLE}=${configured} does not name an executable Chromium (${err instanceof Error ? err.message : String(err)}). Unset it to use the Chromium that npm installs.`);
    }
    return { executablePath: configured, args: CHROMIUM_ARGS, env: { ...processEnv(), FONTCONFIG_PATH: fontConfig }, description: `Chromium at ${CHROMIUM_PATH_VARIABLE}=${configured}`, npmMajor: undefined };
  }
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(`The Chromium that npm installs (@sparticuz/chromium) runs on Linux x64 only, this is ${process.platform} ${process.arch}: name a Chromium with ${CHROMIUM_PATH_VARIABLE}.`);
  }
  const { version } = npmChromium();
  const browser = unpacked("browser", ["chromium.br", "al2023.tar.br"]);
  const libraries = path.join(browser, "al2023", "lib");
  const inherited = process.env.LD_LIBRARY_PATH;
  return {
    executablePath: path.join(browser, "chromium"),
    args: CHROMIUM_ARGS,
    env: { ...processEnv(), FONTCONFIG_PATH: fontConfig, LD_LIBRARY_PATH: inherited ? `${libraries}:${inherited}` : libraries },
    description: `Chromium from @sparticuz/chromium ${version}`,
    npmMajor: Number(version.split(".")[0]),
  };
}
