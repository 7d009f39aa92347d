import type { BotConfig } from "../../bot/bot-config";
import type { EngineConfig } from "../../core/engine-config";
import type { CosmosSettings } from "../../core/store/cosmos/cosmos-config";
import { botEnv, botSection, type BotSettingsOptions } from "./bot-env";
import { EngineEnv, engineSection } from "./engine-env";
import type { Env } from "./env-fields";
import { parseSections } from "./parse-sections";
import { cosmosSection, CosmosEnv } from "./store-env";
import { TenantEnv, tenantSection } from "./tenant-env";

/*
 * One section on its own, with the same schemas as the one pass (read-settings.ts): for tests and tools that
 * build one part (an engine on a test store, the bot's transport) without a whole environment.
 */

/** The engine's configuration alone (defaults for whatever is unset). */
export function engineConfigFromEnv(env: Env): EngineConfig {
  const s = parseSections({ engine: EngineEnv }, env);
  return engineSection(s.engine, { id: "" }).config;
}

/** The bot's section alone, with TENANT_ID. */
export function botConfigFromEnv(env: Env, options: BotSettingsOptions = {}): BotConfig {
  const s = parseSections({ tenant: TenantEnv, bot: botEnv(options) }, env);
  return botSection(s.bot, tenantSection(s.tenant));
}

/** The Cosmos DB section alone (as if STORE=cosmos). */
export function cosmosSettingsFromEnv(env: Env): CosmosSettings {
  return cosmosSection(parseSections({ cosmos: CosmosEnv }, env).cosmos);
}
