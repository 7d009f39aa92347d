import type { BackupSummary } from "../core/model/backup";
import type { BenchPerson } from "./bot-client";
import { waitForJob, type BenchApp } from "./bot-world";
import { forkTs } from "./child";
import type { DriftFigures } from "./engine-drift";
import { backupSize, round2 } from "./engine-world";
import type { SimConnection } from "./sim-control";
import { sleep } from "../lib/async";

/** What the store holds before anything is timed, and how long it took to get there. */
export interface SetupFigures {
  readonly backups: Array<{ id: string; seconds: number; objects: number; links: number }>;
  readonly drift: { objects: number; seconds: number; planned: DriftFigures["planned"]; byStatus: Record<string, number> };
  readonly report: { id: string; state: string; seconds: number; changes: number; notRecoverable: number; byType: unknown };
  readonly seconds: number;
}

/** The ids the timed part uses. */
export interface Prepared {
  readonly figures: SetupFigures;
  readonly firstBackup: BackupSummary;
  readonly reportId: string;
  readonly changes: number;
  /** Changes the report holds for users with action update (the extra probe's filter). */
  readonly userUpdates: number;
}

async function timedBackup(b: BenchApp, who: BenchPerson): Promise<{ summary: BackupSummary; seconds: number }> {
  const started = performance.now();
  const summary = await b.app.engine.rewind.takeBackup({ userId: who.aadObjectId });
  return { summary, seconds: round2((performance.now() - started) / 1000) };
}

/** The engine benchmark's bulk drift (its worker, in a child process, so it costs the app nothing). */
async function drift(conn: SimConnection, objects: number): Promise<DriftFigures> {
  const child = forkTs<DriftFigures>("engine-drift-worker.ts", [JSON.stringify({ url: conn.url, ca: conn.ca, objects, seed: 1 })]);
  try {
    return await child.ready;
  } finally {
    await child.stop();
  }
}

/**
 * Fills the store as weeks of use would, through the engine's façade as the Global Administrator: a backup of
 * the tenant, a bulk drift, a second backup, and a difference report of the first backup against the drifted
 * tenant, run to completion (so `changes`, `job` and the card verbs read a large report).
 */
export async function prepareStore(b: BenchApp, conn: SimConnection, who: BenchPerson, driftObjects: number): Promise<Prepared> {
  const started = performance.now();
  const first = await timedBackup(b, who);
  const log = (what: string, x: unknown): void => void process.stdout.write(`  setup ${what} ${JSON.stringify(x)}\n`);
  const backups: SetupFigures["backups"] = [];
  const noteBackup = (r: { summary: BackupSummary; seconds: number }): void => {
    const size = backupSize(r.summary);
    backups.push({ id: r.summary.id, seconds: r.seconds, objects: size.objects, links: size.links });
    log("backup", backups[backups.length - 1]);
  };
  noteBackup(first);
  const d = await drift(conn, driftObjects);
  const driftFigures = { objects: d.objects, seconds: round2(d.listSeconds + d.send.seconds), planned: d.planned, byStatus: d.send.byStatus };
  log("drift", driftFigures);
  // Backup ids are their second; make sure the second backup cannot collide with the first.
  await sleep(1100);
  noteBackup(await timedBackup(b, who));

  const reportStarted = performance.now();
  const job = await b.app.engine.rewind.startDifferenceReport({ userId: who.aadObjectId }, { backupId: first.summary.id });
  const done = await waitForJob(b.app, conn.tenantId, job.id, 15 * 60_000);
  const report = {
    id: done.id,
    state: done.state,
    seconds: round2((performance.now() - reportStarted) / 1000),
    changes: done.summary?.total ?? 0,
    notRecoverable: done.summary?.notRecoverable ?? 0,
    byType: done.summary?.byType ?? {},
  };
  log("report", report);
  if (done.state !== "succeeded") throw new Error(`The difference report ended ${done.state}: ${done.error ?? "no error given"}`);
  return {
    figures: { backups, drift: driftFigures, report, seconds: round2((performance.now() - started) / 1000) },
    firstBackup: first.summary,
    reportId: done.id,
    changes: report.changes,
    userUpdates: done.summary?.byType.user?.update ?? 0,
  };
}
