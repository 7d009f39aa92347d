import { request } from "node:http";

/** What came back from a raw HTTP request, and how much of its body got onto the wire. */
export interface RawAnswer {
  /** The response status, or null when the connection ended without one. */
  readonly status: number | null;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  /** Body bytes handed to the socket before the answer came or the connection closed. */
  readonly bytesWritten: number;
  /** How the connection ended early, if it did (ECONNRESET, EPIPE…). */
  readonly error: string | null;
}

/** A body made of `count` copies of `chunk`, after an optional `head` (nothing is held in memory at once). */
export interface ChunkedBody {
  readonly head?: Buffer;
  readonly chunk: Buffer;
  readonly count: number;
}

/**
 * Posts a body as a client would, chunk by chunk with backpressure, and stops writing as soon as an answer
 * arrives (a server that refuses early never gets the rest). With `waitForContinue`, the body is sent only
 * after the server's 100-continue go-ahead.
 */
export function rawPost(url: string, headers: Record<string, string>, body: Buffer | ChunkedBody | null, options: { waitForContinue?: boolean; timeoutMs?: number } = {}): Promise<RawAnswer> {
  return new Promise((resolve) => {
    let bytesWritten = 0;
    let answered = false;
    let settled = false;
    let status: number | null = null;
    let resHeaders: RawAnswer["headers"] = {};
    let text = "";
    const settle = (error: string | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ status, headers: resHeaders, body: text, bytesWritten, error });
    };
    const req = request(url, { method: "POST", headers, agent: false });
    const timer = setTimeout(() => settle("timed out"), options.timeoutMs ?? 30_000);
    req.on("response", (res) => {
      answered = true;
      status = res.statusCode ?? null;
      resHeaders = res.headers;
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => settle(null));
      res.on("error", () => settle(null));
    });
    req.on("error", (err: NodeJS.ErrnoException) => settle(answered ? null : (err.code ?? err.message)));
    const write = async (): Promise<void> => {
      if (body === null) return; // headers only: the body never comes
      const parts: Iterable<Buffer> = Buffer.isBuffer(body) ? [body] : chunks(body);
      for (const part of parts) {
        if (answered || settled || req.destroyed) return;
        bytesWritten += part.length;
        if (!req.write(part)) await new Promise<void>((r) => {
          req.once("drain", r);
          req.once("close", r);
        });
      }
      if (!answered && !settled && !req.destroyed) req.end();
    };
    if (options.waitForContinue) req.once("continue", () => void write());
    else void write();
    if (body === null || options.waitForContinue) req.flushHeaders();
  });
}

function* chunks(body: ChunkedBody): Generator<Buffer> {
  if (body.head) yield body.head;
  for (let i = 0; i < body.count; i++) yield body.chunk;
}

/**
 * Runs `work` while sampling the process's resident memory every few milliseconds; returns its result and
 * the highest growth seen over the level before it started.
 */
export async function peakMemoryGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growthBytes: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, growthBytes: peak - before };
  } finally {
    clearInterval(sampler);
  }
}
