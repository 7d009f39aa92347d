import { settingProblem } from "../../core/model/settings-error";

/** Why Rewind will not start: every missing or invalid setting, each named once (never a secret's value). */
export class SettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    const count = problems.length === 1 ? "a problem" : `${problems.length} problems`;
    super(`Rewind's settings have ${count} (see .env.sample):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "SettingsError";
  }
}

/** The settings problems of a failed parse of the sections: "NAME: what is wrong", each once, in order. */
export function problemsOf(issues: ReadonlyArray<Parameters<typeof settingProblem>[0]>): string[] {
  // Each section parses the whole environment: drop the section's name from the path.
  const named = issues.map((issue) => settingProblem({ ...issue, path: issue.path.slice(1) }));
  return [...new Set(named)];
}
