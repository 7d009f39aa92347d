import type { BotConfig } from "../../bot/bot-config";
import type { GraphConfig } from "../../core/graph/graph-config";
import type { EngineSettings } from "./engine-env";
import type { LogSettings, ProcessSettings } from "./process-env";
import type { StoreSettings } from "./store-env";
import type { TenantSettings } from "./tenant-env";

/** Rewind's settings in typed sections, read once; app/ hands each part its own section. */
export interface AppSettings {
  /** TENANT_ID: the one tenant, copied into the sections that need it. */
  readonly tenant: TenantSettings;
  readonly log: LogSettings;
  readonly process: ProcessSettings;
  readonly engine: EngineSettings;
  readonly bot: BotConfig;
  readonly store: StoreSettings;
}

/** `npm run serve`'s settings: the app's, and how to reach and sign in to Microsoft Graph. */
export interface ServeSettings extends AppSettings {
  readonly graph: GraphConfig;
}
