import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { forkTs, median } from "../child";
import { parseCosmosOptions } from "../cosmos-options";
import type { CosmosServerConnection } from "../cosmos-server-child";
import type { BackupPartFigures, ChangesPartFigures, CosmosWorkerArgs } from "../cosmos-worker";
import { BATCH_OBJECTS, CHANGES_PER_PUT, tenantFor } from "../cosmos-data";
import type { Suite } from "./suite";

/** The ceiling on write operations for a 100,000-object backup. */
const WRITE_TARGET = 5000;

const NOTES = {
  setup:
    "The Cosmos DB test server (@vercel/cosmosdb-server 1.0.1, in memory, HTTPS on 127.0.0.1 with its self-signed certificate) runs alone in its own process (bench/cosmos-server-child.ts), a fresh one per run, with its query engine's quadratic accumulator copies replaced by appends (scripts/cosmos-emulator/, same answers: test/contract/cosmos-emulator-queries.test.ts); without that, each query over 100,000 documents took over a minute. Each part runs in a fresh worker process (bench/cosmos-worker.ts) with the production store classes (CosmosBackupStore, CosmosJobStore from core/store/cosmos) on an @azure/cosmos 4 client (keep-alive agent, certificate check off for the test server only) in a fresh database whose containers openContainers creates. Times are the worker's performance.now() around the Store calls; the server's work is on the other core of the machine, so they include its in-memory query evaluation, which has nothing in common with real Cosmos latency or its indexes: read them as relative costs and request counts, not as Azure timings.",
  data:
    "Backup: a simulated tenant's users and groups (sim/tenant generators, the large preset's proportions: five users per group, ten member links per user), each object mapped by the Graph gateway's own toObjectRecord and capture's toBatch (the catalog's properties: about 33 per user, 12 per group), handed to addToBackup in batches of 500 objects (a group batch carries its groups' member link chunks, 1,000 targets per chunk, as Graph's delta pages split them). No HTTP to the simulator: generation is timed apart (generateSeconds) and left out of storeSeconds. Changes: synthetic difference-report changes in seq order (catalog order, then id): 80% users, 18% groups, 2% service principals; 80% updates (1–3 property deltas, group member links to add and remove, some manager links), 12% restores with incoming links, 8% soft deletes, 3% not recoverable (synced); written with putChanges 500 at a time (the report handler writes one diff chunk of at most 500 compared objects per call).",
  writes:
    "writeOperations is CosmosBackupStore's own counter (documents created, replaced, upserted or deleted; bulk and point). `requests` are counted independently on the client's request pipeline (the SDK's `plugins` option, every network request, retries included): HTTP requests by container/operation, and for bulk requests the operations answered inside them (bulkOperations). The two should agree on writes: bulkOperations + pointWrites of a phase.",
  requestCharge:
    "Request charge (RU) is read from every response's x-ms-request-charge header (headerCharge) and from each bulk operation's requestCharge in the bulk response body (bulkOperationCharge). The test server has no RU model: it answers x-ms-request-charge: 1 on every HTTP request whatever it did (a 100-operation bulk request, a query over 100,000 documents, a point read all cost 1), and requestCharge 1 per successful bulk operation (0 for a failed one). So headerCharge here is simply the number of requests, and bulkOperationCharge the number of operations: neither is an RU estimate. Against real Cosmos the same counters would give the real RU; 429s are counted as `throttled` (the test server never throttles).",
  paging:
    "Paging: readChanges with limit 100 from the start, then afterSeq = the last seq of the page, until a short page (one Cosmos query per page: SELECT TOP 101… ORDER BY c.seq in the store). Filtered: types [\"group\"]. nthChangeSeq: the 50,000th change of all (expected seq 50,000) and the middle group change; pageAtNthMs is one page read at the cursor it found. finishSeconds is updateJob to succeeded: items already carry their ttl from their write, so finishing rewrites none of them (only a job that ran over a day gets its items stamped again).",
  sqlite: "The SQLite rows run the same parts, same data, on SqliteStore (a file in a temp directory, WAL), in their own worker; SQLite has no write-operation or request counters.",
};

interface RunFigures {
  readonly run: number;
  readonly backup?: BackupPartFigures;
  readonly changes?: ChangesPartFigures;
  /** The server process's peak resident memory (VmHWM), after the backup part and at the end. */
  readonly serverPeakRssMiB: { afterBackup: number | null; atEnd: number | null };
}

