import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ActivityHandler, CloudAdapter } from "botbuilder";
import pino from "pino";
import { startBotServer } from "../../bot/bot-server";
import { TimedBotFrameworkAuthentication } from "../../bot/http/connector-timeout";
import { ProactiveSender } from "../../bot/proactive/proactive-sender";
import { systemClock } from "../../core/system-clock";
import type { SqliteConversationStore } from "../../bot/conversations/sqlite/sqlite-conversation-store";
import { storeWithChat } from "./chat-store";
import { FakeConnector } from "./fake-connector";
import { rawPost } from "./raw-http";
import { settledWithin } from "./settled-within";

// Bot Framework authentication makes calls of its own before a turn and before every post: the inbound token is
// checked against Bot Framework's OpenID keys (fetched over HTTP), and each call to the Bot Connector is signed
// with the bot's own token (from the Entra token endpoint). When either endpoint accepts and never answers,
// the request and the post still end within the connector timeout.

jest.setTimeout(120_000);

const TENANT = "d0d0d0d0-0000-4000-8000-00000000d0d1";
const APP_ID = "0e0e0e0e-0000-4000-8000-000000000e0e";
const CHAT = "a:chat-auth-hang";
const TIMEOUT_MS = 500;
/** Room above a timeout for a loaded machine; a hang would run past any of these. */
const SLACK_MS = 8_000;
const log = pino({ level: "silent" });

/** An HTTP server that accepts every request and never answers (until closed). */
class SilentServer {
  readonly seen: string[] = [];
  private server?: Server;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((req: IncomingMessage, _res: ServerResponse) => void this.seen.push(req.url ?? ""));
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => {
      this.server?.close(() => r());
      this.server?.closeAllConnections();
    });
  }
}

/** A token-shaped bearer (unsigned): its issuer is Bot Framework's, so checking it means fetching the keys. */
function channelToken(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: "RS256", typ: "JWT", kid: "key-1" })}.${part({ iss: "https://api.botframework.com", aud: APP_ID, nbf: now - 60, exp: now + 3600, serviceurl: "http://127.0.0.1:9/" })}.${Buffer.from("not a signature").toString("base64url")}`;
}

/** botbuilder's credentials factory (it does not export the class), by its shape. */
type CredentialsFactory = ConstructorParameters<typeof TimedBotFrameworkAuthentication>[1];

/** Credentials whose token comes only after `delayMs` (an Entra token endpoint that hangs, then answers late). */
class SlowTokenCredentials {
  signed = 0;
  constructor(private readonly delayMs: number) {}
  async isValidAppId(): Promise<boolean> {
    return true;
  }
  async isAuthenticationDisabled(): Promise<boolean> {
    return false;
  }
  async createCredentials(): Promise<{ signRequest<T>(resource: T): Promise<T> }> {
    return {
      signRequest: async <T>(resource: T): Promise<T> => {
        await new Promise((r) => setTimeout(r, this.delayMs));
        this.signed += 1;
        return resource;
      },
    };
  }
}

describe("Bot Framework's own endpoints that never answer", () => {
  let silent: SilentServer;
  let connector: FakeConnector;
  let store: SqliteConversationStore;
  let closeStore: () => void;

  beforeAll(async () => {
    silent = await new SilentServer().start();
    connector = await new FakeConnector().start();
    ({ store, close: closeStore } = await storeWithChat(connector.url, TENANT, CHAT));
  });
  afterAll(async () => {
    await silent.close();
    await connector.close();
    closeStore();
  });

  it("an OpenID metadata endpoint that hangs does not hold the request: it is answered within the timeout and no turn runs", async () => {
    // Public-cloud settings, with the key documents at the silent server.
    const settings = {
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: "not-used",
      MicrosoftAppType: "MultiTenant",
      ToBotFromChannelOpenIdMetadataUrl: `${silent.url}/channel/.well-known/openidconfiguration`,
      ToBotFromEmulatorOpenIdMetadataUrl: `${silent.url}/emulator/.well-known/openidconfiguration`,
      ToBotFromChannelTokenIssuer: "https://api.botframework.com",
      ToChannelFromBotLoginUrl: "https://login.microsoftonline.com/botframework.com",
      ToChannelFromBotOAuthScope: "https://api.botframework.com",
      CallerId: "urn:botframework:azure",
    };
    const credentials: CredentialsFactory = new SlowTokenCredentials(0);
    const adapter = new CloudAdapter(new TimedBotFrameworkAuthentication(settings, credentials, TIMEOUT_MS));
    let turns = 0;
    const bot = new ActivityHandler();
    bot.onMessage(async (_ctx, next) => {
      turns += 1;
      await next();
    });
    const auth = { mode: "SingleTenant" as const, appId: APP_ID, password: "not-used", tenantId: TENANT };
    const server = await startBotServer({ host: "127.0.0.1", port: 0, auth, adapter, bot, log });
    try {
      const seenBefore = silent.seen.length;
      const body = Buffer.from(JSON.stringify({ type: "message", id: "in-auth-hang", text: "list backups", serviceUrl: connector.url, channelId: "msteams", from: { id: "29:ada" }, conversation: { id: CHAT, tenantId: TENANT }, recipient: { id: "28:bot" } }));
      const started = Date.now();
      const answer = await rawPost(`${server.url}/api/messages`, { "Content-Type": "application/json", "Content-Length": String(body.length), Authorization: `Bearer ${channelToken()}` }, body, { timeoutMs: TIMEOUT_MS + SLACK_MS });
      expect(answer.error).toBeNull();
      expect(answer.status).toBe(500);
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      // The key fetch was what hung, and the activity was never let through.
      expect(silent.seen.slice(seenBefore)).toEqual(["/channel/.well-known/openidconfiguration"]);
      expect(turns).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("a token endpoint that hangs does not hold a post, and a token that comes late sends nothing afterwards", async () => {
    // The token comes after any wait this test allows the post: without a deadline, the post is still pending.
    const credentials = new SlowTokenCredentials(TIMEOUT_MS + SLACK_MS + 500);
    const factory: CredentialsFactory = credentials;
    const adapter = new CloudAdapter(new TimedBotFrameworkAuthentication({}, factory, TIMEOUT_MS));
    // The sender's own bound on a try is far away: the adapter's deadline is what ends the wait.
    const sender = new ProactiveSender(adapter, "", store, TENANT, systemClock, log, { backoffMs: 20, spacingMs: 5, attemptTimeoutMs: 10 * 60_000, attempts: 1 });
    const before = connector.to(CHAT).length;
    const outcome = await settledWithin(sender.post(CHAT, { type: "AdaptiveCard", version: "1.5", body: [{ type: "TextBlock", text: "waiting for a token" }] }), TIMEOUT_MS + SLACK_MS);
    expect(outcome).toEqual({ error: expect.objectContaining({ name: "AbortError" }) });
    // The token arrives after the caller was told the post failed: the post is not sent then.
    while (credentials.signed === 0) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, TIMEOUT_MS));
    expect(connector.to(CHAT).length).toBe(before);
  });
});
