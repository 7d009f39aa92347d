/**
 * `npm run package`: writes the Teams app package manifest/build/rewind.zip from manifest/ and the settings
 * (BOT_ID, APP_WEBSITE_URL, and the optional APP_* names; from the environment or .env). Upload the zip in
 * Teams (Apps → Manage your apps → Upload an app) or the Teams admin center.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { loadEnvFile } from "../app/env-file";
import { buildAppPackage } from "../manifest/app-package";
import { packageSettingsFromEnv } from "../manifest/package-settings";

async function main(): Promise<void> {
  loadEnvFile();
  const settings = packageSettingsFromEnv(process.env);
  const { zip, manifest } = await buildAppPackage(settings);
  const out = path.resolve(process.env.PACKAGE_OUT ?? path.join(__dirname, "..", "manifest", "build", "rewind.zip"));
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, zip);
  const name = (manifest.name as { short: string }).short;
  process.stdout.write(`${out} written (${zip.length} bytes): "${name}" ${settings.APP_VERSION}, app id ${settings.TEAMS_APP_ID}, bot ${settings.BOT_ID}. The manifest validates.\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`No package written: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
