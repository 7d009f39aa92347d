import { forkTs, median } from "../child";
import type { BackupFigures } from "../engine-backup-worker";
import type { ReportWorkerArgs, ReportWorkerFigures } from "../engine-report-worker";
import type { StorageFigures, StorageWorkerArgs } from "../engine-storage-worker";
import type { WorkerArgs } from "../engine-world";
import type { SimConnection } from "../sim-control";
import { parseEngineOptions, type EngineOptions } from "./engine-options";
import type { Suite } from "./suite";

const TARGETS = {
  backup: { seconds: "<= 60", peakRssMiB: "<= 1536 (1.5 GB)" },
  report: { changes: ">= 100000", totalSeconds: "<= 30 (Microsoft publishes about 45 minutes)" },
  recovery: { writesToMinimum: "<= 1.05", budgetUsedRunning: ">= 0.90", throttledShare: "< 0.01" },
  storage: { ratio: "<= 1.5 (five daily backups, 1% of objects changing each day, against one)" },
};

const NOTES = {
  setup:
    "The simulator runs in its own process (bench/sim-child.ts); the engine (Graph gateway, SQLite store on a temp file, createEngine with its job runner) in another, one per part (bench/engine-*-worker.ts); drift in a third (bench/engine-drift-worker.ts) so it costs the engine process nothing.",
  backup: "captureBackup of the whole tenant (every type, links, deleted items) into a fresh store; seconds from start to the sealed backup; peak RSS is the worker process's lifetime maxRSS (it does nothing else); maxLoopBlockMs as for the report. Median over --runs fresh processes.",
  drift:
    "Graph $batch requests of 20 (8 in flight) with the simulator's throttling off: user department edits (the rest), 1% manager changes, 4% groups with one member removed and one added, 2% group description edits, 3% users soft-deleted, 0.5% groups soft-deleted, 0.5% groups created; each object picked once; directory role holders and synced objects left alone.",
  report:
    "A difference report of the backup against the drifted tenant, started through the createEngine façade (rewind.startDifferenceReport) by a Global Administrator of the simulated tenant; loading = seconds in loadingData (reading the tenant into a comparison snapshot), calculating = seconds in calculating (merge with the backup, store the changes, drop the snapshot), total = from asking for the job until it ended. State times come from the engine's own store writes (the store is wrapped to note each updateJob as it returns), not from polling, which the engine's event loop can hold off. Medians over --runs reports of the same tenant. peakRssMiB is sampled every 50 ms during each report; maxLoopBlockMs is the longest the engine's event loop went without a turn (Node's event-loop delay histogram): the bot shares that loop, so nothing is answered meanwhile.",
  recovery:
    "A recovery of the last report's changes (rewind.requestRecovery by one Global Administrator, rewind.startRecovery by the other) with the simulator's throttling on at Graph's identity-and-access budgets (sim/README.md, 'What is simulated'), windows scaled by --time-scale, the gateway paced to the same budget ({ writes: 3000, windowMs: 150000 × timeScale }). Writes = the simulator's successful writes during the job; minimum = per recoverable change, one restore / soft-delete, one PATCH for all its properties, members re-added 20 per PATCH, one write per other link target or removal, one for a manager (bench/min-writes.ts). budgetUsedRunning = writes / (seconds in the running state / window × 3000); budgetUsedTotal uses the whole job, planning (reading the tenant again) included. throttledShare = 429s / Graph operations during the job. planning = seconds in loadingData, running = seconds in running (from the store's job writes, as for the report). changesLeftAfter = changes a new report finds after the recovery (leftAfterSample lists some). passes = per pass (restore, update, links, softDelete) the seconds from the previous pass's last stored outcome to its own last (outcome times); passBudgetShare = the pass's minimum writes per second over the budget rate (3,000 per window): near 0.95 where the gateway's pacer (95% of the budget) is the limit, lower where the engine's own work is.",
  storage:
    "Day 1: a backup of the fresh tenant. Days 2..N: drift of --daily-share of users + groups (same mix as above), then a backup. storageBytes = store.backupStorageBytes (content counted once); fileBytes = the database and WAL files on disk (WAL not checkpointed, so noisier). ratio = after N backups / after one.",
};

