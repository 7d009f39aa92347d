import type { AddressInfo } from "node:net";
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type ActivityHandler,
} from "botbuilder";
import type { Logger } from "pino";
import restify from "restify";
import { isLoopback, type BotAuth } from "./bot-config";

/**
 * The Bot Framework adapter for the configured authentication. Local mode (no app id) accepts unsigned
 * traffic, which is why the server refuses to run it anywhere but loopback.
 */
export function createAdapter(auth: BotAuth, log: Logger): CloudAdapter {
  const settings =
    auth.mode === "local"
      ? { MicrosoftAppId: "", MicrosoftAppPassword: "", MicrosoftAppType: "MultiTenant" }
      : auth.mode === "SingleTenant"
        ? { MicrosoftAppId: auth.appId, MicrosoftAppPassword: auth.password, MicrosoftAppType: "SingleTenant", MicrosoftAppTenantId: auth.tenantId }
        : { MicrosoftAppId: auth.appId, MicrosoftAppType: "UserAssignedMSI", MicrosoftAppTenantId: auth.tenantId };
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}, new ConfigurationServiceClientCredentialFactory(settings)));
  adapter.onTurnError = async (context, error) => {
    // The turn's own handlers answer refusals; this is for what escaped them. No internals reach the chat.
    log.error({ err: error, activityType: context.activity.type }, "unhandled error in a turn");
    if (context.activity.type === "message") await context.sendActivity("Something went wrong on Rewind's side. Try again in a minute.").catch(() => undefined);
  };
  return adapter;
}

/** A running bot endpoint. */
export interface BotServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Serves `/api/messages` (and `/healthz`) with restify on the given host and port. */
export async function startBotServer(options: {
  host: string;
  port: number;
  auth: BotAuth;
  adapter: CloudAdapter;
  bot: ActivityHandler;
  log: Logger;
}): Promise<BotServer> {
  const { host, port, auth, adapter, bot, log } = options;
  if (auth.mode === "local" && !isLoopback(host)) {
    throw new Error(`Local mode (no BOT_ID) has no authentication and only listens on loopback, not ${host}.`);
  }
  const server = restify.createServer({ name: "rewind-bot", handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
  server.post("/api/messages", async (req, res) => {
    await adapter.process(req, res, (ctx) => bot.run(ctx));
  });
  server.get("/healthz", async (_req, res) => {
    res.send(200, { ok: true });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${bound}`;
  log.info({ url, mode: auth.mode }, "bot listening");
  return {
    url,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would hold the close open.
        (server.server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
