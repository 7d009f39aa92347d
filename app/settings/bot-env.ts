import { z } from "zod";
import { isLoopback, type BotAuth, type BotConfig } from "../../bot/bot-config";
import { acrossSettings, guid } from "./env-fields";
import type { TenantSettings } from "./tenant-env";

const Fields = z.object({
  BOT_HOST: z.string().min(1).default("127.0.0.1"),
  BOT_PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  /** The Azure Bot's app id. Required unless the caller allows local mode. */
  BOT_ID: guid("must be the Azure Bot's Microsoft App ID (a GUID)").optional(),
  BOT_PASSWORD: z.string().optional(),
  BOT_TYPE: z.enum(["SingleTenant", "UserAssignedMSI"], { message: "must be SingleTenant or UserAssignedMSI" }).default("SingleTenant"),
  ALERTS_CONVERSATION_ID: z.string().min(1).optional(),
  CARD_UPDATE_SECONDS: z.coerce.number().min(1).max(3600).default(15),
});
type Fields = z.output<typeof Fields>;

/** How the caller runs the bot. */
export interface BotSettingsOptions {
  /**
   * Allows local mode: no BOT_ID means no Bot Framework authentication, on loopback only. Only the simulator
   * demo (`npm start`) and the tests ask for it; production never infers it from an empty BOT_ID, since then
   * anything that reaches loopback could act as any admin by naming their object id.
   */
  readonly allowLocalMode?: boolean;
}

/**
 * The bot's settings (see .env.sample). BOT_ID is required unless the caller allows local mode; local mode is
 * refused unless the server listens on loopback only; the password goes with SingleTenant only.
 */
export function botEnv(options: BotSettingsOptions = {}) {
  return Fields.superRefine(
    ...acrossSettings<Fields>((e, valid, problem) => {
      if (!valid("BOT_ID")) return;
      if (e.BOT_ID === undefined) {
        if (!options.allowLocalMode) {
          problem(
            "BOT_ID",
            "is not set; Rewind checks every request's Bot Framework token, so it needs the Azure Bot's Microsoft App ID (with BOT_PASSWORD, or BOT_TYPE=UserAssignedMSI). Unauthenticated local mode is only for npm start",
          );
        } else if (valid("BOT_HOST") && e.BOT_HOST !== undefined && !isLoopback(e.BOT_HOST)) {
          problem("BOT_HOST", `local mode (no BOT_ID) has no authentication, so it only listens on loopback (127.0.0.1), not ${e.BOT_HOST}; set BOT_ID and BOT_PASSWORD to serve Teams`);
        }
        return;
      }
      if (!valid("BOT_TYPE")) return;
      if (e.BOT_TYPE === "SingleTenant" && !e.BOT_PASSWORD) problem("BOT_PASSWORD", "required for a SingleTenant bot (the Azure Bot's client secret)");
      if (e.BOT_TYPE === "UserAssignedMSI" && e.BOT_PASSWORD) problem("BOT_PASSWORD", "must be empty for UserAssignedMSI (the managed identity has no secret)");
    }),
  );
}

/** The bot section of parsed settings, serving the tenant. */
export function botSection(e: z.output<ReturnType<typeof botEnv>>, tenant: TenantSettings): BotConfig {
  const auth: BotAuth =
    e.BOT_ID === undefined
      ? { mode: "local" }
      : e.BOT_TYPE === "SingleTenant"
        ? { mode: "SingleTenant", appId: e.BOT_ID, password: e.BOT_PASSWORD ?? "", tenantId: tenant.id }
        : { mode: "UserAssignedMSI", appId: e.BOT_ID, tenantId: tenant.id };
  return {
    host: e.BOT_HOST,
    port: e.BOT_PORT,
    auth,
    tenantId: tenant.id,
    ...(e.ALERTS_CONVERSATION_ID ? { alertsConversationId: e.ALERTS_CONVERSATION_ID } : {}),
    cardUpdateMs: e.CARD_UPDATE_SECONDS * 1000,
  };
}

/** Every setting name this section reads. */
export const BOT_SETTING_NAMES = Object.keys(Fields.shape);
