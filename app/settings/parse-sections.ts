import { z } from "zod";
import { present, type Env } from "./env-fields";
import { problemsOf, SettingsError } from "./settings-error";

/**
 * Parses sections of settings in one zod pass: each section's schema reads the same (set) values, and a
 * failure is one SettingsError naming every problem of every section, each once.
 */
export function parseSections<S extends z.ZodRawShape>(shape: S, env: Env): z.output<z.ZodObject<S>> {
  const values = present(env);
  const parsed = z.object(shape).safeParse(Object.fromEntries(Object.keys(shape).map((k) => [k, values])));
  if (!parsed.success) throw new SettingsError(problemsOf(parsed.error.issues));
  return parsed.data;
}
