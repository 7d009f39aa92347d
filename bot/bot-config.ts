import { isIP } from "node:net";
import { z } from "zod";
import { InvalidSettingsError, settingProblem } from "../core/model/settings-error";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The bot's environment settings (see .env.sample). */
export const BotEnvSchema = z.object({
  BOT_HOST: z.string().min(1).default("127.0.0.1"),
  BOT_PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  /** The Azure Bot's app id. Required unless the caller asks for local mode (see botConfigFromEnv). */
  BOT_ID: z.union([z.literal(""), z.string().regex(GUID, "must be the Azure Bot's Microsoft App ID (a GUID)")]).default(""),
  BOT_PASSWORD: z.string().optional(),
  BOT_TYPE: z.enum(["SingleTenant", "UserAssignedMSI"], { message: "must be SingleTenant or UserAssignedMSI" }).default("SingleTenant"),
  TENANT_ID: z.string().regex(GUID, "must be the tenant's GUID"),
  ALERTS_CONVERSATION_ID: z.string().min(1).optional(),
  CARD_UPDATE_SECONDS: z.coerce.number().min(1).max(3600).default(15),
});

/** How the bot authenticates Bot Framework traffic. */
export type BotAuth =
  | { readonly mode: "local" }
  | { readonly mode: "SingleTenant"; readonly appId: string; readonly password: string; readonly tenantId: string }
  | { readonly mode: "UserAssignedMSI"; readonly appId: string; readonly tenantId: string };

/** The bot's settings, parsed. */
export interface BotConfig {
  readonly host: string;
  readonly port: number;
  readonly auth: BotAuth;
  /** The only tenant whose turns are served (`conversation.tenantId`); turns from any other tenant are refused. */
  readonly tenantId: string;
  /** A conversation (e.g. a team channel) that receives every completion and failure. */
  readonly alertsConversationId?: string;
  /** At most one in-place update per card per this many milliseconds (Teams' rate limits; issue 4: 15 s). */
  readonly cardUpdateMs: number;
}

/** Whether a host name or address is the loopback interface. */
export function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1";
}

/** How the caller runs the bot. */
export interface BotConfigOptions {
  /**
   * Allows local mode: no BOT_ID means no Bot Framework authentication, on loopback only. Only the simulator
   * demo (`npm start`) and the tests ask for it; production never infers it from an empty BOT_ID, since then
   * anything that reaches loopback could act as any admin by naming their object id.
   */
  readonly allowLocalMode?: boolean;
}

/**
 * Reads the bot settings. One error names every missing or invalid setting; secrets never appear in it.
 * BOT_ID is required unless the caller allows local mode; local mode is refused unless the server listens on
 * loopback only.
 */
export function botConfigFromEnv(env: Readonly<Record<string, string | undefined>>, options: BotConfigOptions = {}): BotConfig {
  const parsed = BotEnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== "")));
  const problems = parsed.success ? [] : parsed.error.issues.map(settingProblem);
  if (!options.allowLocalMode && !env.BOT_ID) {
    problems.push(
      "BOT_ID: is not set; Rewind checks every request's Bot Framework token, so it needs the Azure Bot's Microsoft App ID (with BOT_PASSWORD, or BOT_TYPE=UserAssignedMSI). Unauthenticated local mode is only for npm start",
    );
  }
  if (parsed.success && problems.length === 0) {
    const e = parsed.data;
    if (e.BOT_ID === "" && !isLoopback(e.BOT_HOST)) {
      problems.push(`BOT_HOST: local mode (no BOT_ID) has no authentication, so it only listens on loopback (127.0.0.1), not ${e.BOT_HOST}; set BOT_ID and BOT_PASSWORD to serve Teams`);
    }
    if (e.BOT_ID !== "" && e.BOT_TYPE === "SingleTenant" && !e.BOT_PASSWORD) problems.push("BOT_PASSWORD: required for a SingleTenant bot (the Azure Bot's client secret)");
    if (e.BOT_ID !== "" && e.BOT_TYPE === "UserAssignedMSI" && e.BOT_PASSWORD) problems.push("BOT_PASSWORD: must be empty for UserAssignedMSI (the managed identity has no secret)");
    if (problems.length === 0) {
      const auth: BotAuth =
        e.BOT_ID === ""
          ? { mode: "local" }
          : e.BOT_TYPE === "SingleTenant"
            ? { mode: "SingleTenant", appId: e.BOT_ID, password: e.BOT_PASSWORD ?? "", tenantId: e.TENANT_ID }
            : { mode: "UserAssignedMSI", appId: e.BOT_ID, tenantId: e.TENANT_ID };
      return {
        host: e.BOT_HOST,
        port: e.BOT_PORT,
        auth,
        tenantId: e.TENANT_ID.toLowerCase(),
        ...(e.ALERTS_CONVERSATION_ID ? { alertsConversationId: e.ALERTS_CONVERSATION_ID } : {}),
        cardUpdateMs: e.CARD_UPDATE_SECONDS * 1000,
      };
    }
  }
  throw new InvalidSettingsError("bot", problems);
}
