import { z } from "zod";
import { isGuid } from "../../core/model/ids";

/** The environment as Node gives it. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The set settings: empty values count as unset, so a copied .env.sample with blanks gives the defaults. */
export function present(env: Env): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ""));
}

/** A setting that must be a GUID, with what it should be. */
export const guid = (message: string) => z.string().refine(isGuid, message);

/** true/false (also 1/0, yes/no). */
export const flag = z.enum(["true", "false", "1", "0", "yes", "no"], { message: "must be true or false" }).transform((v) => ["true", "1", "yes"].includes(v));

/** A comma-separated list of group object ids. */
export const guidList = z
  .string()
  .transform((s) => s.split(",").map((x) => x.trim()).filter((x) => x.length > 0))
  .refine((ids) => ids.every(isGuid), "must be a comma-separated list of group object ids (GUIDs)");

/** Reports one problem with one setting. */
export type Problem = (name: string, message: string) => void;

/**
 * A section's rules across its settings (a credential needs its pair, a mode forbids a secret), run even when
 * other settings of the section are invalid, so one start names every problem. `valid(name)` says whether a
 * setting parsed: a rule never builds on a bad value. Use as `.superRefine(...acrossSettings(rule))`.
 */
export function acrossSettings<T extends object>(
  rule: (value: Partial<T>, valid: (name: keyof T & string) => boolean, problem: Problem) => void,
): [(value: T, refinement: z.RefinementCtx<T>) => void, { when: (payload: { value: unknown; issues: ReadonlyArray<{ path?: PropertyKey[] }> }) => boolean }] {
  const invalid = new WeakMap<object, Set<string>>();
  return [
    (value, refinement) => {
      const bad = invalid.get(value) ?? new Set<string>();
      rule(value, (name) => !bad.has(name), (name, message) => refinement.addIssue({ code: "custom", path: [name], message }));
    },
    {
      // Runs the rule whatever else failed, remembering which settings did.
      when: (payload) => {
        if (typeof payload.value === "object" && payload.value !== null) invalid.set(payload.value, new Set(payload.issues.map((i) => String(i.path?.[0]))));
        return typeof payload.value === "object" && payload.value !== null;
      },
    },
  ];
}
