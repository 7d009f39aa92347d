import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A reply the bot sent to an incoming activity, stamped when its body had fully arrived. */
export interface RecordedReply {
  /** performance.now() in this process: the same clock the client stamps its POST with. */
  readonly at: number;
  readonly activity: Record<string, unknown>;
  readonly bytes: number;
}

interface Waiter {
  resolve(r: RecordedReply): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * A stand-in Bot Connector on 127.0.0.1 for the benchmark (the tests' FakeConnector is theirs): it stamps
 * each reply (`POST /v3/conversations/{id}/activities/{replyToId}`) and hands it to whoever waits for that
 * activity's reply; other sends and in-place updates are answered and counted. It lives in the bot's process,
 * so the stamp and the client's start share one clock.
 */
export class ReplyRecorder {
  private server?: Server;
  private seq = 0;
  private readonly waiters = new Map<string, Waiter>();
  /** Replies that arrived with no one waiting (a second reply to one message, or a late one). */
  unexpected = 0;
  /** Proactive sends and card updates (not replies). */
  other = 0;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  /** Resolves with the first reply to `activityId`; call before posting the activity. */
  replyTo(activityId: string, timeoutMs = 30_000): Promise<RecordedReply> {
    return new Promise<RecordedReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(activityId);
        reject(new Error(`no reply to ${activityId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(activityId, { resolve, reject, timer });
    });
  }

  /** Stops waiting for a reply (the turn failed before one came). */
  forget(activityId: string): void {
    const w = this.waiters.get(activityId);
    if (!w) return;
    clearTimeout(w.timer);
    this.waiters.delete(activityId);
  }

  async close(): Promise<void> {
    for (const id of [...this.waiters.keys()]) this.forget(id);
    await new Promise<void>((r) => {
      if (!this.server) return r();
      this.server.close(() => r());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const at = performance.now();
    const body = Buffer.concat(chunks);
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? "");
    if (!match) return answer(res, 404, { error: { code: "NotFound", message: req.url ?? "" } });
    const pathId = match[2] ? decodeURIComponent(match[2]) : undefined;
    if (req.method === "PUT" && pathId) {
      this.other++;
      return answer(res, 200, { id: pathId });
    }
    const waiter = pathId === undefined ? undefined : this.waiters.get(pathId);
    if (waiter && pathId !== undefined) {
      this.waiters.delete(pathId);
      clearTimeout(waiter.timer);
      waiter.resolve({ at, activity: JSON.parse(body.toString("utf8")) as Record<string, unknown>, bytes: body.length });
    } else if (pathId !== undefined) {
      this.unexpected++;
    } else {
      this.other++;
    }
    answer(res, 200, { id: `bench-${++this.seq}` });
  }
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}
