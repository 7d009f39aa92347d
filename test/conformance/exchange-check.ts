/** One recorded exchange (request and answer) checked against the schema. */
import { z } from "zod";
import type { CsdlModel } from "./csdl-model";
import { checkRequest } from "./request-rules";
import { checkResponse } from "./response-rules";
import { literalPattern, pathSegments } from "./path-resolver";
import type { Violation } from "./violation";

/** An exchange as the simulator's observer hands it over (checked, since it crosses from the simulator). */
export const RecordedExchange = z.object({
  inBatch: z.boolean(),
  method: z.string().min(1),
  path: z.string().startsWith("/"),
  query: z.string(),
  requestBody: z.unknown(),
  status: z.number().int(),
  responseBody: z.string().optional(),
});
export type RecordedExchange = z.infer<typeof RecordedExchange>;

/** What one exchange adds to the tally. */
export interface ExchangeFindings {
  shapes: string[];
  types: string[];
  violations: Violation[];
  /**
   * Wrong requests the simulator refused with a 4xx, as Graph would: what the simulator's own refusal tests
   * send on purpose. Listed apart, not counted as violations (a wrong request answered 2xx is one).
   */
  refused: Violation[];
  /** Shapes of `/beta` requests: not checked, the schema fixture is v1.0's. */
  unchecked: string[];
}

/** Checks an exchange's request (a `$batch` request by request) and its answer. */
export function checkExchange(model: CsdlModel, raw: unknown): ExchangeFindings {
  const e = RecordedExchange.parse(raw);
  if (e.path.startsWith("/beta/")) {
    return { shapes: [], types: [], violations: [], refused: [], unchecked: [`${e.method} ${literalPattern(pathSegments(e.path.slice("/beta".length)))} (beta)`] };
  }
  const req = checkRequest(model, { method: e.method, path: e.path, query: e.query, body: e.requestBody }, e.inBatch);
  const segments = pathSegments(e.path);
  const types: string[] = [];
  const violations = checkResponse(
    model,
    {
      method: e.method.toUpperCase(),
      pattern: req.resolved?.pattern ?? literalPattern(segments),
      resolved: req.resolved,
      batch: segments.length === 1 && segments[0] === "$batch",
      status: e.status,
      body: e.responseBody,
    },
    (t) => types.push(t),
  );
  // A $batch's inner requests are recorded one by one with their own answers; the envelope reports only its own shape.
  const refusedAll = e.status >= 400 && e.status < 500;
  const requestViolations = refusedAll ? [...req.violations, ...req.inner] : req.violations;
  const sent = `${e.method} ${e.path}${readable(e.query)}`;
  const example = (v: Violation): Violation => ({ ...v, example: sent.length > 200 ? `${sent.slice(0, 197)}...` : sent });
  return {
    shapes: req.shapes,
    types,
    violations: (refusedAll ? violations : [...requestViolations, ...violations]).map(example),
    refused: (refusedAll ? requestViolations : []).map(example),
    unchecked: [],
  };
}

/** A query string as a person reads it (`$select=id,displayName`, not `%24select=id%2CdisplayName`). */
function readable(query: string): string {
  try {
    return decodeURIComponent(query.replace(/\+/g, " "));
  } catch {
    return query;
  }
}
