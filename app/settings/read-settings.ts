import { z } from "zod";
import { BOT_SETTING_NAMES, botEnv, botSection, type BotSettingsOptions } from "./bot-env";
import { EngineEnv, engineSection } from "./engine-env";
import type { Env } from "./env-fields";
import { parseSections } from "./parse-sections";
import { GRAPH_SETTING_NAMES, GraphEnv, graphSection } from "./graph-env";
import { LogEnv, ProcessEnv } from "./process-env";
import type { AppSettings, ServeSettings } from "./settings";
import { CosmosEnv, StoreEnv, storeSection } from "./store-env";
import { TenantEnv, tenantSection } from "./tenant-env";

/**
 * The one pass over the environment: every section's zod schema over the same values, all at once, so one
 * error names every problem of every section. The Cosmos section is read only when STORE=cosmos, Graph's only
 * for `npm run serve` (tests and the demo hand the app a gateway of their own).
 */
function parse(env: Env, options: { readonly graph: boolean } & BotSettingsOptions): ServeSettings | AppSettings {
  const s = parseSections(
    {
      log: LogEnv,
      tenant: TenantEnv,
      graph: options.graph ? GraphEnv : z.unknown(),
      engine: EngineEnv,
      bot: botEnv(options),
      process: ProcessEnv,
      store: StoreEnv,
      cosmos: env.STORE === "cosmos" ? CosmosEnv : z.unknown(),
    },
    env,
  );
  const tenant = tenantSection(s.tenant);
  const common: AppSettings = {
    tenant,
    log: { level: s.log.LOG_LEVEL },
    process: { shutdownMs: s.process.SHUTDOWN_SECONDS * 1000 },
    engine: engineSection(s.engine, tenant),
    bot: botSection(s.bot, tenant),
    store: storeSection(s.store, env.STORE === "cosmos" ? (s.cosmos as z.output<typeof CosmosEnv>) : undefined),
  };
  return options.graph ? { ...common, graph: graphSection(s.graph as z.output<typeof GraphEnv>, tenant) } : common;
}

/**
 * Every setting of `npm run serve`, read and checked once: the typed sections app/ hands to each part, or one
 * SettingsError naming each missing or invalid setting. Nothing is opened or started before this returns.
 */
export function readServeSettings(env: Env): ServeSettings {
  return parse(env, { graph: true }) as ServeSettings;
}

/** The settings of the app without Graph's (tests and `npm start` bring their own gateway); local mode if allowed. */
export function readAppSettings(env: Env, options: BotSettingsOptions = {}): AppSettings {
  return parse(env, { graph: false, ...options });
}

/** Every environment variable the sections read (the .env.sample lists each). */
export const SETTING_NAMES: readonly string[] = [
  ...Object.keys(LogEnv.shape),
  ...Object.keys(TenantEnv.shape),
  ...GRAPH_SETTING_NAMES,
  ...Object.keys(EngineEnv.shape),
  ...BOT_SETTING_NAMES,
  ...Object.keys(ProcessEnv.shape),
  ...Object.keys(StoreEnv.shape),
  ...Object.keys(CosmosEnv.shape),
];
