/**
 * A request held to Graph's schema: the path resolves, the method is allowed there, the query options name real
 * properties, the body names only writable structural properties of the type with values of their types
 * (navigation only through `@odata.bind` or a `$ref` body). `$batch` bodies are checked request by request.
 */
import { z } from "zod";
import type { CsdlModel } from "./csdl-model";
import { pathSegments, resolvePath, type Resolved } from "./path-resolver";
import { checkQuery } from "./query-rules";
import { checkStructured, checkValue, type ValueContext } from "./value-rules";
import { show } from "./edm-values";
import type { Violation } from "./violation";

/** A request as recorded: method, path (with or without `/v1.0`), query string, parsed JSON body. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  body: unknown;
}

/** What the request rules found: the shapes checked (a `$batch` adds one per inner request) and violations. */
export interface RequestFindings {
  shapes: string[];
  violations: Violation[];
  /** A `$batch`'s findings on its inner requests (each inner request is also recorded on its own, with its answer). */
  inner: Violation[];
  /** The resolved path, for the answer rules (undefined for `$batch` and paths that did not resolve). */
  resolved?: Resolved;
}

/** Graph's JSON batch envelope (not in CSDL: see https://learn.microsoft.com/en-us/graph/json-batching). */
export const BatchRequestBody = z.object({
  requests: z
    .array(
      z.strictObject({
        id: z.string().min(1),
        method: z.enum(["GET", "POST", "PATCH", "PUT", "DELETE"]),
        url: z.string().startsWith("/"),
        headers: z.record(z.string(), z.string()).optional(),
        body: z.unknown().optional(),
        dependsOn: z.array(z.string()).optional(),
      }),
    )
    .min(1)
    .max(20),
});

/** The methods Graph allows on what a path resolves to, before capability restrictions. */
export function allowedMethods(model: CsdlModel, r: Resolved): Set<string> {
  const t = r.target;
  let m: string[];
  switch (t.kind) {
    case "collection":
      m = r.viaReference ? ["GET"] : ["GET", "POST"];
      break;
    case "entity":
      m = r.viaReference ? ["GET"] : t.byKey ? ["GET", "PATCH", "DELETE"] : ["GET", "PATCH"];
      break;
    case "ref":
      m = t.item ? ["DELETE"] : t.collection ? ["GET", "POST"] : ["GET", "PUT", "DELETE"];
      break;
    case "operation":
      m = t.op.kind === "action" ? ["POST"] : ["GET"];
      break;
    default:
      m = ["GET"];
  }
  const out = new Set(m);
  const restrict = (t.kind === "collection" || t.kind === "entity") && r.restrictionsAt ? model.restrictions.get(r.restrictionsAt) : undefined;
  if (restrict?.readable === false) out.delete("GET");
  if (restrict?.insertable === false) out.delete("POST");
  if (restrict?.updatable === false) out.delete("PATCH");
  if (restrict?.deletable === false) out.delete("DELETE");
  return out;
}

/** A request's shape: method, path pattern, query option names and body property names. */
export function requestShape(method: string, pattern: string, query: URLSearchParams, body: unknown): string {
  const q = [...new Set([...query.keys()])].sort().join(",");
  const b = body !== null && typeof body === "object" && !Array.isArray(body) ? Object.keys(body).sort().join(",") : "";
  return `${method} ${pattern}${q ? ` ?${q}` : ""}${b ? ` {${b}}` : ""}`;
}

