import { Writable } from "node:stream";
import { createLogger } from "../../app/logger";
import { ADA, startBotFixture, type BotFixture } from "./bot-fixture";
import { cardOf, cardText } from "./fake-connector";

// What a chat is told about a failure: Rewind's refusals and Graph's answers as they are; anything else (a
// store error, a bug) may carry internals such as paths and hosts, so the chat gets only a reference, and the
// log holds the detail under that same reference.

jest.setTimeout(120_000);

const adaChat = `a:personal-${ADA.teamsId.slice(3)}`;
const INTERNAL = "SQLITE_IOERR: disk I/O error writing /var/lib/rewind/rewind.db-wal on db-host-7.internal";

describe("internal error text never reaches the chat", () => {
  let fx: BotFixture;
  const lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    fx = await startBotFixture({}, { log: createLogger({ level: "error", destination }) });
    await fx.say(ADA, "whoami"); // roles read and cached before Graph slows down
  });
  afterAll(async () => {
    await fx?.close();
  });
  afterEach(() => fx.f.sim.setFaults({ latencyMs: 0, errorRate: 0 }));

  /** The log entry with this reference, if any. */
  const logged = (reference: string) => lines.find((l) => l.reference === reference);

  it("backup now failing after the chat's wait (a store error): the card gives a reference, the log the detail", async () => {
    const store = fx.app.store;
    const complete = store.completeBackup.bind(store);
    store.completeBackup = async () => {
      throw new Error(INTERNAL);
    };
    try {
      fx.f.sim.setFaults({ latencyMs: 2000 });
      const mark = fx.connector.calls.length;
      await fx.say(ADA, "backup now");
      const reply = fx.connector.calls.slice(mark).find((c) => c.kind === "reply" && c.conversationId === adaChat)!;
      expect(cardText(cardOf(reply))).toContain("Taking a backup now…");
      const failed = await fx.connector.waitFor((c) => c.kind === "send" && c.conversationId === adaChat && /The backup failed/.test(cardText(cardOf(c))), { from: mark, timeoutMs: 60_000, what: "the failure card" });
      const update = await fx.connector.waitFor((c) => c.kind === "update" && c.activityId === reply.activityId, { from: mark, timeoutMs: 10_000, what: "the updated card" });
      for (const call of [failed, update]) {
        const text = cardText(cardOf(call));
        expect(text).not.toMatch(/SQLITE|\/var\/lib|db-host/);
        expect(text).toMatch(/Rewind hit an internal error \(reference [0-9a-f]{8}\)/);
      }
      const reference = /reference ([0-9a-f]{8})/.exec(cardText(cardOf(failed)))![1]!;
      expect(logged(reference)).toMatchObject({ msg: "on-demand backup failed", err: { message: INTERNAL } });
    } finally {
      store.completeBackup = complete;
    }
  });

  it("a command failing at once with an internal error: the error card gives a reference, the log the detail", async () => {
    const store = fx.app.store;
    const begin = store.beginBackup.bind(store);
    store.beginBackup = async () => {
      throw new Error(INTERNAL);
    };
    try {
      const mark = fx.connector.calls.length;
      await fx.say(ADA, "backup now");
      const reply = fx.connector.calls.slice(mark).find((c) => c.kind === "reply" && c.conversationId === adaChat)!;
      const text = cardText(cardOf(reply));
      expect(text).not.toMatch(/SQLITE|\/var\/lib|db-host/);
      const reference = /Rewind hit an internal error \(reference ([0-9a-f]{8})\)/.exec(text)?.[1];
      expect(reference).toBeDefined();
      expect(logged(reference!)).toMatchObject({ msg: "request failed", err: { message: INTERNAL } });
    } finally {
      store.beginBackup = begin;
    }
  });
});
