import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createGzip } from "node:zlib";
import { ActivityHandler } from "botbuilder";
import pino from "pino";
import type { BotAuth } from "../../bot/bot-config";
import { createAdapter, MAX_BODY_BYTES, startBotServer, type BotServer } from "../../bot/bot-server";
import { FakeConnector } from "./fake-connector";
import { peakMemoryGrowth, rawPost } from "./raw-http";

// Before authentication, the bot's HTTP front takes only what the Bot Connector sends: a POST of plain JSON,
// within a byte cap. Everything else is refused from its headers, before its body is read (restify's
// bodyParser used to inflate gzip without limit and spool multipart uploads to the temp folder, all before
// the token check).

jest.setTimeout(120_000);

const TENANT = "d0d0d0d0-0000-4000-8000-00000000d0d0";
const APP = "5e5e5e5e-0000-4000-8000-000000000001";
const MB = 1024 * 1024;
const log = pino({ level: "silent" });

/** A bot that answers every message with "pong: <text>", on a server with the given authentication. */
async function startEcho(auth: BotAuth): Promise<{ server: BotServer; seen: string[] }> {
  const seen: string[] = [];
  const bot = new ActivityHandler();
  bot.onMessage(async (ctx, next) => {
    seen.push(String(ctx.activity.text));
    await ctx.sendActivity(`pong: ${ctx.activity.text}`);
    await next();
  });
  const server = await startBotServer({ host: "127.0.0.1", port: 0, auth, adapter: createAdapter(auth, log), bot, log });
  return { server, seen };
}

/** A gzip body that inflates to `inflatedBytes` of zeros, built without holding them. */
async function gzipBomb(inflatedBytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on("data", (d: Buffer) => out.push(d));
  const done = new Promise<void>((r) => gzip.once("end", () => r()));
  const zeros = Buffer.alloc(MB);
  for (let i = 0; i < inflatedBytes / MB; i++) if (!gzip.write(zeros)) await new Promise<void>((r) => gzip.once("drain", () => r()));
  gzip.end();
  await done;
  return Buffer.concat(out);
}

