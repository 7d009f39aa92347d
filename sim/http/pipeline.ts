import type { Logger } from "pino";
import { GraphError, errorBody } from "./errors";
import { bodyText, json, type SimRequest, type SimResponse } from "./request";
import { checkQueryOptions } from "./query";
import type { Env, Router } from "./router";
import type { Throttle } from "./throttle";
import type { FaultInjector, LostAnswer } from "./faults";
import type { StatsCounter } from "./stats";
import type { WriteLog } from "./write-log";
import type { SimObserver } from "../types";

/** The services one request passes through. */
export interface PipelineDeps {
  router: Router;
  env: Env;
  throttle: Throttle;
  faults: FaultInjector;
  stats: StatsCounter;
  writeLog: WriteLog;
  logger: Logger;
  /** Runs a `$batch` envelope (set after construction: the batch runner calls back into `handleInner`). */
  batch?: (req: SimRequest) => SimResponse;
  /** Sees each answer sent (a streamed one is joined first, so it is sent whole). */
  observe?: SimObserver;
  /** Which bearer tokens are valid (default: any non-empty one). */
  acceptsToken?: (token: string) => boolean;
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
/** An answer that never comes: the connection stays open and silent. */
export const HANG = Symbol("hang");
/** An answer whose headers come and whose body never ends. */
export const HANG_BODY = Symbol("hangBody");

/** What the server sends for a request: an answer, or one of the injected connection faults. */
export type TopAnswer = SimResponse | typeof DROP | typeof HANG | typeof HANG_BODY;

/**
 * The Graph request pipeline: authentication, injected faults, throttling, routing, and the Graph error
 * envelope. A throttled or faulted request reaches no handler, so it changes nothing, except for the
 * lost-answer faults: those run the write, then lose its answer.
 */
export class Pipeline {
  constructor(private readonly deps: PipelineDeps) {}

  errorResponse(req: SimRequest, e: GraphError): SimResponse {
    return json(e.status, errorBody(e.code, e.message, req.requestId, req.clientRequestId, this.deps.env.now()), { ...e.headers });
  }

  /** A request that arrived over the socket (a `$batch` envelope included). */
  handleTop(req: SimRequest): TopAnswer {
    const answer = this.answerTop(req);
    if (typeof answer === "object") this.observe(req, answer, false);
    return answer;
  }

  private observe(req: SimRequest, res: SimResponse, inBatch: boolean): void {
    const observe = this.deps.observe;
    if (!observe) return;
    if (res.stream !== undefined) {
      res.body = bodyText(res);
      delete res.stream;
    }
    const query = [...req.query.keys()].length > 0 ? `?${req.query.toString()}` : "";
    observe({ inBatch, method: req.method, path: req.path, query, requestBody: req.body, status: res.status, responseBody: res.body });
  }

  private answerTop(req: SimRequest): TopAnswer {
    const { faults, stats } = this.deps;
    const bearer = /^Bearer\s+(\S+)/i.exec(req.headers["authorization"] ?? "");
    if (!bearer) {
      return this.errorResponse(req, new GraphError(401, "InvalidAuthenticationToken", "Access token is empty."));
    }
    if (this.deps.acceptsToken && !this.deps.acceptsToken(bearer[1]!)) {
      return this.errorResponse(req, new GraphError(401, "InvalidAuthenticationToken", "Access token validation failure."));
    }
    let fault = faults.decide();
    // A failure drawn for a request that writes may come after the write instead (afterWriteShare).
    let afterWrite: LostAnswer | null = null;
    if ((fault === "drop" || fault === "503" || fault === "504") && req.method !== "GET" && faults.strikesAfterWrite()) {
      afterWrite = fault;
      fault = null;
    }
    if (fault !== null) stats.fault(fault);
    if (fault === "drop") return DROP;
    if (fault === "hang") return HANG;
    if (fault === "hangBody") return HANG_BODY;
    if (fault !== null) return this.errorResponse(req, this.unavailable(fault));
    let res: SimResponse;
    if (req.method === "POST" && req.segments.length === 1 && req.segments[0] === "$batch" && this.deps.batch) {
      try {
        res = this.deps.batch(req);
      } catch (e) {
        if (e instanceof GraphError) return this.errorResponse(req, e);
        throw e;
      }
    } else {
      res = this.handleOne(req);
    }
    if (afterWrite !== null) {
      // Nothing was written (a refusal, or a $batch of reads): the failure is an ordinary one.
      if (!res.writes?.length) {
        stats.fault(afterWrite);
        return afterWrite === "drop" ? DROP : this.errorResponse(req, this.unavailable(afterWrite));
      }
      stats.fault(`lostAnswer${afterWrite === "drop" ? "Drop" : afterWrite}`);
      noteLost(res, afterWrite);
      return afterWrite === "drop" ? DROP : this.errorResponse(req, this.unavailable(afterWrite));
    }
    if (!res.writes?.length) return res;
    const lost = faults.loseAnswer();
    if (lost === null) return res;
    stats.fault(`lostAnswer${lost === "drop" ? "Drop" : lost}`);
    noteLost(res, lost);
    return lost === "drop" ? DROP : this.errorResponse(req, this.unavailable(lost));
  }

  /** A request inside a `$batch`: handled, then its answer possibly lost (the write stays done). */
  handleInner(req: SimRequest): SimResponse {
    const res = this.answerInner(req);
    this.observe(req, res, true);
    return res;
  }

  private answerInner(req: SimRequest): SimResponse {
    const res = this.handleOne(req, true);
    if (!res.writes?.length) return res;
    const lost = this.deps.faults.loseInnerAnswer();
    if (lost === null) return res;
    this.deps.stats.fault(`lostInnerAnswer${lost}`);
    noteLost(res, lost);
    return { ...this.errorResponse(req, this.unavailable(lost)), writes: res.writes };
  }

  /** The 503 or 504 Graph's gateways send, about half of them with Retry-After. */
  private unavailable(kind: "503" | "504"): GraphError {
    const headers: Record<string, string> = this.deps.faults.withRetryAfter() ? { "Retry-After": "1" } : {};
    return kind === "503"
      ? new GraphError(503, "serviceNotAvailable", "The service is temporarily unavailable. Please retry later.", headers)
      : new GraphError(504, "UnknownError", "The operation did not complete within the allotted time (gateway timeout).", headers);
  }

  /** One Graph operation: routed, throttled and counted (also each request inside a `$batch`). */
  handleOne(req: SimRequest, inBatch = false): SimResponse {
    const { router, throttle, stats, env, logger, writeLog } = this.deps;
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
      // Handlers run synchronously, so what they changed is the difference in the tenant's effect count.
      const effectsBefore = env.dir.effectiveChanges;
      try {
        res = route.handle({ req, params, env });
      } catch (e) {
        if (!(e instanceof GraphError)) throw e;
        res = this.errorResponse(req, e);
      }
      Object.assign(res.headers, verdict.headers);
      if (route.write) {
        if (res.status < 300 && res.writtenId !== undefined) stats.write(res.writtenId);
        res.writes = [writeLog.record(req, res.status, inBatch, res.writtenId, env.now(), env.dir.effectiveChanges !== effectsBefore)];
      }
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

/** Notes on each write an answer reports that the client never got it (a write already lost keeps its first note). */
function noteLost(res: SimResponse, lost: LostAnswer): void {
  for (const w of res.writes ?? []) w.lost ??= lost;
}
