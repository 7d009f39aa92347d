import { randomUUID } from "node:crypto";
import { z } from "zod";
import { GraphError, badJson, errorBody } from "./errors";
import { JSON_TYPE, bodyText, type SimRequest, type SimResponse } from "./request";
import { splitPath } from "./path";
import type { Pipeline } from "./pipeline";

/** Graph's JSON batching carries at most 20 requests (https://learn.microsoft.com/graph/json-batching). */
export const MAX_BATCH = 20;

const BatchBody = z.object({
  requests: z.array(
    z.object({
      id: z.string().min(1),
      method: z.string().min(1),
      url: z.string().min(1),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
      dependsOn: z.array(z.string()).optional(),
    }),
  ),
});
type Step = z.infer<typeof BatchBody>["requests"][number];

/** An inner request as a pipeline request: its url is relative (`/users/x`, with or without `/v1.0`). */
function innerRequest(outer: SimRequest, step: Step): SimRequest {
  const rel = step.url.startsWith("/") ? step.url : `/${step.url}`;
  const url = new URL(rel, outer.origin);
  const first = url.pathname.split("/")[1] ?? "";
  const versioned = first === "v1.0" || first === "beta";
  const pathname = versioned ? url.pathname : `/${outer.version}${url.pathname}`;
  const { version, segments } = splitPath(pathname);
  const headers: Record<string, string> = { authorization: outer.headers["authorization"] ?? "" };
  for (const [k, v] of Object.entries(step.headers ?? {})) headers[k.toLowerCase()] = v;
  const requestId = randomUUID();
  return {
    method: step.method.toUpperCase(),
    version,
    path: pathname,
    segments,
    query: url.searchParams,
    headers,
    body: step.body,
    bodyMalformed: false,
    requestId,
    clientRequestId: headers["client-request-id"] ?? requestId,
    origin: outer.origin,
  };
}

/** One batch answer; the header key is exactly `Content-Type` (the Graph SDK only parses bodies then). */
function responseJson(id: string, r: SimResponse): string {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) {
    if (k.toLowerCase() === "content-type") continue;
    headers[k] = v;
  }
  headers["Content-Type"] = "application/json";
  let out = `{"id":${JSON.stringify(id)},"status":${r.status},"headers":${JSON.stringify(headers)}`;
  const body = bodyText(r);
  if (body !== undefined && body !== "") out += `,"body":${body}`;
  return `${out}}`;
}

/**
 * `POST /$batch`: each inner request runs through the pipeline (throttled and costed on its own, its answer
 * possibly lost after it ran); a request whose dependency failed answers 424. The envelope reports the inner
 * writes, so a lost envelope is noted on each.
 */
export function runBatch(outer: SimRequest, pipeline: Pipeline): SimResponse {
  if (outer.bodyMalformed) throw badJson();
  const parsed = BatchBody.safeParse(outer.body);
  if (!parsed.success) throw new GraphError(400, "BadRequest", "Invalid batch payload: expected {\"requests\":[{\"id\",\"method\",\"url\"}]}.");
  const steps = parsed.data.requests;
  if (steps.length > MAX_BATCH) throw new GraphError(400, "BadRequest", `The number of batch requests (${steps.length}) exceeds the limit of ${MAX_BATCH}.`);
  const byId = new Map<string, Step>();
  for (const s of steps) {
    if (byId.has(s.id)) throw new GraphError(400, "BadRequest", `Duplicate batch request id '${s.id}'.`);
    byId.set(s.id, s);
  }
  for (const s of steps) for (const d of s.dependsOn ?? []) {
    if (!byId.has(d)) throw new GraphError(400, "BadRequest", `Request '${s.id}' depends on unknown request '${d}'.`);
  }
  const results = new Map<string, SimResponse>();
  const running = new Set<string>();
  const run = (s: Step): SimResponse => {
    const done = results.get(s.id);
    if (done) return done;
    if (running.has(s.id)) throw new GraphError(400, "BadRequest", `Circular dependsOn at request '${s.id}'.`);
    running.add(s.id);
    let failed = false;
    for (const d of s.dependsOn ?? []) {
      const dep = byId.get(d);
      if (dep && run(dep).status >= 400) failed = true;
    }
    let res: SimResponse;
    if (failed) {
      res = {
        status: 424,
        headers: { "Content-Type": JSON_TYPE },
        body: errorBody("FailedDependency", "The request failed because it depends on a request that failed.", randomUUID(), randomUUID(), Date.now()),
      };
    } else {
      try {
        res = pipeline.handleInner(innerRequest(outer, s));
      } catch (e) {
        if (!(e instanceof GraphError)) throw e;
        res = pipeline.errorResponse(outer, e);
      }
    }
    results.set(s.id, res);
    running.delete(s.id);
    return res;
  };
  const parts = steps.map((s) => responseJson(s.id, run(s)));
  const writes = [...results.values()].flatMap((r) => r.writes ?? []);
  const envelope: SimResponse = { status: 200, headers: { "Content-Type": JSON_TYPE }, body: `{"responses":[${parts.join(",")}]}` };
  if (writes.length > 0) envelope.writes = writes;
  return envelope;
}
