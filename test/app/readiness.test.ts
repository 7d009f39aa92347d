import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ActivityHandler } from "botbuilder";
import pino from "pino";
import { graphTokenCheck, readinessProbe, storeCheck } from "../../app/readiness";
import { createAdapter, startBotServer, type BotServer } from "../../bot/bot-server";
import { SqliteStore } from "../../core/store/sqlite/sqlite-store";
import { startBotFixture } from "../bot/bot-fixture";

// /healthz says the process lives; /readyz says it can serve: the store answers and Graph tokens can be had.
// A load balancer sends traffic elsewhere while either fails, so a probe must answer quickly even when a
// dependency hangs, and must not tell the prober anything internal.

jest.setTimeout(120_000);

const TENANT = "d0d0d0d0-0000-4000-8000-00000000d0d0";
const log = pino({ level: "silent" });
const CHECK_MS = 400;

describe("/readyz", () => {
  let dir: string;
  let store: SqliteStore;
  let server: BotServer | undefined;
  let token: () => Promise<string>;
  let tokenCalls = 0;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "rewind-ready-"));
    store = SqliteStore.open({ file: path.join(dir, "rewind.db"), logger: log });
    tokenCalls = 0;
    token = async () => "a-token";
    const auth = { mode: "local" as const };
    const probe = readinessProbe(
      [
        storeCheck(store, TENANT, CHECK_MS),
        graphTokenCheck(() => {
          tokenCalls++;
          return token();
        }, CHECK_MS),
      ],
      log,
    );
    server = await startBotServer({ host: "127.0.0.1", port: 0, auth, adapter: createAdapter(auth, log), bot: new ActivityHandler(), log, readiness: probe });
  });
  afterEach(async () => {
    await server?.close();
    try {
      store.close();
    } catch {
      // closed by the test already
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (route: string) => {
    const started = Date.now();
    const res = await fetch(`${server!.url}${route}`);
    return { status: res.status, body: (await res.json()) as unknown, ms: Date.now() - started };
  };

  it("answers 200 when the store and Graph tokens both answer", async () => {
    expect(await get("/readyz")).toMatchObject({ status: 200, body: { ready: true, checks: { store: "ok", graphToken: "ok" } } });
    expect((await get("/healthz")).status).toBe(200);
  });

  it("answers 503 naming the store while the store is closed", async () => {
    store.close();
    expect(await get("/readyz")).toMatchObject({ status: 503, body: { ready: false, checks: { store: "failed", graphToken: "ok" } } });
    // Liveness is not readiness: the process itself is fine.
    expect((await get("/healthz")).status).toBe(200);
  });

  it("answers 503 naming Graph while token acquisition fails, without its message", async () => {
    token = async () => {
      throw new Error("AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value");
    };
    const answer = await get("/readyz");
    expect(answer).toMatchObject({ status: 503, body: { ready: false, checks: { store: "ok", graphToken: "failed" } } });
    expect(JSON.stringify(answer.body)).not.toMatch(/AADSTS|secret/);
  });

  it("answers 503 within the check's timeout while token acquisition hangs, and piles up no calls", async () => {
    token = () => new Promise<string>(() => undefined);
    const first = await get("/readyz");
    expect(first).toMatchObject({ status: 503, body: { ready: false, checks: { store: "ok", graphToken: "timed out" } } });
    // Bounded by the check's timeout (with room for a loaded machine), not by the hung call.
    expect(first.ms).toBeLessThan(CHECK_MS + 5_000);
    const second = await get("/readyz");
    expect(second).toMatchObject({ status: 503, body: { checks: { graphToken: "timed out" } } });
    expect(tokenCalls).toBe(1);
    // Once tokens come again, so does readiness (the hung call is given up after a few timeouts).
    token = async () => "a-token";
    const until = Date.now() + 20_000;
    let status = second.status;
    while (status !== 200 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      status = (await get("/readyz")).status;
    }
    expect(status).toBe(200);
  });
});

describe("/readyz in the composed app", () => {
  it("checks the app's own store", async () => {
    const fx = await startBotFixture();
    try {
      const res = await fetch(`${fx.app.bot.server.url}/readyz`);
      expect({ status: res.status, body: await res.json() }).toEqual({ status: 200, body: { ready: true, checks: { store: "ok" } } });
    } finally {
      await fx.close();
    }
  });
});
