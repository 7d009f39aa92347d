/**
 * The Cosmos benchmark's worker: one part (a backup, or a report's changes) against one store, in a fresh
 * process so its peak resident memory is its own. The Cosmos store talks to the test server in another
 * process (bench/cosmos-server-child.ts); the SQLite store, for comparison, is a file in a temp directory.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import type { ObjectType } from "../core/model/catalog";
import type { Change } from "../core/model/change";
import type { ChangeQuery, Job } from "../core/model/job";
import type { BackupStore, JobStore } from "../core/ports";
import { CosmosBackupStore } from "../core/store/cosmos/cosmos-backup-store";
import { CosmosJobStore } from "../core/store/cosmos/cosmos-job-store";
import { SqliteStore } from "../core/store/sqlite/sqlite-store";
import { percentile } from "./bot-stats";
import { backupBatches, batchSize, changeCounts, reportChanges, tenantFor } from "./cosmos-data";
import { CosmosMeter, openMeteredCosmos, type MeterSnapshot, type MeterTally } from "./cosmos-meter";
import { round2, runWorker } from "./engine-world";
import { LoopBlock } from "./loop-block";
import { lifetimePeakRssMiB, PeakRss } from "./peak-rss";

export interface CosmosWorkerArgs {
  readonly store: "cosmos" | "sqlite";
  readonly part: "backup" | "changes";
  /** Cosmos: the test server and a database name not used before. */
  readonly endpoint?: string;
  readonly databaseId?: string;
  readonly objects: number;
  readonly changes: number;
}

const TENANT = "c0ffee00-0000-4000-8000-00000000000a";
const BACKUP_ID = "2026-11-25T02:00:00Z";
const JOB_ID = "0b0b0b0b-0000-4000-8000-000000000001";
const PAGE = 100;
/** Where nthChangeSeq is asked (the brief's 50,000th change at full size). */
const NTH_SHARE = 0.5;

/** A meter's figures for one phase: totals, and the keys (container/operation) that carried requests. */
export interface PhaseRequests {
  readonly total: MeterTally;
  readonly byKey: MeterSnapshot;
}

