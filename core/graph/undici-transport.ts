import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { Agent, fetch as undiciFetch, type Dispatcher } from "undici";

/** Options of the HTTP transport. */
export interface TransportOptions {
  /** PEM of a CA to trust besides the system's (the simulator's CA); verification stays on. */
  readonly ca?: string;
  /** Parallel connections per origin. */
  readonly connections?: number;
}

/**
 * The last link of the Graph client's middleware chain: sends the request with undici over a keep-alive
 * connection pool. Using our own dispatcher lets a client trust one extra CA without touching the process.
 */
export class UndiciTransport implements Middleware {
  private readonly dispatcher: Dispatcher;

  constructor(options: TransportOptions = {}) {
    this.dispatcher = new Agent({
      connections: options.connections ?? 8,
      keepAliveTimeout: 30_000,
      ...(options.ca ? { connect: { ca: options.ca } } : {}),
    });
  }

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === "string" ? context.request : context.request.url;
    const init = (context.options ?? {}) as Record<string, unknown>;
    const res = await undiciFetch(url, { ...init, dispatcher: this.dispatcher } as Parameters<typeof undiciFetch>[1]);
    context.response = res as unknown as Response;
  }

  /** Closes the pooled connections. */
  close(): Promise<void> {
    return this.dispatcher.close();
  }
}
