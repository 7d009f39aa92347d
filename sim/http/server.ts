import https from "node:https";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Logger } from "pino";
import { GraphError, errorBody } from "./errors";
import { DROP, HANG, HANG_BODY, type Pipeline } from "./pipeline";
import { handleControl, type Controls } from "./control";
import type { SimRequest, SimResponse } from "./request";
import { splitPath } from "./path";
import type { FaultInjector } from "./faults";
import type { StatsCounter } from "./stats";
import { sleep } from "../../lib/async";

const MAX_BODY = 4 * 1024 * 1024;
const STREAM_CHUNK = 64 * 1024;

export interface ServerDeps {
  key: string;
  cert: string;
  pipeline: Pipeline;
  controls: Controls;
  faults: FaultInjector;
  stats: StatsCounter;
  logger: Logger;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new GraphError(413, "Request_EntityTooLarge", "The request body is too large."));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(size === 0 ? undefined : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Parses a JSON body; a malformed one is flagged, not thrown (handlers that need a body answer 400). */
export function parseBody(text: string | undefined): { body: unknown; malformed: boolean } {
  if (text === undefined || text.trim() === "") return { body: undefined, malformed: false };
  try {
    return { body: JSON.parse(text) as unknown, malformed: false };
  } catch {
    return { body: undefined, malformed: true };
  }
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

/**
 * The HTTPS front: keep-alive connections on 127.0.0.1 only, `/_sim/` controls, injected latency, dropped
 * sockets and hangs, then the Graph pipeline.
 */
export class SimServer {
  private readonly server: https.Server;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly deps: ServerDeps) {
    this.server = https.createServer({ key: deps.key, cert: deps.cert, keepAlive: true }, (req, res) => {
      void this.onRequest(req, res);
    });
    this.server.keepAliveTimeout = 65000;
    this.server.on("connection", (s: Socket) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    this.server.on("tlsClientError", (err) => deps.logger.debug({ err }, "TLS client error"));
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => {
        const addr = this.server.address();
        if (addr === null || typeof addr === "string") reject(new Error("no address"));
        else resolve(addr.port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }

  private async send(res: ServerResponse, r: SimResponse, requestId: string, clientRequestId: string): Promise<void> {
    if (res.destroyed) return;
    res.writeHead(r.status, {
      ...r.headers,
      "request-id": requestId,
      "client-request-id": clientRequestId,
      "OData-Version": "4.0",
      "Strict-Transport-Security": "max-age=31536000",
    });
    if (r.stream === undefined) {
      res.end(r.body);
      return;
    }
    // Send in ~64 KB pieces and let other connections run between them.
    let buf = "";
    for (const part of r.stream) {
      buf += part;
      if (buf.length >= STREAM_CHUNK) {
        const flushed = res.write(buf);
        buf = "";
        await new Promise<void>((resolve) => (flushed ? setImmediate(resolve) : res.once("drain", resolve)));
        if (res.destroyed) return;
      }
    }
    res.end(buf);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { pipeline, stats, faults, logger } = this.deps;
    stats.httpRequest();
    const requestId = randomUUID();
    const headers = headerRecord(req);
    const clientRequestId = headers["client-request-id"] ?? requestId;
    const host = headers["host"] ?? `127.0.0.1:${(this.server.address() as { port: number } | null)?.port ?? 0}`;
    const origin = `https://${host}`;
    try {
      const url = new URL(req.url ?? "/", origin);
      const text = await readBody(req);
      if (url.pathname.startsWith("/_sim/")) {
        const answer = handleControl(req.method ?? "GET", url.pathname, url.searchParams, parseBody(text).body, this.deps.controls);
        res.writeHead(answer.status, { "Content-Type": "application/json" });
        res.end(answer.body);
        return;
      }
      if (faults.latencyMs > 0) await sleep(faults.latencyMs);
      const { version, segments } = splitPath(url.pathname);
      const { body, malformed } = parseBody(text);
      const simReq: SimRequest = {
        method: (req.method ?? "GET").toUpperCase(),
        version,
        path: url.pathname,
        segments,
        query: url.searchParams,
        headers,
        body,
        bodyMalformed: malformed,
        requestId,
        clientRequestId,
        origin,
      };
      if (version !== "v1.0" && version !== "beta") {
        const e = new GraphError(400, "BadRequest", `Invalid version: ${version || "(none)"}`);
        await this.send(res, pipeline.errorResponse(simReq, e), requestId, clientRequestId);
        return;
      }
      const answer = pipeline.handleTop(simReq);
      if (answer === DROP) {
        req.socket.destroy();
        return;
      }
      // Hangs hold the connection open and silent (or mid-body) until the client gives up or the server closes.
      if (answer === HANG) return;
      if (answer === HANG_BODY) {
        res.writeHead(200, { "Content-Type": "application/json", "request-id": requestId, "client-request-id": clientRequestId });
        res.write('{"value":[');
        return;
      }
      await this.send(res, answer, requestId, clientRequestId);
    } catch (e) {
      if (res.headersSent) {
        // A failure while streaming a page: the status is already out, so the connection is the only signal.
        logger.error({ err: e }, "simulator failed while streaming an answer");
        res.destroy();
        return;
      }
      const g = e instanceof GraphError ? e : new GraphError(500, "InternalServerError", "The simulator failed to handle the request.");
      if (!(e instanceof GraphError)) logger.error({ err: e }, "simulator request failed");
      const body = errorBody(g.code, g.message, requestId, clientRequestId, Date.now());
      await this.send(res, { status: g.status, headers: { "Content-Type": "application/json" }, body }, requestId, clientRequestId);
    }
  }
}
