/**
 * Which Chromium the browser tests and the card screenshots launch (scripts/card-shots/chromium.ts): the one
 * npm installs unless CHROMIUM_PATH names another; the machine's own browser, libraries and fonts are never
 * picked up silently.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { CHROMIUM_PATH_VARIABLE, chromiumSetup } from "../../scripts/card-shots/chromium";

const NODE_MODULES = path.join(__dirname, "..", "..", "node_modules");
const saved = process.env[CHROMIUM_PATH_VARIABLE];

afterEach(() => {
  if (saved === undefined) delete process.env[CHROMIUM_PATH_VARIABLE];
  else process.env[CHROMIUM_PATH_VARIABLE] = saved;
});

describe("the Chromium the browser tests launch", () => {
  it("is, without CHROMIUM_PATH, the npm package's, with the libraries it ships", () => {
    delete process.env[CHROMIUM_PATH_VARIABLE];
    const setup = chromiumSetup();
    expect(setup.executablePath.startsWith(`${NODE_MODULES}${path.sep}`)).toBe(true);
    expect(setup.description).toMatch(/^Chromium from @sparticuz\/chromium \d+\.\d+\.\d+$/);
    expect(setup.npmMajor).toBeGreaterThanOrEqual(100);
    const libraries = setup.env.LD_LIBRARY_PATH!.split(":")[0]!;
    expect(libraries.startsWith(`${NODE_MODULES}${path.sep}`)).toBe(true);
    expect(readFileSync(path.join(libraries, "libnss3.so")).length).toBeGreaterThan(0);
  });

  it("shows pages only the fonts npm installs, whichever browser runs", () => {
    process.env[CHROMIUM_PATH_VARIABLE] = process.execPath;
    const conf = readFileSync(path.join(chromiumSetup().env.FONTCONFIG_PATH!, "fonts.conf"), "utf8");
    const dirs = [...conf.matchAll(/<dir>([^<]+)<\/dir>/g)].map((m) => m[1]!);
    expect(dirs).toHaveLength(2);
    for (const dir of dirs) expect(dir.startsWith(`${NODE_MODULES}${path.sep}`)).toBe(true);
    expect(conf).not.toMatch(/<include|\/usr\/share\/fonts|\/etc\/fonts/);
  });

  it("is the executable CHROMIUM_PATH names, when set", () => {
    process.env[CHROMIUM_PATH_VARIABLE] = process.execPath;
    const setup = chromiumSetup();
    expect(setup.executablePath).toBe(process.execPath);
    expect(setup.npmMajor).toBeUndefined();
    expect(setup.env.LD_LIBRARY_PATH).toBe(process.env.LD_LIBRARY_PATH);
  });

  it("fails, saying so, when CHROMIUM_PATH names no executable", () => {
    process.env[CHROMIUM_PATH_VARIABLE] = "/nonexistent/chromium";
    expect(() => chromiumSetup()).toThrow("CHROMIUM_PATH=/nonexistent/chromium does not name an executable Chromium");
    process.env[CHROMIUM_PATH_VARIABLE] = __dirname;
    expect(() => chromiumSetup()).toThrow(`CHROMIUM_PATH=${__dirname} does not name an executable Chromium`);
  });
});
