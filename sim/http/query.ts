import { badRequest, unknownProperty, unsupportedQuery } from "./errors";
import { isGuid } from "../tenant/ids";

/**
 * Graph's page-size limits for directory lists: 100 by default (https://learn.microsoft.com/graph/paging), and
 * `$top` from 1 to 999 (Graph answers 1000 with "Must be between 1 and 999 inclusive":
 * https://learn.microsoft.com/en-us/answers/questions/1129204/microsoft-graph-api-get-users-doesnt-pull-all-entr).
 */
export const MAX_PAGE = 999;
export const DEFAULT_PAGE = 100;

/** Query options the simulator understands; any other `$` option is refused like an unsupported query. */
const KNOWN = new Set(["$select", "$top", "$filter", "$expand", "$skiptoken", "$deltatoken", "$count", "$format"]);

export function checkQueryOptions(q: URLSearchParams): void {
  for (const k of q.keys()) {
    if (k.startsWith("$") && !KNOWN.has(k.toLowerCase())) throw unsupportedQuery(`Query option '${k}' is not supported for this request.`);
  }
}

/** `$select` as a list, checked against the properties of the type. */
export function parseSelect(raw: string | null, allowed: ReadonlySet<string>, odataType: string): string[] | undefined {
  if (raw === null) return undefined;
  const names = raw.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length === 0) throw badRequest("Invalid $select: an empty list.");
  for (const n of names) if (!allowed.has(n)) throw unknownProperty(n, odataType);
  return [...new Set(names)];
}

/** `$top` within 1..999. */
export function parseTop(raw: string | null): number | undefined {
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(n) || n < 1 || n > MAX_PAGE) {
    throw unsupportedQuery(`Invalid page size specified: '${raw}'. Must be between 1 and ${MAX_PAGE} inclusive.`);
  }
  return n;
}

/** The filters supported: on the id (`eq`, `in`, or `eq` joined by `or`), or `clientId eq` for grants. */
export type Filter = { property: string; values: string[] };

/** Graph caps OR-ed and `in` clauses of a directory filter at 15. */
export const MAX_FILTER_VALUES = 15;

const EQ = /^\s*([A-Za-z]+)\s+eq\s+'([^']*)'\s*$/;
const IN = /^\s*([A-Za-z]+)\s+in\s+\(([^)]*)\)\s*$/;

export function parseFilter(raw: string | null, properties: readonly string[], resource: string): Filter | undefined {
  if (raw === null) return undefined;
  let property: string | undefined;
  const values: string[] = [];
  const inMatch = IN.exec(raw);
  if (inMatch) {
    property = inMatch[1];
    for (const part of (inMatch[2] ?? "").split(",")) {
      const m = /^\s*'([^']*)'\s*$/.exec(part);
      if (!m) throw unsupportedQuery(`Invalid filter clause: '${raw}'.`);
      values.push(m[1] ?? "");
    }
  } else {
    for (const clause of raw.split(/\s+or\s+/i)) {
      const m = EQ.exec(clause);
      if (!m || (property !== undefined && m[1] !== property)) {
        throw unsupportedQuery(`Unsupported or invalid query filter clause specified for resource '${resource}'.`);
      }
      property = m[1];
      values.push(m[2] ?? "");
    }
  }
  if (property === undefined || !properties.includes(property)) {
    throw unsupportedQuery(`Unsupported or invalid query filter clause specified for property '${property ?? raw}' of resource '${resource}'.`);
  }
  if (values.length > MAX_FILTER_VALUES) {
    throw unsupportedQuery(`Too many child clauses specified in search filter expression containing 'OR' operators: ${values.length}. Max allowed: ${MAX_FILTER_VALUES}.`);
  }
  if (property === "id") for (const v of values) if (!isGuid(v)) throw badRequest(`Invalid object identifier '${v}'.`);
  return { property, values };
}

/** One `$expand` with an optional nested `($select=id)`. */
export interface Expand {
  name: string;
  idOnly: boolean;
}

export function parseExpand(raw: string | null, allowed: readonly string[], odataType: string): Expand | undefined {
  if (raw === null) return undefined;
  const parts = raw.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  if (parts.length !== 1) throw badRequest("Only one navigation property can be expanded per request.");
  const m = /^([A-Za-z]+)(?:\(\s*\$select\s*=\s*([A-Za-z,\s]+)\s*\))?$/.exec(parts[0] ?? "");
  if (!m) throw badRequest(`Invalid $expand: '${raw}'.`);
  const name = m[1] ?? "";
  if (!allowed.includes(name)) throw unknownProperty(name, odataType);
  const sel = m[2]?.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  if (sel && sel.some((s) => s !== "id")) throw badRequest("Only $select=id is supported inside $expand.");
  return { name, idOnly: sel !== undefined };
}
