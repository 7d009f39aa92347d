/**
 * Settings that are missing or invalid: the section's message (what tests and logs have always seen) plus each
 * problem as "NAME: what is wrong", so a caller checking every section can name each setting once.
 */
export class InvalidSettingsError extends Error {
  constructor(
    section: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid ${section} settings: ${problems.join("; ")}.`);
    this.name = "InvalidSettingsError";
  }
}

/** One zod issue of an environment schema as "NAME: what is wrong" ("is not set" when it is missing). */
export function settingProblem(issue: { readonly path: readonly PropertyKey[]; readonly code: string; readonly message: string }): string {
  const name = issue.path.map(String).join(".") || "settings";
  if (issue.code === "invalid_type" && /received undefined$/.test(issue.message)) return `${name}: is not set`;
  if (issue.code === "invalid_type" && /expected number, received NaN$/.test(issue.message)) return `${name}: must be a number`;
  return `${name}: ${issue.message}`;
}

/**
 * Parses a section's settings: empty values count as unset (so a copied .env.sample with blanks gives the
 * defaults), and a failure throws one InvalidSettingsError naming each bad setting.
 */
export function parseSettings<T>(
  schema: { safeParse(input: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<Parameters<typeof settingProblem>[0]> } } },
  env: Readonly<Record<string, string | undefined>>,
  section: string,
): T {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== "")));
  if (!parsed.success) throw new InvalidSettingsError(section, parsed.error.issues.map(settingProblem));
  return parsed.data;
}
