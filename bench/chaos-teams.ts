import { Agent, fetch } from "undici";
import type { BenchPerson } from "./bot-client";

/** A Teams conversation as activities name it. */
export interface TeamsConversation {
  readonly id: string;
  readonly type: "personal" | "channel";
}

let counter = 0;

/**
 * Posts Teams-shaped activities to a Rewind bot's `/api/messages` (local mode) whose `serviceUrl` is the
 * benchmark's connector, so replies, proactive sends and updates all land there, whichever process makes them.
 * The turn is over when the HTTP answer comes (the bot answers after its handler ran).
 */
export class TeamsPoster {
  private readonly agent = new Agent({ keepAliveTimeout: 10_000, connections: 2 });

  constructor(
    private readonly botUrl: string,
    private readonly serviceUrl: string,
    private readonly tenantId: string,
  ) {}

  /** Installs the bot in a conversation (Teams' installationUpdate, by `who`): the bot keeps its reference. */
  async install(who: BenchPerson, conversation: TeamsConversation): Promise<void> {
    await this.expectOk({ ...this.base(who, conversation), type: "installationUpdate", action: "add" }, "installationUpdate");
  }

  /** A message from `who`. */
  async say(who: BenchPerson, conversation: TeamsConversation, text: string): Promise<void> {
    await this.expectOk({ ...this.base(who, conversation), type: "message", text, textFormat: "plain" }, `message "${text}"`);
  }

  /** A card button (`Action.Execute`) clicked by `who`; returns the card the bot answers with. */
  async click(who: BenchPerson, conversation: TeamsConversation, verb: string, data: unknown): Promise<unknown> {
    const activity = { ...this.base(who, conversation), type: "invoke", name: "adaptiveCard/action", value: { action: { type: "Action.Execute", verb, data }, trigger: "manual" } };
    const text = await this.expectOk(activity, `click ${verb}`);
    return text ? ((JSON.parse(text) as { value?: unknown }).value ?? null) : null;
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private async expectOk(activity: Record<string, unknown>, what: string): Promise<string> {
    const res = await fetch(this.botUrl, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(activity), dispatcher: this.agent });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${what} answered HTTP ${res.status}: ${text.slice(0, 200)}`);
    return text;
  }

  private base(who: BenchPerson, conversation: TeamsConversation) {
    return {
      id: `chaos-in-${++counter}`,
      timestamp: new Date().toISOString(),
      serviceUrl: this.serviceUrl,
      channelId: "msteams",
      from: { id: who.teamsId, name: who.name, aadObjectId: who.aadObjectId },
      recipient: { id: "28:rewind-bot", name: "Rewind" },
      conversation: { id: conversation.id, conversationType: conversation.type, tenantId: this.tenantId },
      channelData: { tenant: { id: this.tenantId } },
      locale: "en-US",
    };
  }
}
