import type { Logger } from "pino";
import { GraphError, errorBody } from "./errors";
import { json, type SimRequest, type SimResponse } from "./request";
import { checkQueryOptions } from "./query";
import type { Env, Router } from "./router";
import type { Throttle } from "./throttle";
import type { FaultInjector } from "./faults";
import type { StatsCounter } from "./stats";

/** The services one request passes through. */
export interface PipelineDeps {
  router: Router;
  env: Env;
  throttle: Throttle;
  faults: FaultInjector;
  stats: StatsCounter;
  logger: Logger;
  /** Runs a `$batch` envelope (set after construction: the batch runner calls back into `handleOne`). */
  batch?: (req: SimRequest) => SimResponse;
}

/** Resource units of a request: the route's base cost, `$select` −1 (never below 1), `$expand` +1. */
export function costOf(base: number, query: URLSearchParams): number {
  let c = base;
  if (query.has("$select")) c = Math.max(1, c - 1);
  if (query.has("$expand")) c += 1;
  return c;
}

/** What a request got instead of an answer, when the simulator injects a dropped connection. */
export const DROP = Symbol("drop");

/**
 * The Graph request pipeline: authentication, injected faults, throttling, routing, and the Graph error
 * envelope. A throttled or faulted request reaches no handler, so it changes nothing.
 */
export class Pipeline {
  constructor(private readonly deps: PipelineDeps) {}

  errorResponse(req: SimRequest, e: GraphError): SimResponse {
    return json(e.status, errorBody(e.code, e.message, req.requestId, req.clientRequestId, this.deps.env.now()), { ...e.headers });
  }

  /** A request that arrived over the socket (a `$batch` envelope included). */
  handleTop(req: SimRequest): SimResponse | typeof DROP {
    const { faults, stats } = this.deps;
    if (!/^Bearer\s+\S+/i.test(req.headers["authorization"] ?? "")) {
      return this.errorResponse(req, new GraphError(401, "InvalidAuthenticationToken", "Access token is empty."));
    }
    const fault = faults.decide();
    if (fault === "drop") {
      stats.fault();
      return DROP;
    }
    if (fault !== null) {
      stats.fault();
      const headers: Record<string, string> = faults.withRetryAfter() ? { "Retry-After": "1" } : {};
      const e = fault === "503"
        ? new GraphError(503, "serviceNotAvailable", "The service is temporarily unavailable. Please retry later.", headers)
        : new GraphError(504, "UnknownError", "The operation did not complete within the allotted time (gateway timeout).", headers);
      return this.errorResponse(req, e);
    }
    if (req.method === "POST" && req.segments.length === 1 && req.segments[0] === "$batch" && this.deps.batch) {
      try {
        return this.deps.batch(req);
      } catch (e) {
        if (e instanceof GraphError) return this.errorResponse(req, e);
        throw e;
      }
    }
    return this.handleOne(req);
  }

  /** One Graph operation: routed, throttled and counted (also each request inside a `$batch`). */
  handleOne(req: SimRequest): SimResponse {
    const { router, throttle, stats, env, logger } = this.deps;
    stats.request();
    let units = 1;
    try {
      const { route, params } = router.match(req.method, req.version, req.segments);
      checkQueryOptions(req.query);
      units = costOf(route.cost, req.query);
      const verdict = throttle.charge(units, route.write === true);
      if (!verdict.ok) {
        stats.throttled();
        const e = new GraphError(429, "TooManyRequests", "Too many requests. The request has been throttled; retry after the interval in the Retry-After header.", verdict.headers);
        return this.errorResponse(req, e);
      }
      stats.units(units);
      let res: SimResponse;
      try {
        res = route.handle({ req, params, env });
      } catch (e) {
        if (!(e instanceof GraphError)) throw e;
        res = this.errorResponse(req, e);
      }
      Object.assign(res.headers, verdict.headers);
      if (route.write && res.status < 300 && res.writtenId !== undefined) stats.write(res.writtenId);
      return res;
    } catch (e) {
      // Requests refused before a handler ran (unknown path, bad query option) still report their cost.
      const err = e instanceof GraphError ? e : new GraphError(500, "InternalServerError", "The simulator failed to handle the request.");
      if (!(e instanceof GraphError)) logger.error({ err: e, path: req.path }, "simulator handler failed");
      const res = this.errorResponse(req, err);
      res.headers["x-ms-resource-unit"] ??= String(units);
      return res;
    }
  }
}
