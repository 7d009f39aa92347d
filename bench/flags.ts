/** The benchmarks' flag shape, parsed one way for every suite. */
export interface FlagSchema<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }> } };
}

/** Parses `--name=value` flags with a suite's zod schema; any other argument or a bad value names the usage. */
export function parseFlags<T>(args: readonly string[], schema: FlagSchema<T>, usage: string): T {
  const raw: Record<string, string> = {};
  for (const a of args) {
    const m = /^--([a-z-]+)=(.*)$/.exec(a);
    if (!m) throw new Error(`Unknown argument ${a}. Usage: ${usage}`);
    raw[m[1]!] = m[2]!;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Error(`Bad flags: ${parsed.error.issues.map((i) => `--${i.path.map(String).join(".")}: ${i.message}`).join("; ")}. Usage: ${usage}`);
  return parsed.data;
}