describe("the HTTP front, before authentication", () => {
  let connector: FakeConnector;
  let local: { server: BotServer; seen: string[] };
  let signed: { server: BotServer; seen: string[] };
  const messages = (s: { server: BotServer }) => `${s.server.url}/api/messages`;
  const activity = (text: string) => ({
    type: "message",
    id: `in-${text}`,
    text,
    serviceUrl: connector.url,
    channelId: "msteams",
    from: { id: "29:ada", aadObjectId: "0a0a0a0a-0000-4000-8000-000000000001" },
    conversation: { id: "a:1", tenantId: TENANT },
    recipient: { id: "28:bot" },
  });

  beforeAll(async () => {
    connector = await new FakeConnector().start();
    local = await startEcho({ mode: "local" });
    signed = await startEcho({ mode: "SingleTenant", appId: APP, password: "not-a-real-secret", tenantId: TENANT });
  });
  afterAll(async () => {
    await local?.server.close();
    await signed?.server.close();
    await connector?.close();
  });

  it("refuses an unauthenticated gzip bomb (415) without inflating it: memory stays flat", async () => {
    const bomb = await gzipBomb(256 * MB);
    expect(bomb.length).toBeLessThan(MAX_BODY_BYTES);
    for (const target of [local, signed]) {
      const { result, growthBytes } = await peakMemoryGrowth(() =>
        rawPost(messages(target), { "Content-Type": "application/json", "Content-Encoding": "gzip", "Content-Length": String(bomb.length) }, bomb),
      );
      expect(result.status).toBe(415);
      expect(JSON.parse(result.body)).toEqual({ error: expect.stringMatching(/Compressed bodies are not accepted/) });
      expect(growthBytes).toBeLessThan(64 * MB);
    }
    expect([...local.seen, ...signed.seen]).toEqual([]);
  });

  it("refuses a 150 MB multipart upload from its headers: not read, memory flat, nothing left in the temp folder", async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), "rewind-upload-"));
    const savedTmp = process.env.TMPDIR;
    // Anything that spools uploads asks os.tmpdir() at the time: point it at a folder only this test uses.
    process.env.TMPDIR = tmp;
    try {
      const boundary = "----rewind-boundary";
      const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const total = head.length + 2400 * chunk.length; // 150 MB and a bit
      for (const headers of [
        { "Content-Type": `multipart/form-data; boundary=${boundary}`, "Content-Length": String(total) },
        { "Content-Type": `multipart/form-data; boundary=${boundary}`, "Transfer-Encoding": "chunked" },
      ] as Array<Record<string, string>>) {
        const { result, growthBytes } = await peakMemoryGrowth(() => rawPost(messages(local), headers, { head, chunk, count: 2400 }));
        expect(result.status).toBe(415);
        expect(result.headers.connection).toBe("close");
        // What the client managed to push into socket buffers before the refusal, far from 150 MB.
        expect(result.bytesWritten).toBeLessThan(32 * MB);
        expect(growthBytes).toBeLessThan(64 * MB);
      }
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("answers 413 to a JSON body past the cap, declared or not, and stops reading it", async () => {
    const declared = await rawPost(messages(local), { "Content-Type": "application/json", "Content-Length": String(MAX_BODY_BYTES + 1) }, null, { timeoutMs: 10_000 });
    expect(declared.status).toBe(413);
    // Chunked, no length given: 50 MB of JSON is cut off once past the cap.
    const padding = Buffer.alloc(64 * 1024, 0x20);
    const { result, growthBytes } = await peakMemoryGrowth(() =>
      rawPost(messages(local), { "Content-Type": "application/json", "Transfer-Encoding": "chunked" }, { head: Buffer.from('{"type":"message","text":"'), chunk: padding, count: 800 }),
    );
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body)).toEqual({ error: `The body is over ${MAX_BODY_BYTES} bytes.` });
    expect(result.bytesWritten).toBeLessThan(32 * MB);
    expect(growthBytes).toBeLessThan(64 * MB);
    expect(local.seen).toEqual([]);
  });

  it("answers 415 to anything but application/json", async () => {
    const body = Buffer.from(JSON.stringify(activity("backups")));
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1", "application/jsonp", ""]) {
      const headers: Record<string, string> = { "Content-Length": String(body.length) };
      if (type) headers["Content-Type"] = type;
      expect({ type, status: (await rawPost(messages(local), headers, body)).status }).toEqual({ type, status: 415 });
    }
    expect((await rawPost(messages(local), { "Content-Type": "application/json", "Content-Encoding": "br", "Content-Length": String(body.length) }, body)).status).toBe(415);
    expect(local.seen).toEqual([]);
  });

  it("with authentication on, answers 401 to a request without a bearer token before its body arrives", async () => {
    // The headers announce 200 KB that never come: the answer cannot have waited for them.
    const answer = await rawPost(messages(signed), { "Content-Type": "application/json", "Content-Length": String(200 * 1024) }, null, { timeoutMs: 10_000 });
    expect(answer.status).toBe(401);
    expect(answer.headers["www-authenticate"]).toBe("Bearer");
    expect(signed.seen).toEqual([]);
  });

  it("refuses other paths and methods from their headers", async () => {
    expect((await rawPost(`${local.server.url}/api/upload`, { "Content-Type": "application/json", "Content-Length": String(100 * MB) }, null, { timeoutMs: 10_000 })).status).toBe(404);
    expect((await fetch(messages(local))).status).toBe(405);
    expect((await fetch(`${local.server.url}/healthz`)).status).toBe(200);
  });

  it("still serves a normal Teams message, with a charset and with 100-continue", async () => {
    for (const [i, options] of [{}, { waitForContinue: true }].entries()) {
      const body = Buffer.from(JSON.stringify(activity(`ping ${i}`)));
      const headers: Record<string, string> = { "Content-Type": "application/json; charset=utf-8", "Content-Length": String(body.length) };
      if (options.waitForContinue) headers.Expect = "100-continue";
      const answer = await rawPost(messages(local), headers, body, options);
      expect(answer.status).toBe(200);
      await connector.waitFor((c) => c.activity.text === `pong: ping ${i}`, { what: `the reply to ping ${i}` });
    }
    expect(local.seen).toEqual(["ping 0", "ping 1"]);
  });
});
