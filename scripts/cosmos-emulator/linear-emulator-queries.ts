import makeQuery from "@zeit/cosmosdb-query";
import { copiesAccumulator, linearQueryCode } from "./linear-query-code";

/** The member of the engine's helpers this replaces, as @zeit/cosmosdb-query 0.7.2 defines it. */
interface QueryHelpers {
  stripUndefined(value: unknown): unknown;
}

// The helpers object each compiled query receives as `$h`; its own functions call `exports.stripUndefined`,
// so replacing the property replaces it for them too.
const helpers = require("@zeit/cosmosdb-query/lib/helpers") as QueryHelpers;

const APPLIED = Symbol.for("rewind.linearEmulatorQueries");

/**
 * Makes the Cosmos test server's queries cost linear time in the container's size instead of quadratic
 * (see linear-query-code.ts), and `stripUndefined` linear in an array's length (it also copied its
 * accumulator per element, which made every large page and every document with a long array quadratic).
 * Rows, order, paging and errors are unchanged; test/contract/cosmos-emulator-queries.test.ts compares them
 * with the untouched engine. Call before the server answers its first query; calling again does nothing.
 */
export function makeEmulatorQueriesLinear(): void {
  const prototype = Object.getPrototypeOf(makeQuery("SELECT * FROM c")) as Record<PropertyKey, unknown>;
  if (prototype[APPLIED] === true) return;
  const descriptor = Object.getOwnPropertyDescriptor(prototype, "code");
  const compile = descriptor?.get;
  if (compile === undefined) throw new Error("@zeit/cosmosdb-query has no `code` getter to wrap: check its version (0.7.2 expected).");
  Object.defineProperty(prototype, "code", {
    configurable: true,
    get(this: { _code: string | null | undefined }): string {
      const code = linearQueryCode(compile.call(this) as string);
      this._code = code;
      return code;
    },
  });
  helpers.stripUndefined = stripUndefined;
  prototype[APPLIED] = true;
}

/** Whether a query, as the (patched) engine compiles it, still copies its accumulator per row. */
export function compilesQuadratic(sql: string): boolean {
  return copiesAccumulator(makeQuery(sql).code);
}

/** The engine's `stripUndefined` (JSON's view of a result: no undefined members or elements), in one pass. */
function stripUndefined(value: unknown): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const element of value) if (element !== undefined) out.push(stripUndefined(element));
    return out;
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) if (member !== undefined) out[key] = stripUndefined(member);
    return out;
  }
  return value;
}
