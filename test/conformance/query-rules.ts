/** `$select`, `$expand`, `$filter` and `$orderby` name real properties of the type a request addresses. */
import type { CsdlModel } from "./csdl-model";

/** A finding of the query rules: rule suffix, the name at fault, why. */
export interface QueryFinding {
  rule: string;
  property: string;
  detail: string;
}

const KNOWN = new Set(["$select", "$expand", "$filter", "$orderby", "$top", "$skip", "$skiptoken", "$deltatoken", "$count", "$search", "$format"]);
const FILTER_WORDS = new Set(["eq", "ne", "gt", "ge", "lt", "le", "and", "or", "not", "in", "has", "true", "false", "null", "add", "sub", "mul", "div", "mod"]);

/** Splits on commas outside parentheses (`members($select=id),owners`). */
export function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  if (cur.trim() !== "") out.push(cur.trim());
  return out;
}

/** A property or navigation property name, optionally behind a type cast (`microsoft.graph.user/displayName`). */
function nameOn(model: CsdlModel, type: string, raw: string): { ok: boolean; type: string; name: string } {
  const slash = raw.lastIndexOf("/");
  const cast = slash >= 0 ? raw.slice(0, slash) : undefined;
  const name = slash >= 0 ? raw.slice(slash + 1) : raw;
  const on = cast && model.type(cast) && (model.isA(cast, type) || model.isA(type, cast)) ? cast : cast ? "" : type;
  return { ok: on !== "" && (model.property(on, name) !== undefined || model.navigation(on, name) !== undefined), type: on, name };
}

function checkSelect(model: CsdlModel, type: string, value: string, out: QueryFinding[], at = "$select"): void {
  for (const item of value.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    if (item === "*") continue;
    if (!nameOn(model, type, item).ok) out.push({ rule: "select", property: `${at}=${item}`, detail: `${type} has no property '${item}'` });
  }
}

function checkExpand(model: CsdlModel, type: string, value: string, out: QueryFinding[]): void {
  for (const item of splitTop(value)) {
    const open = item.indexOf("(");
    const name = (open >= 0 ? item.slice(0, open) : item).trim();
    if (name === "*") continue;
    const nav = model.navigation(type, name);
    if (!nav) {
      out.push({ rule: "expand", property: `$expand=${name}`, detail: `${type} has no navigation property '${name}'` });
      continue;
    }
    if (open < 0) continue;
    for (const opt of item.slice(open + 1, -1).split(";")) {
      const eq = opt.indexOf("=");
      const key = opt.slice(0, eq).trim();
      if (key === "$select") checkSelect(model, nav.type, opt.slice(eq + 1), out, `$expand=${name}($select`);
    }
  }
}

/** The property paths a `$filter` expression names (the first name of each path, lambda variables skipped). */
export function filterNames(expr: string): string[] {
  const noStrings = expr.replace(/'(?:[^']|'')*'/g, " ");
  const lambdaVars = new Set([...noStrings.matchAll(/\(\s*(\w+)\s*:/g)].map((m) => m[1] ?? ""));
  const out: string[] = [];
  for (const m of noStrings.matchAll(/(?<![\w./])[A-Za-z_][\w.]*(?:\/[\w.]+)*/g)) {
    const after = noStrings.slice((m.index ?? 0) + m[0].length).trimStart();
    const name = m[0].split("/")[0] ?? "";
    if ((after.startsWith("(") && !m[0].includes("/")) || after.startsWith(":") || FILTER_WORDS.has(name) || lambdaVars.has(name)) continue;
    out.push(name);
  }
  return out;
}

/** Checks a request's query options against the type it addresses (undefined: the path did not resolve to one). */
export function checkQuery(model: CsdlModel, type: string | undefined, query: URLSearchParams, functionParams: ReadonlySet<string>): QueryFinding[] {
  const out: QueryFinding[] = [];
  for (const [key, value] of query) {
    if (!KNOWN.has(key) && !functionParams.has(key)) {
      out.push({ rule: "option", property: key, detail: `'${key}' is not a query option Graph takes here` });
      continue;
    }
    if (!type || !model.type(type)) continue;
    if (key === "$select") checkSelect(model, type, value, out);
    if (key === "$expand") checkExpand(model, type, value, out);
    if (key === "$filter") {
      for (const n of filterNames(value)) if (!nameOn(model, type, n).ok) out.push({ rule: "filter", property: `$filter ${n}`, detail: `${type} has no property '${n}'` });
    }
    if (key === "$orderby") {
      for (const item of value.split(",")) {
        const n = item.trim().split(/\s+/)[0] ?? "";
        if (!nameOn(model, type, n.split("/")[0] ?? n).ok) out.push({ rule: "orderby", property: `$orderby ${n}`, detail: `${type} has no property '${n}'` });
      }
    }
  }
  return out;
}
