import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One call the bot made to the Bot Connector. */
export interface ConnectorCall {
  /** `reply` (to an activity, in a turn), `send` (a new message, e.g. proactive) or `update` (a card replaced in place). */
  readonly kind: "reply" | "send" | "update";
  readonly conversationId: string;
  /** The id the connector gave (reply/send) or the id updated (update). */
  readonly activityId: string;
  readonly replyToId?: string;
  readonly activity: Record<string, unknown>;
  readonly at: number;
}

/** A failure the fake answers with, for the next matching calls. */
interface Planned {
  readonly conversationId?: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  remaining: number;
}

/**
 * A Bot Connector on 127.0.0.1 that records what the bot sends (replies, proactive messages, in-place updates)
 * and can be told to fail the next calls (429, 403, 502…). Activities' `serviceUrl` points here.
 */
export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  private server?: Server;
  private seq = 0;
  private readonly failures: Planned[] = [];
  /** Ids of activities the test is posting to the bot right now: a post answering one is a reply in that turn. */
  readonly openTurns = new Set<string>();
  /** Calls answered with a failure (not recorded in `calls`). */
  readonly refused: Array<{ status: number; conversationId: string; at: number }> = [];
  /** Calls left unanswered on purpose (hangNext); their connections stay open until close(). */
  readonly hung: Array<{ conversationId: string; at: number }> = [];
  private readonly hangs: Array<{ conversationId?: string; remaining: number }> = [];
  url = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => {
      this.server?.close(() => r());
      this.server?.closeAllConnections();
    });
  }

  /** The next `count` calls (to one conversation, if named) get this status (with headers such as Retry-After, and a Teams-shaped error body). */
  failNext(count: number, status: number, options: { headers?: Record<string, string>; code?: string; conversationId?: string } = {}): void {
    this.failures.push({ ...(options.conversationId ? { conversationId: options.conversationId } : {}), status, headers: options.headers ?? {}, body: { error: { code: options.code ?? `Status${status}`, message: `Fake connector answered ${status}` } }, remaining: count });
  }

  /** The next `count` calls (to one conversation, if named) are read and never answered: a connector that hangs. */
  hangNext(count: number, options: { conversationId?: string } = {}): void {
    this.hangs.push({ ...(options.conversationId ? { conversationId: options.conversationId } : {}), remaining: count });
  }

  /** Calls to one conversation (optionally of one kind). */
  to(conversationId: string, kind?: ConnectorCall["kind"]): ConnectorCall[] {
    return this.calls.filter((c) => c.conversationId === conversationId && (kind === undefined || c.kind === kind));
  }

  /** Waits until a call matching `match` arrives after index `from`; returns it. */
  async waitFor(match: (c: ConnectorCall) => boolean, options: { from?: number; timeoutMs?: number; what?: string } = {}): Promise<ConnectorCall> {
    const until = Date.now() + (options.timeoutMs ?? 20_000);
    for (;;) {
      const found = this.calls.slice(options.from ?? 0).find(match);
      if (found) return found;
      if (Date.now() > until) throw new Error(`no connector call ${options.what ?? "matching"} within ${options.timeoutMs ?? 20_000} ms; calls: ${this.calls.map((c) => `${c.kind}:${c.conversationId}:${cardTitle(c)}`).join(", ")}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? "");
    if (!match) {
      reply(res, 404, { "Content-Type": "application/json" }, JSON.stringify({ error: { code: "NotFound", message: req.url } }));
      return;
    }
    const conversationId = decodeURIComponent(match[1]!);
    const pathId = match[2] ? decodeURIComponent(match[2]) : undefined;
    const hang = this.hangs.find((h) => h.remaining > 0 && (h.conversationId === undefined || h.conversationId === conversationId));
    if (hang) {
      hang.remaining--;
      this.hung.push({ conversationId, at: Date.now() });
      return;
    }
    const failure = this.failures.find((f) => f.remaining > 0 && (f.conversationId === undefined || f.conversationId === conversationId));
    if (failure) {
      failure.remaining--;
      this.refused.push({ status: failure.status, conversationId, at: Date.now() });
      reply(res, failure.status, { "Content-Type": "application/json", ...failure.headers }, JSON.stringify(failure.body));
      return;
    }
    const activity = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const at = Date.now();
    if (req.method === "PUT" && pathId) {
      this.calls.push({ kind: "update", conversationId, activityId: pathId, activity, at });
      reply(res, 200, { "Content-Type": "application/json" }, JSON.stringify({ id: pathId }));
      return;
    }
    const id = `act-${++this.seq}`;
    // A reply answers an activity whose turn is still open; anything else arrives on its own (proactive).
    const isReply = pathId !== undefined && this.openTurns.has(pathId);
    this.calls.push({ kind: isReply ? "reply" : "send", conversationId, activityId: id, ...(isReply ? { replyToId: pathId } : {}), activity, at });
    reply(res, 200, { "Content-Type": "application/json" }, JSON.stringify({ id }));
  }
}

/** Answers a call (restify, loaded in the same process, patches ServerResponse so writeHead does not chain). */
function reply(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, headers);
  res.end(body);
}

/** The Adaptive Card a call carries, or null. */
export function cardOf(call: ConnectorCall): Record<string, unknown> | null {
  const attachments = call.activity.attachments as Array<{ contentType?: string; content?: Record<string, unknown> }> | undefined;
  return attachments?.find((a) => a.contentType === "application/vnd.microsoft.card.adaptive")?.content ?? null;
}

/** All the text of a card (TextBlocks, facts, titles), lower-cased, for loose assertions. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.entries(v).forEach(([k, x]) => k !== "data" && walk(x));
  };
  walk(card);
  return out.join(" \n ");
}

function cardTitle(c: ConnectorCall): string {
  const card = cardOf(c);
  return card ? cardText(card).slice(0, 60).replace(/\s+/g, " ") : String(c.activity.text ?? "").slice(0, 60);
}
