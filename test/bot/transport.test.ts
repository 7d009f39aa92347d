import { ActivityHandler } from "botbuilder";
import pino from "pino";
import { botConfigFromEnv } from "../../app/settings/section-readers";
import { createAdapter, startBotServer } from "../../bot/bot-server";

const TENANT = "d0d0d0d0-0000-4000-8000-00000000d0d0";
const APP = "5e5e5e5e-0000-4000-8000-000000000001";
const log = pino({ level: "silent" });

describe("the bot's transport settings", () => {
  it("runs in local mode only when the caller asks for it, and then only on loopback", () => {
    const local = { allowLocalMode: true };
    expect(botConfigFromEnv({ TENANT_ID: TENANT }, local).auth).toEqual({ mode: "local" });
    expect(botConfigFromEnv({ TENANT_ID: TENANT, BOT_HOST: "::1" }, local).host).toBe("::1");
    expect(() => botConfigFromEnv({ TENANT_ID: TENANT, BOT_HOST: "0.0.0.0" }, local)).toThrow(/local mode .* only listens on loopback/);
    // Never inferred from an empty BOT_ID: without the caller's say-so, BOT_ID is required.
    expect(() => botConfigFromEnv({ TENANT_ID: TENANT })).toThrow(/BOT_ID: is not set/);
    expect(() => botConfigFromEnv({ TENANT_ID: TENANT, BOT_ID: "" })).toThrow(/BOT_ID: is not set/);
    expect(botConfigFromEnv({ TENANT_ID: TENANT, BOT_ID: APP, BOT_PASSWORD: "s3cret" }, local).auth.mode).toBe("SingleTenant");
  });

  it("needs the secret for SingleTenant and none for a managed identity, naming every problem at once", () => {
    expect(botConfigFromEnv({ TENANT_ID: TENANT, BOT_ID: APP, BOT_PASSWORD: "s3cret", BOT_HOST: "0.0.0.0" }).auth).toEqual({ mode: "SingleTenant", appId: APP, password: "s3cret", tenantId: TENANT });
    expect(botConfigFromEnv({ TENANT_ID: TENANT, BOT_ID: APP, BOT_TYPE: "UserAssignedMSI" }).auth).toEqual({ mode: "UserAssignedMSI", appId: APP, tenantId: TENANT });
    expect(() => botConfigFromEnv({ TENANT_ID: TENANT, BOT_ID: APP })).toThrow(/BOT_PASSWORD: required for a SingleTenant bot/);
    expect(() => botConfigFromEnv({ TENANT_ID: TENANT, BOT_ID: APP, BOT_TYPE: "UserAssignedMSI", BOT_PASSWORD: "x" })).toThrow(/must be empty for UserAssignedMSI/);
    const err = (() => {
      try {
        botConfigFromEnv({ TENANT_ID: "contoso", BOT_ID: "bot", BOT_PORT: "99999", BOT_TYPE: "MultiTenant" });
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    })();
    for (const name of ["TENANT_ID", "BOT_ID", "BOT_PORT", "BOT_TYPE"]) expect(err).toContain(name);
    // The secret never appears in the message.
    expect(() => botConfigFromEnv({ TENANT_ID: TENANT, BOT_ID: APP, BOT_PASSWORD: "hunter2-secret", BOT_PORT: "x" })).toThrow(/BOT_PORT/);
    try {
      botConfigFromEnv({ TENANT_ID: TENANT, BOT_ID: APP, BOT_PASSWORD: "hunter2-secret", BOT_PORT: "x" });
    } catch (e) {
      expect((e as Error).message).not.toContain("hunter2");
    }
  });

  it("refuses to serve local mode on a non-loopback interface even if asked directly", async () => {
    const adapter = createAdapter({ mode: "local" }, log);
    await expect(startBotServer({ host: "0.0.0.0", port: 0, auth: { mode: "local" }, adapter, bot: new ActivityHandler(), log })).rejects.toThrow(/only listens on loopback/);
  });

  it("in SingleTenant mode answers 401 to unsigned or badly signed traffic, and runs nothing", async () => {
    const auth = { mode: "SingleTenant" as const, appId: APP, password: "not-a-real-secret", tenantId: TENANT };
    const bot = new ActivityHandler();
    const seen: string[] = [];
    bot.onMessage(async (ctx, next) => {
      seen.push(String(ctx.activity.text));
      await next();
    });
    const server = await startBotServer({ host: "127.0.0.1", port: 0, auth, adapter: createAdapter(auth, log), bot, log });
    try {
      const activity = { type: "message", text: "backups", serviceUrl: "http://127.0.0.1:1/", channelId: "msteams", from: { id: "29:x" }, conversation: { id: "a:1", tenantId: TENANT }, recipient: { id: "28:bot" } };
      const post = (headers: Record<string, string>) => fetch(`${server.url}/api/messages`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(activity) });
      expect((await post({})).status).toBe(401);
      expect((await post({ Authorization: "Bearer not.a.jwt" })).status).toBe(401);
      expect(seen).toEqual([]);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
