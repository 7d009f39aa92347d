import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { parseSettings } from "../core/model/settings-error";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const httpsUrl = z.string().url("must be a URL").startsWith("https://", "must be an https URL").max(2048);

/** The settings `npm run package` fills into the manifest (see .env.sample, "Teams app package"). */
export const PackageEnvSchema = z.object({
  BOT_ID: z.string().regex(GUID, "must be the Azure Bot's Microsoft App ID (a GUID)"),
  TEAMS_APP_ID: z.string().regex(GUID, "must be a GUID (the Teams app's id)").optional(),
  APP_NAME_SHORT: z.string().min(1).max(30, "must be at most 30 characters").default("Rewind"),
  APP_NAME_FULL: z.string().min(1).max(100, "must be at most 100 characters").default("Rewind: Entra ID backup and recovery"),
  APP_VERSION: z.string().regex(/^\d+\.\d+\.\d+$/, "must be a version such as 1.0.0").optional(),
  APP_DEVELOPER_NAME: z.string().min(1).max(32, "must be at most 32 characters").default("Rewind"),
  APP_WEBSITE_URL: httpsUrl,
  APP_PRIVACY_URL: httpsUrl.optional(),
  APP_TERMS_URL: httpsUrl.optional(),
});

/** What the manifest template's `{{NAME}}` placeholders are filled with. */
export type PackageSettings = Readonly<Record<
  "BOT_ID" | "TEAMS_APP_ID" | "APP_NAME_SHORT" | "APP_NAME_FULL" | "APP_VERSION" | "APP_DEVELOPER_NAME" | "APP_WEBSITE_URL" | "APP_PRIVACY_URL" | "APP_TERMS_URL",
  string
>>;

/**
 * Reads the package settings; one error names every missing or invalid one. The Teams app id defaults to the
 * bot's id (one id to track), the version to package.json's, privacy and terms to pages of the website.
 */
export function packageSettingsFromEnv(env: Readonly<Record<string, string | undefined>>): PackageSettings {
  const e = parseSettings(PackageEnvSchema, env, "Teams app package");
  const site = e.APP_WEBSITE_URL.replace(/\/+$/, "");
  return {
    BOT_ID: e.BOT_ID,
    TEAMS_APP_ID: e.TEAMS_APP_ID ?? e.BOT_ID,
    APP_NAME_SHORT: e.APP_NAME_SHORT,
    APP_NAME_FULL: e.APP_NAME_FULL,
    APP_VERSION: e.APP_VERSION ?? packageVersion(),
    APP_DEVELOPER_NAME: e.APP_DEVELOPER_NAME,
    APP_WEBSITE_URL: e.APP_WEBSITE_URL,
    APP_PRIVACY_URL: e.APP_PRIVACY_URL ?? `${site}/privacy`,
    APP_TERMS_URL: e.APP_TERMS_URL ?? `${site}/terms`,
  };
}

function packageVersion(): string {
  const pkg = z.object({ version: z.string() }).parse(JSON.parse(readFileSync(path.join(__dirname, "..", "package.json"), "utf8")));
  return pkg.version;
}
