import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { Agent, fetch as undiciFetch, Response as UndiciResponse, type Dispatcher } from "undici";
import { linkedAbort } from "../../lib/linked-abort";
import { GraphTimeoutError, seconds } from "./graph-timeouts";

/** Options of the HTTP transport. */
export interface TransportOptions {
  /** PEM of a CA to trust besides the system's (the simulator's CA); verification stays on. */
  readonly ca?: string;
  /** Parallel connections per origin. */
  readonly connections?: number;
  /** Deadline of one request: connecting, sending, the headers and the whole body. */
  readonly timeoutMs: number;
}

/** Statuses whose answer has no body (a Response refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * The last link of the Graph client's middleware chain: sends the request with undici over a keep-alive
 * connection pool. Using our own dispatcher lets a client trust one extra CA without touching the process.
 * Each request has a deadline that covers its body too: the body is read here, within it, so a connection
 * that stalls mid-answer fails here (where the retry middleware sees it) instead of in the Graph client
 * after the chain returned.
 */
export class UndiciTransport implements Middleware {
  private readonly dispatcher: Dispatcher;
  private readonly timeoutMs: number;

  constructor(options: TransportOptions) {
    this.timeoutMs = options.timeoutMs;
    this.dispatcher = new Agent({
      connections: options.connections ?? 8,
      keepAliveTimeout: 30_000,
      ...(options.ca ? { connect: { ca: options.ca } } : {}),
    });
  }

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === "string" ? context.request : context.request.url;
    const init = (context.options ?? {}) as Record<string, unknown>;
    // The caller's abort wins with its own reason (it comes first when both happen).
    const deadline = linkedAbort(init.signal instanceof AbortSignal ? init.signal : undefined);
    const timer = setTimeout(() => deadline.abort(new GraphTimeoutError(`the request timed out after ${seconds(this.timeoutMs)}`)), this.timeoutMs);
    try {
      const res = await undiciFetch(url, { ...init, signal: deadline.signal, dispatcher: this.dispatcher } as Parameters<typeof undiciFetch>[1]);
      const body = NULL_BODY.has(res.status) ? null : await res.arrayBuffer();
      context.response = new UndiciResponse(body, { status: res.status, statusText: res.statusText, headers: res.headers }) as unknown as Response;
    } catch (err) {
      throw deadline.signal.aborted ? deadline.signal.reason : err;
    } finally {
      clearTimeout(timer);
      deadline.dispose();
    }
  }

  /** Closes the pooled connections. */
  close(): Promise<void> {
    return this.dispatcher.close();
  }
}
