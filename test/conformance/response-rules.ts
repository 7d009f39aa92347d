/**
 * An answer held to Graph's schema: each property exists on the declared type or on the derived type its
 * `@odata.type` names, each value has its type, collections carry `value` (and delta pages end in
 * `@odata.nextLink` or `@odata.deltaLink`), errors have Graph's error shape.
 */
import { z } from "zod";
import type { CsdlModel } from "./csdl-model";
import { answerType, type Resolved } from "./path-resolver";
import { checkStructured, checkValue, type ValueContext } from "./value-rules";
import { show } from "./edm-values";
import type { Violation } from "./violation";

/** Graph's error body (https://learn.microsoft.com/en-us/graph/errors). */
export const GraphErrorBody = z.object({
  error: z.object({
    code: z.string().min(1),
    message: z.string(),
    innerError: z.object({ date: z.string().min(1), "request-id": z.string().min(1), "client-request-id": z.string().min(1) }),
    details: z.array(z.unknown()).optional(),
  }),
});

/** Graph's JSON batch answer envelope (https://learn.microsoft.com/en-us/graph/json-batching). */
const BatchAnswer = z.strictObject({
  responses: z.array(z.object({ id: z.string(), status: z.number().int(), headers: z.record(z.string(), z.string()).optional(), body: z.unknown().optional() })),
});

const COLLECTION_KEYS = new Set(["value", "@odata.context", "@odata.nextLink", "@odata.deltaLink", "@odata.count"]);

/** One answer to check: what the request resolved to, and what came back. */
export interface RecordedAnswer {
  method: string;
  pattern: string;
  /** undefined when the request was `$batch` or its path did not resolve. */
  resolved: Resolved | undefined;
  batch: boolean;
  status: number;
  body: string | undefined;
}

/** Checks an answer; `saw` records each type the answer was held to. */
export function checkResponse(model: CsdlModel, a: RecordedAnswer, saw: (type: string) => void): Violation[] {
  const out: Violation[] = [];
  const add = (rule: string, property: string | undefined, detail: string): void => {
    const v: Violation = { rule: `response.${rule}`, method: a.method, pattern: a.pattern, detail };
    if (property) v.property = property;
    out.push(v);
  };
  if (a.body === undefined || a.body === "") {
    if (a.status >= 400) add("error", undefined, `a ${a.status} answer without Graph's error body`);
    return out;
  }
  let body: unknown;
  try {
    body = JSON.parse(a.body) as unknown;
  } catch {
    add("json", undefined, `the body is not JSON: ${show(a.body)}`);
    return out;
  }
  if (a.status >= 400) {
    saw("error");
    const e = GraphErrorBody.safeParse(body);
    if (!e.success) add("error", e.error.issues[0]?.path.join(".") ?? "", `not Graph's error shape: ${e.error.issues[0]?.message ?? ""} in ${show(body)}`);
    return out;
  }
  if (a.batch) {
    saw("$batch");
    const b = BatchAnswer.safeParse(body);
    if (!b.success) add("batch", b.error.issues[0]?.path.join(".") ?? "", `not Graph's batch answer: ${b.error.issues[0]?.message ?? ""}`);
    return out;
  }
  const r = a.resolved;
  if (!r) return out;
  const ctx: ValueContext = { model, side: "response", emit: (rule, property, detail) => add(rule, property, detail), saw };
  if (r.target.kind === "count") {
    if (typeof body !== "number" || !Number.isInteger(body)) add("type", "$count", `expected an integer, got ${show(body)}`);
    return out;
  }
  // A POST to a collection creates one entity and answers with it.
  const declared = r.target.kind === "collection" && a.method === "POST" ? { type: r.target.type, collection: false } : answerType(r);
  if (!declared) return out;
  const isDelta = r.target.kind === "operation" && r.target.op.name === "delta";
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    add("type", undefined, `expected a JSON object, got ${show(body)}`);
    return out;
  }
  const obj = body as Record<string, unknown>;
  if (declared.collection) {
    saw(`Collection(${declared.type})`);
    if (!Array.isArray(obj["value"])) {
      add("collection", "value", `a collection answer carries a 'value' array, got ${show(obj["value"])}`);
      return out;
    }
    for (const k of Object.keys(obj)) if (!COLLECTION_KEYS.has(k)) add("annotation", k, `'${k}' is not part of a collection answer`);
    const next = typeof obj["@odata.nextLink"] === "string";
    const deltaLink = typeof obj["@odata.deltaLink"] === "string";
    if (isDelta && next === deltaLink) add("delta", "@odata.nextLink", `a delta page ends in exactly one of @odata.nextLink and @odata.deltaLink (got ${next ? "both" : "neither"})`);
    if (!isDelta && deltaLink) add("delta", "@odata.deltaLink", "only a delta answer carries @odata.deltaLink");
    const itemCtx: ValueContext = { ...ctx, delta: isDelta };
    if (!model.type(declared.type)) checkValue(itemCtx, { type: declared.type, collection: true, nullable: true }, obj["value"], "value");
    else {
      // Items share one path (`value[]`), so a finding on many items is one finding.
      for (const item of obj["value"] as unknown[]) {
        if (typeof item !== "object" || item === null || Array.isArray(item)) add("type", "value[]", `expected an object of ${declared.type}, got ${show(item)}`);
        else checkStructured(itemCtx, declared.type, item as Record<string, unknown>, "value[]");
      }
    }
    return out;
  }
  if (r.target.kind === "property") {
    saw(declared.type);
    checkValue(ctx, { type: declared.type, collection: false, nullable: true }, obj["value"], "value");
    return out;
  }
  if (model.type(declared.type)) checkStructured(ctx, declared.type, obj, "");
  return out;
}