function peakRssOf(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

async function worker<T>(args: CosmosWorkerArgs): Promise<T> {
  const child = forkTs<T>("cosmos-worker.ts", [JSON.stringify(args)], ["--expose-gc"]);
  try {
    return await child.ready;
  } finally {
    await child.stop();
  }
}

type Parts = "backup" | "changes" | "both";

async function cosmosRun(run: number, objects: number, changes: number, parts: Parts): Promise<RunFigures> {
  const server = forkTs<CosmosServerConnection>("cosmos-server-child.ts");
  try {
    const conn = await server.ready;
    const databaseId = `rewind-bench-${randomUUID()}`;
    process.stdout.write(`  run ${run}: Cosmos test server at ${conn.endpoint} (pid ${conn.pid}), database ${databaseId}\n`);
    const backup = parts !== "changes" ? await worker<BackupPartFigures>({ store: "cosmos", part: "backup", endpoint: conn.endpoint, databaseId, objects, changes }) : undefined;
    const afterBackup = peakRssOf(conn.pid);
    const ch = parts !== "backup" ? await worker<ChangesPartFigures>({ store: "cosmos", part: "changes", endpoint: conn.endpoint, databaseId, objects, changes }) : undefined;
    return { run, ...(backup ? { backup } : {}), ...(ch ? { changes: ch } : {}), serverPeakRssMiB: { afterBackup, atEnd: peakRssOf(conn.pid) } };
  } finally {
    await server.stop();
  }
}

const fmt = (x: number | undefined | null): string => (x === undefined || x === null ? "–" : Number.isInteger(x) ? x.toLocaleString("en-US") : x.toFixed(2));

function table(rows: ReadonlyArray<readonly string[]>): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(rows[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)].join("\n");
}

interface SqliteFigures {
  readonly backup?: BackupPartFigures;
  readonly changes?: ChangesPartFigures;
}

function printTables(runs: readonly RunFigures[], sqlite: SqliteFigures | null): void {
  const cols: Array<{ name: string; b: BackupPartFigures | undefined; c: ChangesPartFigures | undefined }> = runs.map((r) => ({ name: `cosmos #${r.run}`, b: r.backup, c: r.changes }));
  if (sqlite) cols.push({ name: "sqlite", b: sqlite.backup, c: sqlite.changes });
  const backupRows = cols.some((c) => c.b !== undefined);
  const changeRows = cols.some((c) => c.c !== undefined);
  const row = (label: string, f: (b: BackupPartFigures, c: ChangesPartFigures) => number | string | undefined | null): string[] => [
    label,
    ...cols.map(({ b, c }) => {
      if (b === undefined && label.startsWith("B")) return "–";
      if (c === undefined && label.startsWith("C")) return "–";
      const v = f(b!, c!);
      return typeof v === "string" ? v : fmt(v);
    }),
  ];
  const rows = [
    ["", ...cols.map((c) => c.name)],
    row("B backup objects", (b) => b.objects),
    row("B backup link targets", (b) => b.linkTargets),
    row("B store backup s (begin+add+complete)", (b) => b.storeSeconds),
    row("B   addToBackup s (all batches)", (b) => b.addSeconds),
    row("B   addToBackup p95 ms / batch", (b) => b.addBatchMs.p95Ms),
    row("B   completeBackup s", (b) => b.completeSeconds),
    row(`B write operations (≤ ${WRITE_TARGET})`, (b) => b.writeOperations?.total),
    row("B   add / complete", (b) => (b.writeOperations ? `${b.writeOperations.add} / ${b.writeOperations.complete}` : "–")),
    row("B HTTP requests, backup", (b) => (b.requests ? b.requests.add.total.requests + b.requests.complete.total.requests : undefined)),
    row("B request charge (header sum), backup", (b) => (b.requests ? b.requests.add.total.headerCharge + b.requests.complete.total.headerCharge : undefined)),
    row("B peak RSS MiB, storing", (b) => b.peakRssMiB),
    row("B readBackup s", (b) => b.read.seconds),
    row("B   read p95 ms / batch", (b) => b.read.batchMs.p95Ms),
    row("B   read back matches", (b) => (b.read.matches ? "yes" : "NO")),
    row("B HTTP requests, readBackup", (b) => b.requests?.read.total.requests),
    row("B storage bytes", (b) => b.storageBytes),
    row("C changes", (_, c) => c.changes),
    row("C putChanges s (all)", (_, c) => c.putSeconds),
    row("C   putChanges p95 ms / 500", (_, c) => c.putMs.p95Ms),
    row("C   bulk write ops / requests", (_, c) => (c.requests ? `${c.requests.put.total.bulkOperations} / ${c.requests.put.total.requests}` : "–")),
    row("C finish job (ttl stamp) s", (_, c) => c.finishSeconds),
    row("C page all (limit 100) s", (_, c) => c.pageAll.seconds),
    row("C   pages", (_, c) => c.pageAll.pages),
    row("C   p50 / p95 ms per page", (_, c) => `${c.pageAll.pageMs.p50Ms} / ${c.pageAll.pageMs.p95Ms}`),
    row('C page types ["group"] s', (_, c) => c.pageGroups.seconds),
    row("C   pages", (_, c) => c.pageGroups.pages),
    row("C   p50 / p95 ms per page", (_, c) => `${c.pageGroups.pageMs.p50Ms} / ${c.pageGroups.pageMs.p95Ms}`),
    row("C nthChangeSeq all ms (seq)", (_, c) => `${c.nth[0]!.ms} (${c.nth[0]!.seq})`),
    row("C nthChangeSeq group ms (seq)", (_, c) => `${c.nth[1]!.ms} (${c.nth[1]!.seq})`),
    row("C   page at that cursor ms", (_, c) => c.pageAtNthMs),
    row("C request charge (header sum), changes", (_, c) =>
      c.requests ? Object.values(c.requests).reduce((n, p) => n + p.total.headerCharge, 0) : undefined,
    ),
    row("C peak RSS MiB, changes", (_, c) => c.peakRssMiB),
  ];
  // Labels start with B (backup part) or C (changes part): rows of a part not run are left out.
  const shown = rows.filter((r, i) => i === 0 || (r[0]!.startsWith("B") ? backupRows : changeRows)).map((r, i) => (i === 0 ? r : [r[0]!.slice(2), ...r.slice(1)]));
  process.stdout.write(`\n${table(shown)}\n\n`);
}

