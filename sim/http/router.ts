import { methodNotAllowed, segmentNotFound } from "./errors";
import type { SimRequest, SimResponse } from "./request";
import type { TenantDirectory } from "../tenant/tenant-directory";
import type { TokenIssuer } from "./tokens";
import type { ProjectionCache } from "./projection";
import type { LruCache } from "./lru";
import type { DeltaChanges } from "./delta-page";
import type { PagePrefetcher } from "./prefetch";

/** What a handler may use: the live tenant, the token issuer, compiled projections and the clock. */
export interface Env {
  dir: TenantDirectory;
  tokens: TokenIssuer;
  projections: ProjectionCache;
  /**
   * Folded change-log slices of incremental delta rounds, keyed by round: the log is append-only, so a slice
   * never changes, and the pages of one round reuse it instead of rescanning the log.
   */
  deltaChanges: LruCache<string, DeltaChanges>;
  /** Next list pages prepared while the client reads the current one. */
  prefetch: PagePrefetcher;
  /** Member entries per delta page before a group's members continue on the next page. */
  deltaMembersPerPage: number;
  now: () => number;
}

export interface RouteContext {
  req: SimRequest;
  /** The path segments matched by `:param` placeholders, in order. */
  params: string[];
  env: Env;
}

export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/** One endpoint: method, path pattern (`users/:id/manager/$ref`), resource-unit cost and handler. */
export interface Route {
  method: Method;
  path: string;
  /**
   * Base resource-unit cost before `$select`/`$expand` adjustments
   * (https://learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits).
   */
  cost: number;
  /** Writes also consume one write unit and are counted when they succeed. */
  write?: boolean;
  /** Only under `/beta`. */
  betaOnly?: boolean;
  handle(call: RouteContext): SimResponse;
}

interface Compiled {
  route: Route;
  parts: string[];
}

export interface Match {
  route: Route;
  params: string[];
}

/**
 * Matches decoded path segments against route patterns, first match wins (so literal routes such as
 * `users/delta` are listed before `users/:id`). Literal segments compare case-insensitively, like Graph.
 */
export class Router {
  private readonly compiled: Compiled[];

  constructor(routes: readonly Route[]) {
    this.compiled = routes.map((route) => ({ route, parts: route.path.toLowerCase().split("/") }));
  }

  private matches(c: Compiled, segs: readonly string[], lower: readonly string[]): string[] | undefined {
    if (c.parts.length !== segs.length) return undefined;
    const params: string[] = [];
    for (let i = 0; i < segs.length; i++) {
      const p = c.parts[i];
      if (p === undefined) return undefined;
      if (p.startsWith(":")) params.push(segs[i] ?? "");
      else if (p !== lower[i]) return undefined;
    }
    return params;
  }

  /** The route for a request, or a Graph error: 405 when the path exists with other methods, else 400. */
  match(method: string, version: string, segs: readonly string[]): Match {
    const lower = segs.map((s) => s.toLowerCase());
    let pathKnown = false;
    for (const c of this.compiled) {
      if (c.route.betaOnly && version !== "beta") continue;
      const params = this.matches(c, segs, lower);
      if (!params) continue;
      if (c.route.method === method) return { route: c.route, params };
      pathKnown = true;
    }
    if (pathKnown) throw methodNotAllowed();
    throw segmentNotFound(this.firstUnknownSegment(segs, lower));
  }

  /** The first segment no route accepts at its position, as Graph names it in "Resource not found for the segment". */
  private firstUnknownSegment(segs: readonly string[], lower: readonly string[]): string {
    let depth = 0;
    for (const c of this.compiled) {
      let d = 0;
      while (d < segs.length && d < c.parts.length) {
        const p = c.parts[d];
        if (p === undefined || (!p.startsWith(":") && p !== lower[d])) break;
        d++;
      }
      depth = Math.max(depth, d);
    }
    return segs[Math.min(depth, segs.length - 1)] ?? "";
  }
}
