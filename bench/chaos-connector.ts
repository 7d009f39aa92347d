import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One call a Rewind process made to the Bot Connector. */
export interface ConnectorCall {
  /** `send`: a new activity in a conversation (a reply in a turn, or proactive); `update`: a card replaced in place. */
  readonly kind: "send" | "update";
  readonly conversationId: string;
  /** The activity a send answers (a reply in a turn), or the one an update replaces. */
  readonly activityId?: string;
  /** The id this connector gave a send. */
  readonly givenId?: string;
  /** The activity as JSON text. */
  readonly body: string;
  /** Milliseconds since the epoch. */
  readonly at: number;
}

/**
 * The Bot Connector of the chaos benchmark, in the benchmark's own process (every Rewind process under test
 * posts here: each conversation's `serviceUrl` points at it): a plain HTTP server on 127.0.0.1 that records
 * every send and update and answers 200, so alerts can be counted however many processes sent them.
 */
export class ChaosConnector {
  readonly calls: ConnectorCall[] = [];
  private server?: Server;
  private seq = 0;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  /** Sends (not updates) to one conversation. */
  sendsTo(conversationId: string): ConnectorCall[] {
    return this.calls.filter((c) => c.kind === "send" && c.conversationId === conversationId);
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => {
      if (!this.server) return r();
      this.server.close(() => r());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? "");
    if (!match) return answer(res, 404, { error: { code: "NotFound", message: req.url ?? "" } });
    const conversationId = decodeURIComponent(match[1]!);
    const activityId = match[2] ? decodeURIComponent(match[2]) : undefined;
    const at = Date.now();
    if (req.method === "PUT" && activityId) {
      this.calls.push({ kind: "update", conversationId, activityId, body, at });
      return answer(res, 200, { id: activityId });
    }
    const givenId = `chaos-${++this.seq}`;
    this.calls.push({ kind: "send", conversationId, ...(activityId ? { activityId } : {}), givenId, body, at });
    answer(res, 200, { id: givenId });
  }
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}
