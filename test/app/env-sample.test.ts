import { readFileSync } from "node:fs";
import path from "node:path";
import { SETTING_NAMES } from "../../app/settings/read-settings";
import { PackageEnvSchema } from "../../manifest/package-settings";

/** Settings read outside a section schema: by the entry points themselves. */
const ENTRY_SETTINGS = ["PACKAGE_OUT"];

describe(".env.sample", () => {
  const lines = readFileSync(path.join(__dirname, "..", "..", ".env.sample"), "utf8").split("\n");
  const settings = lines.map((line, i) => ({ line, i, m: /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line) })).filter((x) => x.m !== null);

  it("lists every setting Rewind reads, once each, and no other", () => {
    const schemaKeys = [...SETTING_NAMES, ...Object.keys(PackageEnvSchema.shape)];
    const read = new Set([...schemaKeys, ...ENTRY_SETTINGS]);
    const listed = settings.map((s) => s.m![1]!);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...new Set(listed)].sort()).toEqual([...read].sort());
  });

  it("gives each setting a one-line comment just above it", () => {
    for (const { line, i } of settings) {
      const above = lines[i - 1] ?? "";
      expect({ line, above: /^# \S/.test(above) && above.length > 12 }).toEqual({ line, above: true });
    }
  });
});
