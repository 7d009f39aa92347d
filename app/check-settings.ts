import { z } from "zod";
import { botConfigFromEnv } from "../bot/bot-config";
import { engineConfigFromEnv } from "../core/engine-config";
import { graphSettingsFromEnv } from "../core/graph/graph-config";
import { InvalidSettingsError } from "../core/model/settings-error";
import { cosmosSettingsFromEnv } from "../core/store/cosmos/cosmos-config";
import { StoreKindSchema } from "./open-store";
import { shutdownDeadlineFromEnv } from "./shutdown";

type Env = Readonly<Record<string, string | undefined>>;

const LogLevelSchema = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);

/** Why Rewind will not start: every missing or invalid setting, each named once (never a secret's value). */
export class SettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    const count = problems.length === 1 ? "a problem" : `${problems.length} problems`;
    super(`Rewind's settings have ${count} (see .env.sample):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "SettingsError";
  }
}

/**
 * Checks every setting of the production entry at once, each section with its own zod schema, so one start
 * names every problem instead of one per attempt. Throws a SettingsError; returns when all is well.
 */
export function checkSettings(env: Env): void {
  const problems: string[] = [];
  const add = (problem: string): void => {
    if (!problems.includes(problem)) problems.push(problem); // TENANT_ID is in two sections: name it once
  };
  const section = (read: () => unknown): void => {
    try {
      read();
    } catch (err) {
      if (err instanceof InvalidSettingsError) err.problems.forEach(add);
      else add(err instanceof Error ? err.message : String(err));
    }
  };
  const value = (name: string): string | undefined => (env[name] === "" ? undefined : env[name]);
  const logLevel = value("LOG_LEVEL");
  if (logLevel !== undefined && !LogLevelSchema.safeParse(logLevel).success) add(`LOG_LEVEL: must be one of ${LogLevelSchema.options.join(", ")}`);
  section(() => graphSettingsFromEnv(env));
  section(() => engineConfigFromEnv(env));
  section(() => botConfigFromEnv(env));
  section(() => shutdownDeadlineFromEnv(env));
  const store = value("STORE");
  if (store !== undefined && !StoreKindSchema.safeParse(store).success) add("STORE: must be sqlite or cosmos");
  if (store === "cosmos") section(() => cosmosSettingsFromEnv(env));
  if (problems.length > 0) throw new SettingsError(problems);
}