export interface Spread {
  readonly n: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

export interface BackupPartFigures {
  readonly store: "cosmos" | "sqlite";
  readonly objects: number;
  readonly users: number;
  readonly groups: number;
  readonly linkTargets: number;
  readonly batches: number;
  readonly inputJsonMiB: number;
  /** beginBackup + every addToBackup + completeBackup, generation left out. */
  readonly storeSeconds: number;
  readonly addSeconds: number;
  readonly completeSeconds: number;
  readonly addBatchMs: Spread;
  readonly generateSeconds: number;
  /** CosmosBackupStore.writeOperations (Cosmos only). */
  readonly writeOperations?: { readonly total: number; readonly begin: number; readonly add: number; readonly complete: number; readonly targetMet: boolean };
  /** What the client sent, counted on its request pipeline (Cosmos only). */
  readonly requests?: { readonly add: PhaseRequests; readonly complete: PhaseRequests; readonly read: PhaseRequests };
  readonly peakRssMiB: number;
  readonly lifetimePeakRssMiB: number;
  readonly maxLoopBlockMs: number;
  readonly storageBytes: number;
  readonly read: { readonly seconds: number; readonly batches: number; readonly objects: number; readonly linkTargets: number; readonly batchMs: Spread; readonly peakRssMiB: number; readonly matches: boolean };
}

export interface PagingFigures {
  readonly query: string;
  readonly pages: number;
  readonly changes: number;
  readonly expected: number;
  readonly seconds: number;
  readonly pageMs: Spread;
}

export interface ChangesPartFigures {
  readonly store: "cosmos" | "sqlite";
  readonly changes: number;
  readonly byType: Record<string, number>;
  readonly puts: number;
  readonly inputJsonMiB: number;
  readonly putSeconds: number;
  readonly putMs: Spread;
  /** updateJob to succeeded: on Cosmos it stamps `ttl` on every item of the job (read + bulk replace). */
  readonly finishSeconds: number;
  readonly pageAll: PagingFigures;
  readonly pageGroups: PagingFigures;
  readonly nth: ReadonlyArray<{ readonly query: string; readonly count: number; readonly seq: number | null; readonly expected: number; readonly ms: number }>;
  /** One page of 100 read at the cursor nthChangeSeq found. */
  readonly pageAtNthMs: number;
  readonly requests?: { readonly put: PhaseRequests; readonly finish: PhaseRequests; readonly pageAll: PhaseRequests; readonly pageGroups: PhaseRequests; readonly nth: PhaseRequests };
  readonly peakRssMiB: number;
  readonly lifetimePeakRssMiB: number;
  readonly maxLoopBlockMs: number;
}

const ms1 = (x: number): number => Math.round(x * 10) / 10;
const mib = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

function spread(xs: readonly number[]): Spread {
  return { n: xs.length, p50Ms: ms1(percentile(xs, 50)), p95Ms: ms1(percentile(xs, 95)), maxMs: ms1(xs.length ? Math.max(...xs) : Number.NaN) };
}

interface Opened {
  readonly backups: BackupStore;
  readonly jobs: JobStore;
  readonly cosmosBackups?: CosmosBackupStore;
  readonly meter?: CosmosMeter;
  close(): void;
}

async function open(args: CosmosWorkerArgs): Promise<Opened> {
  const log = pino({ level: process.env["BENCH_LOG"] ?? "silent" });
  if (args.store === "sqlite") {
    const dir = mkdtempSync(path.join(tmpdir(), "rewind-bench-cosmos-"));
    const store = SqliteStore.open({ file: path.join(dir, "rewind.db"), logger: log });
    return {
      backups: store,
      jobs: store,
      close: () => {
        store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (args.endpoint === undefined || args.databaseId === undefined) throw new Error("A Cosmos part needs endpoint and databaseId.");
  const cosmos = await openMeteredCosmos(args.endpoint, args.databaseId);
  const backups = new CosmosBackupStore(cosmos.containers, log);
  return { backups, jobs: new CosmosJobStore(cosmos.containers, log), cosmosBackups: backups, meter: cosmos.meter, close: cosmos.close };
}

/** Times `fn`, and the meter's requests during it. */
async function phase<T>(meter: CosmosMeter | undefined, fn: () => Promise<T>): Promise<{ value: T; ms: number; requests: PhaseRequests | undefined }> {
  const before = meter?.snapshot();
  const started = performance.now();
  const value = await fn();
  const ms = performance.now() - started;
  if (meter === undefined || before === undefined) return { value, ms, requests: undefined };
  const byKey = CosmosMeter.since(before, meter.snapshot());
  return { value, ms, requests: { total: CosmosMeter.total(byKey), byKey } };
}

function sumRequests(parts: ReadonlyArray<PhaseRequests | undefined>): PhaseRequests | undefined {
  if (parts.some((p) => p === undefined)) return undefined;
  const byKey: MeterSnapshot = {};
  for (const p of parts as PhaseRequests[]) {
    for (const [k, t] of Object.entries(p.byKey)) {
      const into = (byKey[k] ??= { ...t, requests: 0, headerCharge: 0, noChargeHeader: 0, bulkOperations: 0, bulkOperationCharge: 0, bulkSucceeded: 0, throttled: 0, errors: 0, pointWrites: 0, ms: 0 });
      for (const f of Object.keys(t) as Array<keyof MeterTally>) into[f] += t[f];
    }
  }
  return { total: CosmosMeter.total(byKey), byKey };
}

async function backupPart(args: CosmosWorkerArgs): Promise<BackupPartFigures> {
  const s = await open(args);
  const spec = tenantFor(args.objects);
  const rss = new PeakRss();
  const loop = new LoopBlock();
  try {
    rss.reset();
    const writes = (): number => s.cosmosBackups?.writeOperations ?? 0;
    const begin = await phase(s.meter, () => s.backups.beginBackup(TENANT, { id: BACKUP_ID, trigger: "scheduled", startedAt: new Date().toISOString() }));
    const writesAfterBegin = writes();
    let generateMs = 0;
    let addMs = 0;
    let objects = 0;
    let linkTargets = 0;
    let jsonBytes = 0;
    const batchMs: number[] = [];
    const addRequests: Array<PhaseRequests | undefined> = [];
    const batches = backupBatches(spec);
    for (;;) {
      const g = performance.now();
      const next = batches.next();
      if (next.done) break;
      const size = batchSize(next.value);
      generateMs += performance.now() - g;
      objects += size.objects;
      linkTargets += size.links;
      jsonBytes += size.jsonBytes;
      const add = await phase(s.meter, () => s.backups.addToBackup(TENANT, BACKUP_ID, next.value));
      addMs += add.ms;
      batchMs.push(add.ms);
      addRequests.push(add.requests);
      if (batchMs.length % 40 === 0) process.stdout.write(`    ${args.store} backup: ${objects} objects stored (${round2(addMs / 1000)} s)\n`);
    }
    const writesAfterAdd = writes();
    const complete = await phase(s.meter, () => s.backups.completeBackup(TENANT, BACKUP_ID, new Date().toISOString()));
    const writesAfterComplete = writes();
    const peakRssMiB = rss.peakMiB();
    const storeMs = begin.ms + addMs + complete.ms;
    process.stdout.write(`    ${args.store} backup: stored in ${round2(storeMs / 1000)} s (complete ${round2(complete.ms / 1000)} s); reading it back\n`);

    rss.reset();
    const readBatchMs: number[] = [];
    let readObjects = 0;
    let readTargets = 0;
    const read = await phase(s.meter, async () => {
      let t = performance.now();
      for await (const batch of s.backups.readBackup(TENANT, BACKUP_ID)) {
        readBatchMs.push(performance.now() - t);
        readObjects += batch.length;
        for (const e of batch) for (const l of e.links) readTargets += l.targets.length;
        t = performance.now();
      }
    });
    const readPeak = rss.peakMiB();
    const storageBytes = await s.backups.backupStorageBytes(TENANT);
    const counted = Object.values(complete.value.counts).reduce((n, c) => n + c.live + c.deleted, 0);
    return {
      store: args.store,
      objects,
      users: spec.users,
      groups: spec.groups,
      linkTargets,
      batches: batchMs.length,
      inputJsonMiB: mib(jsonBytes),
      storeSeconds: round2(storeMs / 1000),
      addSeconds: round2(addMs / 1000),
      completeSeconds: round2(complete.ms / 1000),
      addBatchMs: spread(batchMs),
      generateSeconds: round2(generateMs / 1000),
      ...(s.cosmosBackups
        ? {
            writeOperations: {
              total: writesAfterComplete,
              begin: writesAfterBegin,
              add: writesAfterAdd - writesAfterBegin,
              complete: writesAfterComplete - writesAfterAdd,
              targetMet: writesAfterComplete <= 5000,
            },
          }
        : {}),
      ...(s.meter ? { requests: { add: sumRequests([begin.requests, ...addRequests])!, complete: complete.requests!, read: read.requests! } } : {}),
      peakRssMiB,
      lifetimePeakRssMiB: lifetimePeakRssMiB(),
      maxLoopBlockMs: loop.maxMs(),
      storageBytes,
      read: {
        seconds: round2(read.ms / 1000),
        batches: readBatchMs.length,
        objects: readObjects,
        linkTargets: readTargets,
        batchMs: spread(readBatchMs),
        peakRssMiB: readPeak,
        matches: readObjects === objects && counted === objects && complete.value.links === linkTargets,
      },
    };
  } finally {
    rss.stop();
    loop.stop();
    s.close();
  }
}

function reportJob(state: Job["state"]): Job {
  return {
    tenantId: TENANT,
    id: JOB_ID,
    kind: "differenceReport",
    backupId: BACKUP_ID,
    state,
    scope: {},
    requestedBy: "0a0a0a0a-0000-4000-8000-000000000001",
    createdAt: new Date().toISOString(),
    startedAt: new Date().toISOString(),
    progress: { done: 0, total: null, estimatedCompletionAt: null },
    cancelRequested: false,
  };
}

async function pageThrough(jobs: JobStore, query: Omit<ChangeQuery, "limit" | "afterSeq">, expected: number, name: string): Promise<PagingFigures> {
  const pageMs: number[] = [];
  let afterSeq: number | undefined;
  let changes = 0;
  let last = 0;
  const started = performance.now();
  for (;;) {
    const t = performance.now();
    const page: Change[] = await jobs.readChanges(TENANT, JOB_ID, { ...query, ...(afterSeq !== undefined ? { afterSeq } : {}), limit: PAGE });
    pageMs.push(performance.now() - t);
    for (const c of page) {
      if (c.seq <= last) throw new Error(`${name}: seq ${c.seq} after ${last}.`);
      last = c.seq;
    }
    changes += page.length;
    if (page.length < PAGE) break;
    afterSeq = page[page.length - 1]!.seq;
  }
  return { query: name, pages: pageMs.length, changes, expected, seconds: round2((performance.now() - started) / 1000), pageMs: spread(pageMs) };
}

async function changesPart(args: CosmosWorkerArgs): Promise<ChangesPartFigures> {
  const s = await open(args);
  const rss = new PeakRss();
  const loop = new LoopBlock();
  try {
    rss.reset();
    await s.jobs.createJob(reportJob("running"));
    const putMs: number[] = [];
    const putRequests: Array<PhaseRequests | undefined> = [];
    let written = 0;
    let jsonBytes = 0;
    for (const page of reportChanges(args.changes)) {
      jsonBytes += JSON.stringify(page).length;
      const put = await phase(s.meter, () => s.jobs.putChanges(TENANT, JOB_ID, page));
      putMs.push(put.ms);
      putRequests.push(put.requests);
      written += page.length;
      if (putMs.length % 40 === 0) process.stdout.write(`    ${args.store} changes: ${written} written (${round2(putMs.reduce((a, b) => a + b, 0) / 1000)} s)\n`);
    }
    const running = (await s.jobs.getJob(TENANT, JOB_ID))!;
    const finish = await phase(s.meter, () => s.jobs.updateJob({ ...running, job: { ...running.job, state: "succeeded", completedAt: new Date().toISOString() } }));
    process.stdout.write(`    ${args.store} changes: job finished in ${round2(finish.ms / 1000)} s; paging\n`);

    const counts = Object.fromEntries(changeCounts(args.changes));
    const groups = counts["group"] ?? 0;
    const pageAll = await phase(s.meter, () => pageThrough(s.jobs, {}, args.changes, "all, limit 100, afterSeq cursor"));
    process.stdout.write(`    ${args.store} changes: paged all in ${pageAll.value.seconds} s; filtered\n`);
    const pageGroups = await phase(s.meter, () => pageThrough(s.jobs, { types: ["group"] as ObjectType[] }, groups, 'types ["group"], limit 100, afterSeq cursor'));

    const firstGroupSeq = (counts["user"] ?? 0) + 1;
    const nthAsked = [
      { query: "all", q: {}, count: Math.max(1, Math.round(args.changes * NTH_SHARE)), expected: Math.max(1, Math.round(args.changes * NTH_SHARE)) },
      { query: 'types ["group"]', q: { types: ["group"] as ObjectType[] }, count: Math.max(1, Math.round(groups * NTH_SHARE)), expected: firstGroupSeq - 1 + Math.max(1, Math.round(groups * NTH_SHARE)) },
    ];
    const nth = await phase(s.meter, async () => {
      const out = [];
      for (const a of nthAsked) {
        const t = performance.now();
        const seq = await s.jobs.nthChangeSeq(TENANT, JOB_ID, a.q, a.count);
        out.push({ query: a.query, count: a.count, seq, expected: a.expected, ms: ms1(performance.now() - t) });
      }
      return out;
    });
    const t = performance.now();
    await s.jobs.readChanges(TENANT, JOB_ID, { afterSeq: nth.value[0]!.seq ?? 0, limit: PAGE });
    const pageAtNthMs = ms1(performance.now() - t);
    return {
      store: args.store,
      changes: written,
      byType: counts,
      puts: putMs.length,
      inputJsonMiB: mib(jsonBytes),
      putSeconds: round2(putMs.reduce((a, b) => a + b, 0) / 1000),
      putMs: spread(putMs),
      finishSeconds: round2(finish.ms / 1000),
      pageAll: pageAll.value,
      pageGroups: pageGroups.value,
      nth: nth.value,
      pageAtNthMs,
      ...(s.meter
        ? { requests: { put: sumRequests(putRequests)!, finish: finish.requests!, pageAll: pageAll.requests!, pageGroups: pageGroups.requests!, nth: nth.requests! } }
        : {}),
      peakRssMiB: rss.peakMiB(),
      lifetimePeakRssMiB: lifetimePeakRssMiB(),
      maxLoopBlockMs: loop.maxMs(),
    };
  } finally {
    rss.stop();
    loop.stop();
    s.close();
  }
}

runWorker<CosmosWorkerArgs, BackupPartFigures | ChangesPartFigures>((args) => (args.part === "backup" ? backupPart(args) : changesPart(args)));