export const cosmos: Suite = {
  description:
    "write operations, request charge and time to store a 100,000-object backup in Cosmos DB (the test server), read it back, and page through 100,000 changes (target: ≤ 5,000 write operations per backup)",
  async run(args) {
    const opts = parseCosmosOptions(args);
    const runs: RunFigures[] = [];
    for (let run = 1; run <= opts.runs; run++) runs.push(await cosmosRun(run, opts.objects, opts.changes, opts.parts));
    let sqlite: SqliteFigures | null = null;
    if (opts.sqlite) {
      process.stdout.write("  sqlite (comparison)\n");
      const backup = opts.parts !== "changes" ? await worker<BackupPartFigures>({ store: "sqlite", part: "backup", objects: opts.objects, changes: opts.changes }) : undefined;
      const changes = opts.parts !== "backup" ? await worker<ChangesPartFigures>({ store: "sqlite", part: "changes", objects: opts.objects, changes: opts.changes }) : undefined;
      sqlite = { ...(backup ? { backup } : {}), ...(changes ? { changes } : {}) };
    }
    printTables(runs, sqlite);
    const writes = runs.map((r) => r.backup?.writeOperations?.total ?? Number.NaN);
    const med = (f: (r: Required<RunFigures>) => number): number | null => {
      const xs = runs.map((r) => {
        try {
          return f(r as Required<RunFigures>);
        } catch {
          return Number.NaN; // a part not run
        }
      });
      return xs.some((x) => Number.isNaN(x)) ? null : Math.round(median(xs) * 100) / 100;
    };
    return {
      target: { writeOperations: `≤ ${WRITE_TARGET} for a 100,000-object backup`, met: opts.parts === "changes" ? null : writes.every((w) => w <= WRITE_TARGET), measured: writes },
      settings: { parts: opts.parts, objects: opts.objects, changes: opts.changes, runs: opts.runs, sqlite: opts.sqlite, tenant: tenantFor(opts.objects), batchObjects: BATCH_OBJECTS, changesPerPut: CHANGES_PER_PUT, pageLimit: 100 },
      summary: {
        runs: runs.length,
        backupStoreSecondsMedian: med((r) => r.backup.storeSeconds),
        backupCompleteSecondsMedian: med((r) => r.backup.completeSeconds),
        backupWriteOperationsMedian: med((r) => r.backup.writeOperations?.total ?? Number.NaN),
        backupRequestsMedian: med((r) => (r.backup.requests ? r.backup.requests.add.total.requests + r.backup.requests.complete.total.requests : Number.NaN)),
        backupPeakRssMiBMedian: med((r) => r.backup.peakRssMiB),
        readBackupSecondsMedian: med((r) => r.backup.read.seconds),
        putChangesSecondsMedian: med((r) => r.changes.putSeconds),
        finishJobSecondsMedian: med((r) => r.changes.finishSeconds),
        pageAllSecondsMedian: med((r) => r.changes.pageAll.seconds),
        pageAllP50MsMedian: med((r) => r.changes.pageAll.pageMs.p50Ms),
        pageAllP95MsMedian: med((r) => r.changes.pageAll.pageMs.p95Ms),
        pageGroupsSecondsMedian: med((r) => r.changes.pageGroups.seconds),
        pageGroupsP95MsMedian: med((r) => r.changes.pageGroups.pageMs.p95Ms),
        nthChangeSeqMsMedian: med((r) => r.changes.nth[0]!.ms),
        requestChargeIsReal: false,
      },
      cosmos: runs,
      sqlite,
      notes: NOTES,
    };
  },
};
