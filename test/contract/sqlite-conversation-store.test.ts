import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { SCHEMA_VERSION } from "../../core/store/sqlite/schema";
import { SqliteStore } from "../../core/store/sqlite/sqlite-store";
import { conversationStoreContract } from "./conversation-store-contract";
import { LineChild } from "./line-child";
import { onTempFile, tempDir } from "./sqlite-temp";

conversationStoreContract("SqliteStore", onTempFile());

const REPO = path.resolve(__dirname, "../..");
const TENANT = "5a5a5a5a-0000-4000-8000-0000000000c5";
const at = (minutes: number): string => new Date(Date.UTC(2026, 10, 26, 9, minutes)).toISOString();
const reference = (id: string) => ({ conversation: { id }, serviceUrl: "https://smba.trafficmanager.net/emea/", bot: { id: "28:rewind" } });

describe("SqliteStore: the bot's conversation state on a shared file", () => {
  let dir: string;
  let file: string;
  const opened: SqliteStore[] = [];
  const openStore = (): SqliteStore => {
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

  it("adds the conversation tables to a file of the previous schema version, keeping its backups and audit trail", async () => {
    const previous = openStore();
    await previous.beginBackup(TENANT, { id: "2026-11-21T02:00:00Z", trigger: "scheduled", startedAt: "2026-11-21T02:00:00Z" });
    await previous.addToBackup(TENANT, "2026-11-21T02:00:00Z", { objects: [{ type: "user", id: "u1", deleted: false, properties: { displayName: "U" } }], links: [] });
    await previous.completeBackup(TENANT, "2026-11-21T02:00:00Z", "2026-11-21T02:01:00Z");
    await previous.appendAudit([{ tenantId: TENANT, at: at(0), actor: "a", action: "jobStarted", target: "j" }]);
    previous.close();
    // Back to version 2 (backups and jobs, before the bot's state): what a file of the previous release looks like.
    raw("DROP TABLE conversations; DROP TABLE posted_cards; DROP TABLE alerts; PRAGMA user_version = 2;");

    const upgraded = openStore();
    const version = new Database(file, { readonly: true });
    try {
      expect(version.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    } finally {
      version.close();
    }
    expect((await upgraded.listBackups(TENANT)).map((b) => b.counts.user?.live)).toEqual([1]);
    expect(await upgraded.listAudit(TENANT, { limit: 5 })).toHaveLength(1);
    await upgraded.saveConversation(TENANT, { conversationId: "c1", conversationType: "personal", reference: reference("c1"), at: at(1) });
    expect((await upgraded.listConversations(TENANT)).map((c) => c.conversationId)).toEqual(["c1"]);
    expect(await upgraded.claimAlert(TENANT, "k", "p", at(1), at(0))).toBe(true);
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
import { SqliteStore } from ${JSON.stringify(path.join(REPO, "core/store/sqlite/sqlite-store"))};

const store = SqliteStore.open({ file: ${JSON.stringify(file)} });
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

describe("SqliteStore: one alert claim across processes", () => {
  const PROCESSES = 3;
  let dir: string;
  let claimers: Claimer[] = [];
  let store: SqliteStore | undefined;

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
    store = SqliteStore.open({ file }); // creates the schema before the claimers open the file
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
