import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import type { JobStore } from "../../core/ports";
import { SqliteStore } from "../../core/store/sqlite/sqlite-store";
import { openCosmosTestStore } from "../engine/cosmos-test-store";
import { startCosmosTestServer, type CosmosTestServer } from "./cosmos-temp";
import { LineChild } from "./line-child";

const REPO = path.resolve(__dirname, "../..");
const TENANT = "5a5a5a5a-0000-4000-8000-00000000000f";
const PROCESSES = 4;
const ROUNDS = 6;

/** What a racer reports for one round. */
interface RaceResult {
  readonly jobId: string;
  readonly outcome: "won" | "conflict" | "error";
  readonly message?: string;
  /** Wall-clock ms at which it called createJob. */
  readonly calledAt: number;
}

/**
 * A racer: opens the shared file, says `ready`, then for each `go <startAtMs> <jobId>` line waits for that
 * instant (a timer, then a busy-wait for the last milliseconds, so all racers call at once) and creates the
 * job, answering with a JSON line.
 */
const RACER = (openStore: string) => `
import { createInterface } from "node:readline";
import pino from ${JSON.stringify(path.join(REPO, "node_modules/pino"))};
import { SqliteStore } from ${JSON.stringify(path.join(REPO, "core/store/sqlite/sqlite-store"))};
import { openCosmosTestStore } from ${JSON.stringify(path.join(REPO, "test/engine/cosmos-test-store"))};
import { StoreConflictError } from ${JSON.stringify(path.join(REPO, "core/model/store-error"))};

void SqliteStore;
void openCosmosTestStore;
void pino;
(async () => {
const store = ${openStore};
const lines = createInterface({ input: process.stdin });
process.stdout.write("ready\\n");
lines.on("line", async (line) => {
  const [command, startAt, jobId] = line.split(" ");
  if (command !== "go") {
    await store.close();
    process.exit(0);
  }
  const at = Number(startAt);
  const wait = at - Date.now() - 5;
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  while (Date.now() < at) {
    // busy-wait the last few milliseconds: timers are too coarse for a same-instant start
  }
  const calledAt = Date.now();
  let result;
  try {
    await store.createJob({
      tenantId: ${JSON.stringify(TENANT)},
      id: jobId,
      kind: "differenceReport",
      backupId: "2026-11-21T02:00:00Z",
      state: "queued",
      scope: {},
      requestedBy: "racer",
      createdAt: new Date(calledAt).toISOString(),
      progress: { done: 0, total: null, estimatedCompletionAt: null },
      cancelRequested: false,
    });
    result = { jobId, outcome: "won", calledAt };
  } catch (err) {
    result = { jobId, outcome: err instanceof StoreConflictError ? "conflict" : "error", message: String(err), calledAt };
  }
  process.stdout.write(JSON.stringify(result) + "\\n");
});
})();
`;

/** A racer process (a store in another process), spoken to in lines. */
class Racer extends LineChild {
  constructor(proc: ChildProcessWithoutNullStreams) {
    super(proc, "racer");
  }
}

describe.each(["SQLite", "Cosmos DB"])("one job per tenant across processes, on %s", (kind) => {
  let dir: string;
  let racers: Racer[] = [];
  let store: (JobStore & { close(): void | Promise<void> }) | undefined;
  let cosmos: CosmosTestServer | undefined;

  beforeAll(async () => {
    if (kind === "Cosmos DB") cosmos = await startCosmosTestServer();
  });
  afterAll(async () => {
    await cosmos?.close();
  });
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "rewind-job-race-"));
  });
  afterEach(async () => {
    for (const r of racers) if (r.proc.exitCode === null) r.proc.kill("SIGKILL");
    racers = [];
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`lets exactly one of ${PROCESSES} processes creating a job at the same instant win, round after round`, async () => {
    let openInChild: string;
    if (cosmos) {
      // Every process, this one included, opens the same database on the test server.
      const { databaseId } = await cosmos.freshDatabase();
      store = await openCosmosTestStore(cosmos.endpoint, databaseId, pino({ level: "silent" }));
      openInChild = `await openCosmosTestStore(${JSON.stringify(cosmos.endpoint)}, ${JSON.stringify(databaseId)}, pino({ level: "silent" }))`;
    } else {
      const file = path.join(dir, "rewind.db");
      store = SqliteStore.open({ file }); // creates the schema before the racers open the file
      openInChild = `SqliteStore.open({ file: ${JSON.stringify(file)} })`;
    }
    const child = path.join(dir, "racer.ts");
    writeFileSync(child, RACER(openInChild));
    racers = Array.from(
      { length: PROCESSES },
      () => new Racer(spawn(process.execPath, ["--import", "tsx", child], { cwd: REPO, stdio: ["pipe", "pipe", "pipe"] })),
    );
    for (const r of racers) expect(await r.next()).toBe("ready");

    const winners: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const startAt = Date.now() + 200;
      racers.forEach((r, i) => r.send(`go ${startAt} job-${round}-${i}`));
      const results = (await Promise.all(racers.map((r) => r.next()))).map((line) => JSON.parse(line) as RaceResult);

      expect(results.filter((r) => r.outcome === "error")).toEqual([]);
      const won = results.filter((r) => r.outcome === "won");
      expect(won).toHaveLength(1);
      expect(results.filter((r) => r.outcome === "conflict")).toHaveLength(PROCESSES - 1);
      const winner = won[0]!.jobId;
      winners.push(winner);

      // The store agrees: the winner's job is the tenant's only unfinished job, and no loser's job exists.
      expect((await store!.listActiveJobs(TENANT)).map((r) => r.job.id)).toEqual([winner]);
      expect((await store!.listJobs(TENANT)).map((j) => j.id).sort()).toEqual(winners.slice().sort());

      // The winner's job ends, which frees the tenant for the next round.
      const stored = (await store!.getJob(TENANT, winner))!;
      await store!.updateJob({ ...stored, job: { ...stored.job, state: "succeeded", completedAt: new Date().toISOString() } });
      expect(await store!.listActiveJobs(TENANT)).toEqual([]);
    }
    for (const r of racers) r.send("exit");
  }, 60_000);
});
