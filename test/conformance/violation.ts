/** A conformance violation: which rule, on which request shape, about which property, and what was seen. */
export interface Violation {
  /** Rule id, e.g. `request.path`, `request.body.readOnly`, `response.value.type`. */
  rule: string;
  method: string;
  /** The path with keys as `{id}`. */
  pattern: string;
  /** The property (dotted path inside a body) the violation is about, when there is one. */
  property?: string;
  /** What was wrong, in words, with the offending value or name. */
  detail: string;
  /** One request that showed it: method, path and query as sent. */
  example?: string;
}

/** The key two violations share when they are the same finding (examples differ). */
export function violationKey(v: Violation): string {
  return `${v.rule} ${v.method} ${v.pattern} ${v.property ?? ""}`;
}

/** One line for a violation, as the summary lists it. */
export function formatViolation(v: Violation): string {
  return `[${v.rule}] ${v.method} ${v.pattern}${v.property ? ` ${v.property}` : ""}: ${v.detail}${v.example ? ` (e.g. ${v.example})` : ""}`;
}
