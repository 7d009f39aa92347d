import type { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CloudAdapter, ConfigurationServiceClientCredentialFactory, type ActivityHandler } from "botbuilder";
import type { Logger } from "pino";
import restify, { type Request, type Response } from "restify";
import { isLoopback, type BotAuth } from "./bot-config";
import { DEFAULT_CONNECTOR_TIMEOUT_MS, TimedBotFrameworkAuthentication } from "./http/connector-timeout";
import { InFlight } from "./http/in-flight";
import { readBody } from "./http/read-body";
import { gateMessageRequest } from "./http/request-gate";

/** The most bytes an activity may have; Teams' largest (card submissions, long messages) are well under it. */
export const MAX_BODY_BYTES = 256 * 1024;

/** How long a client may take to send a whole request (headers and body). */
const REQUEST_TIMEOUT_MS = 30_000;

/** Each path the server answers, and the one method it accepts there. */
const ROUTES: Readonly<Record<string, string>> = { "/api/messages": "POST", "/healthz": "GET", "/readyz": "GET" };

/**
 * The Bot Framework adapter for the configured authentication. Local mode (no app id) accepts unsigned
 * traffic, which is why the server refuses to run it anywhere but loopback. Every call it makes to the Bot
 * Connector (replies, proactive sends, updates) gives up after `connectorTimeoutMs` without an answer.
 */
export function createAdapter(auth: BotAuth, log: Logger, options: { connectorTimeoutMs?: number } = {}): CloudAdapter {
  const settings =
    auth.mode === "local"
      ? { MicrosoftAppId: "", MicrosoftAppPassword: "", MicrosoftAppType: "MultiTenant" }
      : auth.mode === "SingleTenant"
        ? { MicrosoftAppId: auth.appId, MicrosoftAppPassword: auth.password, MicrosoftAppType: "SingleTenant", MicrosoftAppTenantId: auth.tenantId }
        : { MicrosoftAppId: auth.appId, MicrosoftAppType: "UserAssignedMSI", MicrosoftAppTenantId: auth.tenantId };
  const timeoutMs = options.connectorTimeoutMs ?? DEFAULT_CONNECTOR_TIMEOUT_MS;
  const adapter = new CloudAdapter(new TimedBotFrameworkAuthentication({}, new ConfigurationServiceClientCredentialFactory(settings), timeoutMs));
  adapter.onTurnError = async (context, error) => {
    // The turn's own handlers answer refusals; this is for what escaped them. No internals reach the chat.
    log.error({ err: error, activityType: context.activity.type }, "unhandled error in a turn");
    if (context.activity.type === "message") await context.sendActivity("Something went wrong on Rewind's side. Try again in a minute.").catch(() => undefined);
  };
  return adapter;
}

/** What `/readyz` reports: ready when every check passed, and each check's outcome by name (no internals). */
export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, string>>;
}

/** A running bot endpoint. */
export interface BotServer {
  readonly url: string;
  readonly port: number;
  /**
   * Stops taking turns (new requests get 503, `/healthz` excepted), waits for the turns in progress to
   * finish, then closes the listener and every connection.
   */
  close(): Promise<void>;
}

/** Serves `/api/messages`, `/healthz` (liveness) and `/readyz` (readiness) with restify on the given host and port. */
export async function startBotServer(options: {
  host: string;
  port: number;
  auth: BotAuth;
  adapter: CloudAdapter;
  bot: ActivityHandler;
  log: Logger;
  /** The readiness checks behind `/readyz`; without them it answers ready. */
  readiness?: () => Promise<ReadinessReport>;
  /** The body's byte cap (MAX_BODY_BYTES by default). */
  maxBodyBytes?: number;
}): Promise<BotServer> {
  const { host, port, auth, adapter, bot, log } = options;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  if (auth.mode === "local" && !isLoopback(host)) {
    throw new Error(`Local mode (no BOT_ID) has no authentication and only listens on loopback, not ${host}.`);
  }
  // No body parser: restify's inflated gzip without limit and wrote multipart uploads to the temp folder, all
  // before the token check. Bodies are read below, by hand, after every check the headers allow. The
  // 100-continue go-ahead is given only then, too.
  const server = restify.createServer({ name: "rewind-bot", handleUncaughtExceptions: false, noWriteContinue: true });
  const http = server.server as HttpServer;
  http.requestTimeout = REQUEST_TIMEOUT_MS;
  const inFlight = new InFlight();
  let draining = false;

  server.pre((req: Request, res: Response, next: restify.Next) => {
    const path = req.getPath();
    const method = ROUTES[path];
    if (method === undefined) return next(refuse(req, res, 404, "Not found."));
    if (req.method !== method) {
      res.header("Allow", method);
      return next(refuse(req, res, 405, `Only ${method} is accepted here.`));
    }
    if (draining && path !== "/healthz") {
      res.header("Retry-After", "10");
      return next(refuse(req, res, 503, "Rewind is shutting down; try another instance or again shortly."));
    }
    return next();
  });

  server.post("/api/messages", async (req: Request, res: Response) => {
    res.once("close", inFlight.begin());
    const refusal = gateMessageRequest(req.headers, { authRequired: auth.mode !== "local", maxBodyBytes });
    if (refusal) {
      if (refusal.status === 401) res.header("WWW-Authenticate", "Bearer");
      log.info({ status: refusal.status, reason: refusal.error }, "request refused before its body was read");
      refuse(req, res, refusal.status, refusal.error);
      return;
    }
    if (req.headers.expect?.toLowerCase() === "100-continue") res.writeContinue();
    const read = await readBody(req, maxBodyBytes);
    if (!read.ok) {
      if (read.reason === "too-large") refuse(req, res, 413, `The body is over ${maxBodyBytes} bytes.`);
      return;
    }
    let activity: unknown;
    try {
      activity = JSON.parse(read.body.toString("utf8"));
    } catch {
      res.send(400, { error: "The body is not JSON." });
      return;
    }
    if (typeof activity !== "object" || activity === null || Array.isArray(activity)) {
      res.send(400, { error: "The body is not an activity." });
      return;
    }
    // The Bot Framework token's check needs the parsed activity (its claims are compared with the
    // activity's serviceUrl), so a body is parsed before its signature is checked: plain JSON only, within
    // the byte cap, from a request that carries a bearer token when authentication is on.
    (req as Request & { body: unknown }).body = activity;
    await adapter.process(req, res, (turnContext) => bot.run(turnContext));
  });

  server.get("/healthz", async (_req: Request, res: Response) => {
    res.send(200, { ok: true });
  });

  server.get("/readyz", async (_req: Request, res: Response) => {
    const report = options.readiness ? await options.readiness() : { ready: true, checks: {} };
    res.send(report.ready ? 200 : 503, report);
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
    async close() {
      draining = true;
      http.closeIdleConnections();
      await inFlight.idle();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would hold the close open.
        http.closeAllConnections();
      });
    },
  };
}

/**
 * Answers with an error and closes the connection once the answer is out: whatever of the body is still on
 * its way is never read. Returns false, which stops restify's handler chain when passed to `next`.
 */
function refuse(req: Request, res: Response, status: number, error: string): false {
  res.header("Connection", "close");
  res.send(status, { error });
  if (!req.complete) res.once("finish", () => req.socket.destroy());
  return false;
}
