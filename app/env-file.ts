import { existsSync } from "node:fs";

/**
 * Loads the settings file into process.env (variables already set win over it): REWIND_ENV_FILE, or ./.env
 * when present. A named file that does not exist is an error; a missing ./.env is not (the environment may
 * hold everything).
 */
export function loadEnvFile(): void {
  const named = process.env.REWIND_ENV_FILE;
  if (named !== undefined && named !== "" && !existsSync(named)) throw new Error(`REWIND_ENV_FILE: ${named} does not exist.`);
  const file = named !== undefined && named !== "" ? named : ".env";
  if (existsSync(file)) process.loadEnvFile(file);
}
