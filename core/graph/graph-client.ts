import { AuthenticationHandler, Client, GraphError, type Middleware } from "@microsoft/microsoft-graph-client";
import type { Logger } from "pino";
import { DirectoryError } from "../model/directory-error";
import { ResilienceHandler } from "./resilience-handler";
import { withDeadline } from "../../lib/deadline";
import { DEFAULT_GRAPH_TIMEOUTS, GraphTimeoutError, seconds, type GraphTimeouts } from "./graph-timeouts";
import type { RetryPolicy } from "../../lib/retry";
import { GRAPH_RETRY_POLICY } from "./retry-policy";
import type { TokenProvider } from "./token-provider";
import { UndiciTransport } from "./undici-transport";
import { WritePacer, type WriteBudget } from "./write-pacer";

/** How to reach Graph. */
export interface GraphConnection {
  /** Graph's root, without version (default https://graph.microsoft.com). */
  readonly baseUrl: string;
  readonly tokenProvider: TokenProvider;
  /** Extra CA to trust (the simulator's). */
  readonly ca?: string;
  readonly retry?: Partial<RetryPolicy>;
  /** Write budget to pace under; `false` turns pacing off. */
  readonly writeBudget: WriteBudget | false;
  readonly connections?: number;
  /** Deadlines of one request and of one token acquisition; default `DEFAULT_GRAPH_TIMEOUTS`. */
  readonly timeouts?: GraphTimeouts;
  readonly logger: Logger;
}

/** The real Microsoft Graph client with our middleware chain, and what it holds open. */
export interface GraphClientHandle {
  readonly client: Client;
  close(): Promise<void>;
}

/**
 * Builds `@microsoft/microsoft-graph-client` on auth → resilience (retry, pacing) → undici transport. Every
 * request has a deadline (the transport's), and so has every token acquisition: a hung Graph or Entra ends
 * as a `DirectoryError`, never as a call that waits forever.
 */
export function createGraphClient(conn: GraphConnection): GraphClientHandle {
  const url = new URL(conn.baseUrl);
  if (url.protocol !== "https:") throw new Error(`GRAPH_BASE_URL must be https (got ${conn.baseUrl}): the Graph client only authenticates https hosts.`);
  const timeouts = conn.timeouts ?? DEFAULT_GRAPH_TIMEOUTS;
  const transport = new UndiciTransport({ ...(conn.ca ? { ca: conn.ca } : {}), connections: conn.connections ?? 8, timeoutMs: timeouts.requestMs });
  const pacer = conn.writeBudget === false ? undefined : new WritePacer(conn.writeBudget);
  const auth = new AuthenticationHandler({
    getAccessToken: () => withDeadline(conn.tokenProvider.getToken(), timeouts.tokenMs, () => new GraphTimeoutError(`no access token came within ${seconds(timeouts.tokenMs)} (the token request timed out)`)),
  });
  const resilience = new ResilienceHandler({ ...GRAPH_RETRY_POLICY, ...conn.retry }, pacer, conn.logger);
  const chain: Middleware[] = [auth, resilience, transport];
  chain.reduce((prev, next) => {
    prev.setNext?.(next);
    return next;
  });
  const isGraph = url.hostname === "graph.microsoft.com";
  const client = Client.initWithMiddleware({
    middleware: auth,
    baseUrl: `${url.origin}/`,
    defaultVersion: "v1.0",
    ...(isGraph ? {} : { customHosts: new Set([url.hostname]) }),
  });
  return { client, close: () => transport.close() };
}

/** Runs one Graph call and turns every failure into a `DirectoryError` (status, Graph code, message). */
export async function graphCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toDirectoryError(err);
  }
}

/** Maps what the Graph client throws to our typed error. */
export function toDirectoryError(err: unknown): DirectoryError {
  if (err instanceof DirectoryError) return err;
  if (err instanceof GraphTimeoutError) return timedOut(err.message);
  if (err instanceof GraphError) {
    // The Graph client wraps what the chain threw, keeping its name as the code.
    if (err.code === "GraphTimeoutError") return timedOut(err.message);
    const status = err.statusCode > 0 ? err.statusCode : 0;
    const code = status === 0 ? "connectionFailed" : err.code || `http${status}`;
    const message = status === 0 ? `Microsoft Graph could not be reached: ${err.message || err.code || "connection failed"}` : err.message || `HTTP ${status}`;
    return new DirectoryError(status, code, message, err.requestId ?? undefined);
  }
  if (err instanceof Error) return new DirectoryError(0, "connectionFailed", `Microsoft Graph could not be reached: ${err.message}`);
  return new DirectoryError(0, "unknown", String(err));
}

function timedOut(detail: string): DirectoryError {
  return new DirectoryError(0, "timeout", `Microsoft Graph could not be reached: ${detail}.`);
}
