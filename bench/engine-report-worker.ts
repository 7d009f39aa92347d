/**
 * Parts 2 and 3 of the engine benchmark, in one engine process: a backup, a bulk drift (in a child process),
 * difference reports of the backup against the drifted tenant (timed per state), then a recovery of the last
 * report under the simulator's write budget, and a report after it to see what is left.
 */
import { forkTs } from "./child";
import type { DriftFigures } from "./engine-drift";
import { measureRecovery, type RecoveryFigures } from "./engine-recovery";
import { EngineSession, type ProcessCost } from "./engine-session";
import { backupSize, round2, runWorker, type WorkerArgs } from "./engine-world";
import type { TimedJob } from "./job-states";
import { lifetimePeakRssMiB } from "./peak-rss";

export interface ReportWorkerArgs extends WorkerArgs {
  readonly driftObjects: number;
  readonly driftSeed: number;
  readonly reportRuns: number;
  readonly recovery: boolean;
}

export interface ReportFigures extends ProcessCost {
  readonly state: string;
  readonly changes: number;
  readonly notRecoverable: number;
  readonly byType: unknown;
  readonly loadingSeconds: number;
  readonly calculatingSeconds: number;
  readonly totalSeconds: number;
  readonly error?: string;
}

export interface ReportWorkerFigures {
  readonly via: string;
  readonly backup: { seconds: number; objects: number; links: number } & ProcessCost;
  readonly drift: DriftFigures;
  readonly reports: ReportFigures[];
  readonly recovery: RecoveryFigures | null;
  readonly lifetimePeakRssMiB: number;
}

function reportFigures(t: TimedJob, cost: ProcessCost): ReportFigures {
  const s = t.job.summary;
  return {
    state: t.job.state,
    changes: s?.total ?? 0,
    notRecoverable: s?.notRecoverable ?? 0,
    byType: s?.byType ?? {},
    loadingSeconds: t.secondsIn.loadingData ?? 0,
    calculatingSeconds: t.secondsIn.calculating ?? 0,
    totalSeconds: t.totalSeconds,
    peakRssMiB: cost.peakRssMiB,
    maxLoopBlockMs: cost.maxLoopBlockMs,
    ...(t.job.error ? { error: t.job.error } : {}),
  };
}

async function drift(args: ReportWorkerArgs, session: EngineSession): Promise<DriftFigures> {
  const { sim } = session.world;
  await sim.setThrottling(false);
  const child = forkTs<DriftFigures>("engine-drift-worker.ts", [JSON.stringify({ url: args.conn.url, ca: args.conn.ca, objects: args.driftObjects, seed: args.driftSeed })]);
  try {
    return await child.ready;
  } finally {
    await child.stop();
    await sim.setThrottling(true);
  }
}

async function main(args: ReportWorkerArgs): Promise<ReportWorkerFigures> {
  const session = await EngineSession.open(args);
  try {
    const b = await session.measure(() => session.world.backup());
    const { summary } = b.result;
    const backup = { seconds: round2(b.result.seconds), ...backupSize(summary), peakRssMiB: b.peakRssMiB, maxLoopBlockMs: b.maxLoopBlockMs };
    process.stdout.write(`  backup ${JSON.stringify(backup)}\n`);
    const drifted = await drift(args, session);
    process.stdout.write(`  drift ${JSON.stringify({ objects: drifted.objects, seconds: drifted.send.seconds, byStatus: drifted.send.byStatus })}\n`);

    const reports: ReportFigures[] = [];
    let last: TimedJob | undefined;
    for (let i = 0; i < args.reportRuns; i++) {
      const r = await session.measure(() => session.report(summary.id));
      last = r.result;
      reports.push(reportFigures(r.result, r));
      process.stdout.write(`  report ${i + 1}: ${JSON.stringify(reports[reports.length - 1])}\n`);
    }
    const recovery = args.recovery && last?.job.state === "succeeded" ? await measureRecovery(session, last, args.timeScale) : null;
    if (recovery) process.stdout.write(`  recovery ${JSON.stringify(recovery)}\n`);
    return { via: session.driver.via, backup, drift: drifted, reports, recovery, lifetimePeakRssMiB: lifetimePeakRssMiB() };
  } finally {
    await session.close();
  }
}

runWorker(main);