/** Checks one recorded request. */
export function checkRequest(model: CsdlModel, req: RecordedRequest, inBatch = false): RequestFindings {
  const method = req.method.toUpperCase();
  const segments = pathSegments(req.path);
  const query = new URLSearchParams(req.query);
  if (segments.length === 1 && segments[0] === "$batch") return inBatch ? nestedBatch(method, query, req.body) : checkBatch(model, method, query, req.body);
  const violations: Violation[] = [];
  const r = resolvePath(model, segments);
  if ("error" in r) {
    violations.push({ rule: "request.path", method, pattern: r.pattern, property: r.segment, detail: r.error });
    return { shapes: [requestShape(method, r.pattern, query, req.body)], violations, inner: [] };
  }
  const add = (rule: string, property: string | undefined, detail: string): void => {
    const v: Violation = { rule: `request.${rule}`, method, pattern: r.pattern, detail };
    if (property) v.property = property;
    violations.push(v);
  };
  const allowed = allowedMethods(model, r);
  if (!allowed.has(method)) add("method", undefined, `${method} is not allowed on ${r.pattern} (allowed: ${[...allowed].join(", ") || "none"})`);
  const t = r.target;
  const queryType = t.kind === "collection" || t.kind === "entity" ? t.type : t.kind === "operation" ? t.op.returns?.type : undefined;
  const params = new Set(t.kind === "operation" && t.op.kind === "function" ? t.op.parameters.keys() : []);
  for (const f of checkQuery(model, queryType, query, params)) add(`query.${f.rule}`, f.property, f.detail);
  checkBody(model, r, method, req.body, add);
  return { shapes: [requestShape(method, r.pattern, query, req.body)], violations, inner: [], resolved: r };
}

function checkBody(model: CsdlModel, r: Resolved, method: string, body: unknown, add: (rule: string, property: string | undefined, detail: string) => void): void {
  const t = r.target;
  const ctx: ValueContext = { model, side: "request", update: method === "PATCH", emit: (rule, property, detail) => add(`body.${rule}`, property, detail) };
  if (method === "GET" || method === "DELETE") {
    if (body !== undefined) add("body.unexpected", undefined, `a ${method} carries no body, got ${show(body)}`);
    return;
  }
  if (body === undefined) {
    if (t.kind !== "operation") add("body.missing", undefined, `a ${method} here needs a JSON body`);
    return;
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    add("body.type", undefined, `the body must be a JSON object, got ${show(body)}`);
    return;
  }
  const obj = body as Record<string, unknown>;
  if (t.kind === "ref") {
    const keys = Object.keys(obj);
    if (keys.length !== 1 || typeof obj["@odata.id"] !== "string") add("body.ref", keys.join(",") || "(empty)", `a $ref body is exactly {"@odata.id": "<url>"}, got ${show(body)}`);
    return;
  }
  if (t.kind === "operation") {
    for (const [k, v] of Object.entries(obj)) {
      const p = t.op.parameters.get(k);
      if (!p) add("body.parameter", k, `${t.op.name} takes no parameter '${k}'`);
      else checkValue(ctx, p, v, k);
    }
    return;
  }
  if (t.kind === "collection" || t.kind === "entity") checkStructured(ctx, t.type, obj, "");
}

function nestedBatch(method: string, query: URLSearchParams, body: unknown): RequestFindings {
  return {
    shapes: [requestShape(method, "/$batch", query, body)],
    violations: [{ rule: "request.batch", method, pattern: "/$batch", detail: "a $batch cannot hold another $batch" }],
    inner: [],
  };
}

function checkBatch(model: CsdlModel, method: string, query: URLSearchParams, body: unknown): RequestFindings {
  const out: RequestFindings = { shapes: [requestShape(method, "/$batch", query, body)], violations: [], inner: [] };
  if (method !== "POST") out.violations.push({ rule: "request.method", method, pattern: "/$batch", detail: "$batch takes POST only" });
  const parsed = BatchRequestBody.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    out.violations.push({ rule: "request.batch", method, pattern: "/$batch", property: issue?.path.join(".") ?? "", detail: `not a Graph JSON batch: ${issue?.message ?? "invalid"}` });
    return out;
  }
  for (const step of parsed.data.requests) {
    const url = new URL(step.url, "https://graph.invalid");
    const inner = checkRequest(model, { method: step.method, path: url.pathname, query: url.search, body: step.body }, true);
    out.shapes.push(...inner.shapes);
    out.inner.push(...inner.violations.map((v) => ({ ...v, detail: `${v.detail} (inside a $batch)` })));
  }
  return out;
}
