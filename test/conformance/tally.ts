/** The conformance tally: distinct request shapes, answer types checked, violations (one example each). */
import { z } from "zod";
import { violationKey, formatViolation, type Violation } from "./violation";

const ViolationSchema = z.object({ rule: z.string(), method: z.string(), pattern: z.string(), property: z.string().optional(), detail: z.string(), example: z.string().optional() });

/** A tally as written to and read from the run folder. */
export const TallyFile = z.object({ shapes: z.array(z.string()), types: z.array(z.string()), violations: z.array(ViolationSchema), refused: z.array(ViolationSchema), unchecked: z.array(z.string()) });
export type TallyFile = z.infer<typeof TallyFile>;

/** Accumulates findings, deduplicating shapes, types and violations. */
export class Tally {
  readonly shapes = new Set<string>();
  readonly types = new Set<string>();
  readonly violations = new Map<string, Violation>();
  /** Wrong requests the simulator refused with a 4xx (see ExchangeFindings.refused). */
  readonly refused = new Map<string, Violation>();
  /** Request shapes not checked (`/beta`: the fixture is v1.0's). */
  readonly unchecked = new Set<string>();

  add(f: { shapes?: Iterable<string>; types?: Iterable<string>; violations?: Iterable<Violation>; refused?: Iterable<Violation>; unchecked?: Iterable<string> }): void {
    for (const u of f.unchecked ?? []) this.unchecked.add(u);
    for (const s of f.shapes ?? []) this.shapes.add(s);
    for (const t of f.types ?? []) this.types.add(t);
    for (const v of f.violations ?? []) if (!this.violations.has(violationKey(v))) this.violations.set(violationKey(v), v);
    for (const v of f.refused ?? []) if (!this.refused.has(violationKey(v))) this.refused.set(violationKey(v), v);
  }

  toFile(): TallyFile {
    return { shapes: [...this.shapes], types: [...this.types], violations: [...this.violations.values()], refused: [...this.refused.values()], unchecked: [...this.unchecked] };
  }

  /** The line every run prints, then each violation. */
  summary(): string {
    const lines = [`Graph conformance: ${this.shapes.size} distinct request shapes, ${this.types.size} response types checked, ${this.violations.size} violations`];
    const sorted = [...this.violations.values()].sort((a, b) => violationKey(a).localeCompare(violationKey(b)));
    for (const v of sorted) lines.push(`  ${formatViolation(v)}`);
    if (this.refused.size > 0) lines.push(`  (${this.refused.size} distinct wrong requests were refused with a 4xx as Graph refuses them; not counted. GRAPH_CONFORMANCE_VERBOSE=1 lists them)`);
    if (this.unchecked.size > 0) lines.push(`  (not checked, the schema is v1.0's: ${[...this.unchecked].sort().join("; ")})`);
    if (process.env["GRAPH_CONFORMANCE_VERBOSE"] === "1") for (const v of this.refused.values()) lines.push(`  refused: ${formatViolation(v)}`);
    return lines.join("\n");
  }
}
