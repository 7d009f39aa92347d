import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { CONVERSATION_SCHEMA_VERSION } from "../../bot/conversations/sqlite/conversation-schema";
import { openSqliteConversationStore, type SqliteConversationStore } from "../../bot/conversations/sqlite/sqlite-conversation-store";
import { SCHEMA_VERSION } from "../../core/store/sqlite/schema";
import { SqliteStore } from "../../core/store/sqlite/sqlite-store";
import { conversationStoreContract } from "./conversation-store-contract";
import { LineChild } from "./line-child";
import { tempDir } from "./sqlite-temp";

conversationStoreContract("SqliteConversationStore", async () => {
  const dir = tempDir();
  const store = openSqliteConversationStore({ file: path.join(dir, "rewind.db") });
  return {
    store,
    close: async () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

const REPO = path.resolve(__dirname, "../..");
const TENANT = "5a5a5a5a-0000-4000-8000-0000000000c5";
const at = (minutes: number): string => new Date(Date.UTC(2026, 10, 26, 9, minutes)).toISOString();
const reference = (id: string) => ({ conversation: { id }, serviceUrl: "https://smba.trafficmanager.net/emea/", bot: { id: "28:rewind" } });

describe("SqliteConversationStore: the bot's conversation state on a shared file", () => {
  let dir: string;
  let file: string;
  const opened: Array<{ close(): void }> = [];
  const openStore = (): SqliteConversationStore => {
    const store = openSqliteConversationStore({ file });
    opened.push(store);
    return store;
  };
  const openEngineStore = (): SqliteStore => {
    const store = SqliteStore.open({ file });
    opened.push(store);
    return store;
  };
  /** Runs SQL on the file behind the store's back (a damaged row, an older schema). */
  const raw = (sql: string): void => {
    const db = new Database(file);
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
  };

  beforeEach(() => {
    dir = tempDir();
    file = path.join(dir, "rewind.db");
  });
  afterEach(() => {
    for (const store of opened.splice(0)) store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lets only one of two stores on the same file claim an alert, and each sees what the other did", async () => {
    const a = openStore();
    const b = openStore();
    const key = "job:1:finished:c1";
    const results = await Promise.all([a.claimAlert(TENANT, key, "proc-a", at(10), at(8)), b.claimAlert(TENANT, key, "proc-b", at(10), at(8))]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const [winner, loser] = results[0] ? [a, b] : [b, a];
    const [winnerName, loserName] = results[0] ? ["proc-a", "proc-b"] : ["proc-b", "proc-a"];
    // The loser cannot take it while it is fresh, nor complete it; once the winner completes, both see it sent.
    expect(await loser.claimAlert(TENANT, key, loserName, at(11), at(9))).toBe(false);
    await loser.completeAlert(TENANT, key, loserName, at(11));
    expect(await winner.alertSent(TENANT, key)).toBe(false);
    await winner.completeAlert(TENANT, key, winnerName, at(12));
    expect(await loser.alertSent(TENANT, key)).toBe(true);
    expect(await loser.claimAlert(TENANT, key, loserName, at(500), at(499))).toBe(false);
  });

  it("lets only one of two stores on the same file update a card from the same expected value", async () => {
    const a = openStore();
    const b = openStore();
    await a.addPostedCard({ tenantId: TENANT, subject: "job:1", conversationId: "c1", activityId: "act", postedAt: at(0), updatedAt: at(0), fingerprint: "queued" });
    const results = await Promise.all([
      a.touchPostedCard(TENANT, "job:1", "c1", "act", at(0), { updatedAt: at(1), fingerprint: "a" }),
      b.touchPostedCard(TENANT, "job:1", "c1", "act", at(0), { updatedAt: at(1), fingerprint: "b" }),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await b.listPostedCards(TENANT, "job:1"))[0]!.fingerprint).toBe(results[0] ? "a" : "b");
  });

  it("reads the conversation state a file of the previous release holds, in the tables it has, keyed by the engine's tenant keys", async () => {
    // A file of the previous release: the engine's tables, and the bot's tables as its migrations 3 and 4 made them.
    const engine = openEngineStore();
    await engine.appendAudit([{ tenantId: "0f0f0f0f-0000-4000-8000-000000000001", at: at(0), actor: "a", action: "jobStarted", target: "j" }]);
    await engine.appendAudit([{ tenantId: TENANT, at: at(0), actor: "a", action: "jobStarted", target: "j" }]);
    const members = JSON.stringify([{ userId: "u1", channelUserId: "29:u1", name: "Ada", lastSeenAt: at(1) }]);
    raw(`CREATE TABLE conversations (tk INTEGER NOT NULL, id TEXT NOT NULL, conversation_type TEXT NOT NULL, reference TEXT NOT NULL,
           members TEXT NOT NULL, updated_at TEXT NOT NULL, stale_at TEXT, stale_reason TEXT, PRIMARY KEY (tk, id)) WITHOUT ROWID, STRICT;
         CREATE TABLE posted_cards (tk INTEGER NOT NULL, subject TEXT NOT NULL, conversation_id TEXT NOT NULL, activity_id TEXT NOT NULL,
           posted_at TEXT NOT NULL, updated_at TEXT NOT NULL, fingerprint TEXT NOT NULL, PRIMARY KEY (tk, subject, conversation_id, activity_id)) WITHOUT ROWID, STRICT;
         CREATE INDEX posted_cards_by_conversation ON posted_cards (tk, conversation_id);
         CREATE INDEX posted_cards_by_age ON posted_cards (posted_at);
         CREATE TABLE alerts (tk INTEGER NOT NULL, key TEXT NOT NULL, owner TEXT NOT NULL, claimed_at TEXT NOT NULL, sent_at TEXT, PRIMARY KEY (tk, key)) WITHOUT ROWID, STRICT;
         CREATE INDEX alerts_by_age ON alerts (claimed_at);
         INSERT INTO conversations VALUES ((SELECT tk FROM tenants WHERE tenant_id = '${TENANT}'), 'c1', 'personal', '${JSON.stringify(reference("c1"))}', '${members}', '${at(1)}', NULL, NULL);
         INSERT INTO posted_cards VALUES ((SELECT tk FROM tenants WHERE tenant_id = '${TENANT}'), 'job:1', 'c1', 'act', '${at(1)}', '${at(1)}', 'queued');
         INSERT INTO alerts VALUES ((SELECT tk FROM tenants WHERE tenant_id = '${TENANT}'), 'job:1:finished:c1', 'p', '${at(1)}', '${at(2)}');`);

    const store = openStore();
    expect(await store.getConversation(TENANT, "c1")).toEqual({
      tenantId: TENANT,
      conversationId: "c1",
      conversationType: "personal",
      reference: reference("c1"),
      members: [{ userId: "u1", channelUserId: "29:u1", name: "Ada", lastSeenAt: at(1) }],
      updatedAt: at(1),
    });
    expect((await store.listPostedCards(TENANT, "job:1")).map((c) => c.activityId)).toEqual(["act"]);
    expect(await store.alertSent(TENANT, "job:1:finished:c1")).toBe(true);
    // The age indexes now lead with the tenant key, and the bot's version is its own row; the engine's is untouched.
    const check = new Database(file, { readonly: true });
    try {
      const index = (name: string) => check.prepare("SELECT sql FROM sqlite_master WHERE name = ?").pluck().get(name);
      expect(index("posted_cards_by_age")).toMatch(/\(tk, posted_at\)/);
      expect(index("alerts_by_age")).toMatch(/\(tk, claimed_at\)/);
      expect(check.prepare("SELECT version FROM schema_parts WHERE part = 'conversations'").pluck().get()).toBe(CONVERSATION_SCHEMA_VERSION);
      expect(check.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    } finally {
      check.close();
    }
    // A tenant first seen now gets a key of its own.
    await store.saveConversation("0f0f0f0f-0000-4000-8000-000000000002", { conversationId: "c1", conversationType: "personal", reference: reference("c1"), at: at(3) });
    expect((await store.getConversation(TENANT, "c1"))?.updatedAt).toBe(at(1));
  });

  it("shares a new file with the engine whichever opens it first, neither touching the other's tables", async () => {
    const bot = openStore();
    await bot.saveConversation(TENANT, { conversationId: "c1", conversationType: "personal", reference: reference("c1"), at: at(1) });
    const engine = openEngineStore();
    await engine.appendAudit([{ tenantId: TENANT, at: at(0), actor: "a", action: "jobStarted", target: "j" }]);
    expect(await engine.listAudit(TENANT, { limit: 5 })).toHaveLength(1);
    const again = openStore();
    expect((await again.listConversations(TENANT)).map((c) => c.conversationId)).toEqual(["c1"]);
  });

  it("fails loudly on a damaged conversation row rather than pass it on as data", async () => {
    const store = openStore();
    const save = (id: string) =>
      store.saveConversation(TENANT, { conversationId: id, conversationType: "personal", reference: reference(id), member: { userId: "u1", channelUserId: "29:u1", lastSeenAt: at(1) }, at: at(1) });
    for (const id of ["json", "shape", "member", "ref", "flag"]) await save(id);
    raw(`UPDATE conversations SET members = '[{"userId":' WHERE id = 'json';
         UPDATE conversations SET members = '{"userId":"u1"}' WHERE id = 'shape';
         UPDATE conversations SET members = json_set(members, '$[0].lastSeenAt', 7) WHERE id = 'member';
         UPDATE conversations SET reference = '[1, 2]' WHERE id = 'ref';
         UPDATE conversations SET stale_at = '${at(2)}' WHERE id = 'flag';`);
    await expect(store.getConversation(TENANT, "json")).rejects.toThrow(/Stored members of conversation json is not valid JSON/);
    await expect(store.getConversation(TENANT, "shape")).rejects.toThrow(/Stored members of conversation shape is malformed/);
    await expect(store.getConversation(TENANT, "member")).rejects.toThrow(/Stored members of conversation member is malformed/);
    await expect(store.getConversation(TENANT, "ref")).rejects.toThrow(/Stored reference of conversation ref is malformed/);
    await expect(store.getConversation(TENANT, "flag")).rejects.toThrow(/half a stale flag/);
    await expect(store.listConversations(TENANT)).rejects.toThrow(/Stored/);
    // Saving over a damaged row does not paper over it (the people seen there would be lost without a word).
    await expect(save("json")).rejects.toThrow(/not valid JSON/);
  });

  it("refuses a reference that would not read back as a JSON object", async () => {
    const store = openStore();
    const input = { conversationId: "c1", conversationType: "personal", at: at(1) };
    await expect(store.saveConversation(TENANT, { ...input, reference: [1, 2] as unknown as Record<string, unknown> })).rejects.toThrow(RangeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(store.saveConversation(TENANT, { ...input, reference: cyclic })).rejects.toThrow(/cannot be stored as JSON/);
    expect(await store.getConversation(TENANT, "c1")).toBeNull();
  });

  it("lets other work run before each call (the watcher loops over cards and claims)", async () => {
    const store = openStore();
    const calls: Array<[string, () => Promise<unknown>]> = [
      ["saveConversation", () => store.saveConversation(TENANT, { conversationId: "c1", conversationType: "personal", reference: reference("c1"), at: at(1) })],
      ["listConversations", () => store.listConversations(TENANT)],
      ["addPostedCard", () => store.addPostedCard({ tenantId: TENANT, subject: "job:1", conversationId: "c1", activityId: "a", postedAt: at(1), updatedAt: at(1), fingerprint: "f" })],
      ["listPostedCards", () => store.listPostedCards(TENANT, "job:1")],
      ["touchPostedCard", () => store.touchPostedCard(TENANT, "job:1", "c1", "a", at(1), { updatedAt: at(2), fingerprint: "g" })],
      ["claimAlert", () => store.claimAlert(TENANT, "k", "p", at(1), at(0))],
      ["completeAlert", () => store.completeAlert(TENANT, "k", "p", at(2))],
      ["alertSent", () => store.alertSent(TENANT, "k")],
    ];
    for (const [name, call] of calls) {
      let ran = false;
      setImmediate(() => (ran = true));
      await call();
      expect([name, ran]).toEqual([name, true]);
    }
  });
});

/**
 * A claimer process: opens the shared file, says `ready`, then for each `go <startAtMs> <key> <at> <staleBefore>`
 * line waits for that instant (a timer, then a busy-wait for the last milliseconds, so all claimers call at
 * once) and claims the alert, answering with a JSON line.
 */
const CLAIMER = (file: string, owner: string) => `
import { createInterface } from "node:readline";
import { openSqliteConversationStore } from ${JSON.stringify(path.join(REPO, "bot/conversations/sqlite/sqlite-conversation-store"))};

const store = openSqliteConversationStore({ file: ${JSON.stringify(file)} });
createInterface({ input: process.stdin }).on("line", async (line) => {
  const [command, startAt, key, at, staleBefore] = line.split(" ");
  if (command !== "go") {
    store.close();
    process.exit(0);
  }
  const wait = Number(startAt) - Date.now() - 5;
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  while (Date.now() < Number(startAt)) {
    // busy-wait the last few milliseconds: timers are too coarse for a same-instant start
  }
  try {
    const won = await store.claimAlert(${JSON.stringify(TENANT)}, key, ${JSON.stringify(owner)}, at, staleBefore);
    process.stdout.write(JSON.stringify({ won }) + "\\n");
  } catch (err) {
    process.stdout.write(JSON.stringify({ error: String(err) }) + "\\n");
  }
});
process.stdout.write("ready\\n");
`;

/** A claimer process (a store in another process), spoken to in lines. */
class Claimer extends LineChild {
  constructor(
    readonly owner: string,
    proc: ChildProcessWithoutNullStreams,
  ) {
    super(proc, "claimer");
  }
}

describe("SqliteConversationStore: one alert claim across processes", () => {
  const PROCESSES = 3;
  let dir: string;
  let claimers: Claimer[] = [];
  let store: SqliteConversationStore | undefined;

  beforeEach(() => {
    dir = tempDir("rewind-sqlite-claim-");
  });
  afterEach(() => {
    for (const c of claimers) if (c.proc.exitCode === null) c.proc.kill("SIGKILL");
    claimers = [];
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`lets exactly one of ${PROCESSES} processes claiming an alert at the same instant win: a free key, then a dead process's claim`, async () => {
    const file = path.join(dir, "rewind.db");
    store = openSqliteConversationStore({ file }); // creates the schema before the claimers open the file
    claimers = Array.from({ length: PROCESSES }, (_, i) => {
      const owner = `proc-${i}`;
      const script = path.join(dir, `${owner}.ts`);
      writeFileSync(script, CLAIMER(file, owner));
      return new Claimer(owner, spawn(process.execPath, ["--import", "tsx", script], { cwd: REPO, stdio: ["pipe", "pipe", "pipe"] }));
    });
    for (const c of claimers) expect(await c.next()).toBe("ready");

    const rounds = [
      { key: "job:1:finished:c1", deadClaim: false },
      { key: "job:2:finished:c1", deadClaim: true },
      { key: "job:3:finished:c1", deadClaim: false },
      { key: "job:4:finished:c1", deadClaim: true },
    ];
    for (const { key, deadClaim } of rounds) {
      // A process that claimed the key an hour ago and died: its claim is stale, so one claimer takes it over.
      if (deadClaim) expect(await store.claimAlert(TENANT, key, "dead", at(0), at(0))).toBe(true);
      const startAt = Date.now() + 200;
      for (const c of claimers) c.send(`go ${startAt} ${key} ${at(60)} ${at(55)}`);
      const results = (await Promise.all(claimers.map((c) => c.next()))).map((line) => JSON.parse(line) as { won?: boolean; error?: string });

      expect(results.filter((r) => r.error !== undefined)).toEqual([]);
      const winners = claimers.filter((_, i) => results[i]!.won === true);
      expect(winners).toHaveLength(1);
      // The store agrees: the claim is the winner's (a loser's or the dead process's completion counts for nothing).
      for (const loser of [...claimers.filter((c) => c !== winners[0]).map((c) => c.owner), "dead"]) await store.completeAlert(TENANT, key, loser, at(61));
      expect(await store.alertSent(TENANT, key)).toBe(false);
      await store.completeAlert(TENANT, key, winners[0]!.owner, at(61));
      expect(await store.alertSent(TENANT, key)).toBe(true);
    }
    for (const c of claimers) c.send("exit");
  }, 60_000);
});