async function withSim<T>(opts: EngineOptions, timeScale: number, fn: (conn: SimConnection) => Promise<T>): Promise<T> {
  const sim = forkTs<SimConnection>("sim-child.ts", [JSON.stringify({ ...opts.tenant, timeScale, throttling: true })]);
  try {
    return await fn(await sim.ready);
  } finally {
    await sim.stop();
  }
}

async function inWorker<A, R>(file: string, args: A): Promise<R> {
  const w = forkTs<R>(file, [JSON.stringify(args)]);
  try {
    return await w.ready;
  } finally {
    await w.stop();
  }
}

async function backupPart(opts: EngineOptions, base: WorkerArgs): Promise<Record<string, unknown>> {
  const all: BackupFigures[] = [];
  for (let i = 0; i < opts.runs; i++) {
    const r = await inWorker<WorkerArgs, BackupFigures>("engine-backup-worker.ts", base);
    process.stdout.write(`  backup run ${i + 1}: ${JSON.stringify(r)}\n`);
    all.push(r);
  }
  return {
    runs: all.length,
    objects: all[0]!.objects,
    links: all[0]!.links,
    medianSeconds: median(all.map((r) => r.seconds)),
    medianPeakRssMiB: median(all.map((r) => r.peakRssMiB)),
    medianObjectsPerSecond: median(all.map((r) => r.objectsPerSecond)),
    medianMaxLoopBlockMs: median(all.map((r) => r.maxLoopBlockMs)),
    all,
  };
}

function reportSummary(w: ReportWorkerFigures): Record<string, unknown> {
  const ok = w.reports.filter((r) => r.state === "succeeded");
  return {
    runs: w.reports.length,
    succeeded: ok.length,
    changes: ok[0]?.changes ?? 0,
    medianLoadingSeconds: ok.length ? median(ok.map((r) => r.loadingSeconds)) : null,
    medianCalculatingSeconds: ok.length ? median(ok.map((r) => r.calculatingSeconds)) : null,
    medianTotalSeconds: ok.length ? median(ok.map((r) => r.totalSeconds)) : null,
    medianPeakRssMiB: ok.length ? median(ok.map((r) => r.peakRssMiB)) : null,
    medianMaxLoopBlockMs: ok.length ? median(ok.map((r) => r.maxLoopBlockMs)) : null,
    all: w.reports,
  };
}

export const engine: Suite = {
  description: "the engine on the issue's tenant: backup time and memory, a 100,000-change difference report, its recovery under Graph's write budget, storage of five daily backups",
  async run(args) {
    const opts = parseEngineOptions(args);
    const out: Record<string, unknown> = {
      targets: TARGETS,
      tenant: opts.tenant,
      settings: { runs: opts.runs, changes: opts.changes, timeScale: opts.timeScale, parts: [...opts.parts], days: opts.days, changesPerDay: opts.changesPerDay },
    };
    const wantsReport = opts.parts.has("report") || opts.parts.has("recovery");
    if (opts.parts.has("backup") || wantsReport) {
      await withSim(opts, opts.timeScale, async (conn) => {
        const base: WorkerArgs = { conn, timeScale: opts.timeScale };
        if (opts.parts.has("backup")) out.backup = await backupPart(opts, base);
        if (!wantsReport) return;
        const w = await inWorker<ReportWorkerArgs, ReportWorkerFigures>("engine-report-worker.ts", {
          ...base,
          driftObjects: opts.changes,
          driftSeed: 1,
          reportRuns: opts.runs,
          recovery: opts.parts.has("recovery"),
        });
        out.jobsVia = w.via;
        out.reportSetup = { backup: w.backup, drift: w.drift, engineLifetimePeakRssMiB: w.lifetimePeakRssMiB };
        out.report = reportSummary(w);
        if (w.recovery) out.recovery = w.recovery;
      });
    }
    if (opts.parts.has("storage")) {
      out.storage = await withSim(opts, 1, (conn) =>
        inWorker<StorageWorkerArgs, StorageFigures>("engine-storage-worker.ts", { conn, timeScale: 1, days: opts.days, changesPerDay: opts.changesPerDay }),
      );
    }
    out.notes = NOTES;
    return out;
  },
};
