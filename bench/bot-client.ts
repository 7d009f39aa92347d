import { Agent, fetch } from "undici";
import type { ReplyRecorder } from "./bot-recorder";

/** Who the benchmark speaks as: a user of the simulated tenant, as Teams shows them to a bot. */
export interface BenchPerson {
  readonly aadObjectId: string;
  readonly name: string;
  readonly teamsId: string;
}

/** One timed message: POST start → the reply at the connector (and → the HTTP answer, for comparison). */
export interface MessageSample {
  readonly replyMs: number;
  readonly httpMs: number;
  readonly status: number;
  readonly card: unknown;
  readonly replyBytes: number;
}

/** One timed click: POST start → the HTTP answer (the card Teams shows the clicker). */
export interface ClickSample {
  readonly ms: number;
  readonly status: number;
  readonly card: unknown;
  readonly bytes: number;
}

let counter = 0;

/**
 * Posts Teams-shaped activities (personal chat, the configured tenant) to the bot's `/api/messages`, as the
 * tests' fixture does, over one keep-alive connection pool like Teams' own. Replies come back through the
 * recorder, whose URL is each activity's `serviceUrl`.
 */
export class TeamsClient {
  private readonly agent = new Agent({ keepAliveTimeout: 60_000, connections: 4 });

  constructor(
    private readonly botUrl: string,
    private readonly recorder: ReplyRecorder,
    private readonly tenantId: string,
    private readonly who: BenchPerson,
  ) {}

  async say(text: string): Promise<MessageSample> {
    const activity = { ...this.base(), type: "message", text, textFormat: "plain" };
    const reply = this.recorder.replyTo(activity.id);
    const started = performance.now();
    let status: number;
    try {
      status = (await this.post(activity)).status;
    } catch (err) {
      this.recorder.forget(activity.id);
      throw err;
    }
    const httpMs = performance.now() - started;
    if (status !== 200) {
      this.recorder.forget(activity.id);
      throw new Error(`message "${text}" answered HTTP ${status}`);
    }
    const r = await reply;
    return { replyMs: r.at - started, httpMs, status, card: cardOf(r.activity), replyBytes: r.bytes };
  }

  async click(verb: string, data: unknown): Promise<ClickSample> {
    const activity = { ...this.base(), type: "invoke", name: "adaptiveCard/action", value: { action: { type: "Action.Execute", verb, data }, trigger: "manual" } };
    const started = performance.now();
    const res = await this.post(activity);
    const ms = performance.now() - started;
    const body = res.text ? (JSON.parse(res.text) as { value?: unknown }) : null;
    return { ms, status: res.status, card: body?.value ?? null, bytes: res.text.length };
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private async post(activity: Record<string, unknown>): Promise<{ status: number; text: string }> {
    const res = await fetch(this.botUrl, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(activity), dispatcher: this.agent });
    return { status: res.status, text: await res.text() };
  }

  private base() {
    const conversationId = `a:bench-personal-${this.who.aadObjectId}`;
    return {
      id: `bench-in-${++counter}`,
      timestamp: new Date().toISOString(),
      serviceUrl: this.recorder.url,
      channelId: "msteams",
      from: { id: this.who.teamsId, name: this.who.name, aadObjectId: this.who.aadObjectId },
      recipient: { id: "28:rewind-bot", name: "Rewind" },
      conversation: { id: conversationId, conversationType: "personal", tenantId: this.tenantId },
      channelData: { tenant: { id: this.tenantId } },
      locale: "en-US",
    };
  }
}

/** The Adaptive Card an activity carries, or null. */
function cardOf(activity: Record<string, unknown>): unknown {
  const attachments = activity["attachments"] as Array<{ contentType?: string; content?: unknown }> | undefined;
  return attachments?.find((a) => a.contentType === "application/vnd.microsoft.card.adaptive")?.content ?? null;
}

/** Whether a card is Rewind's error card (its status line reads "Error <status>"). */
export function isErrorCard(card: unknown): boolean {
  return /"Error \d{3}"/.test(JSON.stringify(card ?? null));
}
