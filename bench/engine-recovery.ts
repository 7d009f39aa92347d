import { RECOVERY_STEPS, type Change, type RecoveryStep } from "../core/model/change";
import type { RecoveryCounts } from "../core/model/job";
import { round2 } from "./engine-world";
import type { EngineSession } from "./engine-session";
import type { TimedJob } from "./job-states";
import { minWritesOfJob, type MinWrites } from "./min-writes";
import { recoveryTimeline, type PassTimeline } from "./step-timeline";

/**
 * Graph's write budget per 150 s window for identity and access
 * (https://learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits).
 */
const WRITES_PER_WINDOW = 3000;
const LEFT_SAMPLE = 10;

export interface RecoveryFigures {
  readonly state: string;
  readonly outcomes: RecoveryCounts | null;
  readonly planningSeconds: number;
  readonly runningSeconds: number;
  readonly totalSeconds: number;
  readonly minWritesFromReport: MinWrites;
  readonly minWritesFromPlan: MinWrites;
  readonly simWrites: number;
  readonly simRequests: number;
  readonly simThrottled: number;
  readonly writesToMinimum: number;
  readonly budgetWindowSeconds: number;
  /** writes / (runningSeconds / window × 3,000): the share of the write budget the running state used. */
  readonly budgetUsedRunning: number;
  /** The same over the whole job, planning included. */
  readonly budgetUsedTotal: number;
  readonly throttledShare: number;
  readonly writesPerSecond: number;
  readonly peakRssMiB: number;
  readonly maxLoopBlockMs: number;
  /** Per pass: outcomes recorded and seconds (from the step outcomes' times). */
  readonly passes: Record<RecoveryStep, PassTimeline>;
  /** The plan's minimum writes per pass. */
  readonly passWrites: Record<RecoveryStep, number>;
  /** Per pass: its minimum writes per second over the budget's rate (3,000 per window). */
  readonly passBudgetShare: Record<RecoveryStep, number | null>;
  readonly changesLeftAfter: number | null;
  /** A few of the changes a report still finds after the recovery, in short. */
  readonly leftAfterSample: string[];
  readonly error?: string;
}

/** One change in a line: type, id, action, state, property and link differences. */
function describeChange(c: Change): string {
  const props = c.deltaFromCurrent.properties.map((p) => `${p.name}: ${JSON.stringify(p.currentValue)} -> ${JSON.stringify(p.backupValue)}`);
  const links = c.deltaFromCurrent.links.map((l) => `${l.link} +${l.toAdd.length} -${l.toRemove.length}`);
  const state = `${c.currentState}${c.recoverable ? "" : `, ${c.notRecoverableReason ?? "not recoverable"}`}`;
  return `${c.entityTypeName} ${c.id} ${c.recoveryAction} (${state}) ${[...props, ...links].join("; ")}`;
}

/**
 * Recovers a finished report's changes through the façade under the simulator's (scaled) write budget, and
 * measures writes against the minimum, the budget used, throttling, the passes' pace, and what a new report
 * still finds afterwards.
 */
export async function measureRecovery(session: EngineSession, report: TimedJob, timeScale: number): Promise<RecoveryFigures> {
  const { store, tenantId, sim } = session.world;
  const minWritesFromReport = await minWritesOfJob(store, tenantId, report.job.id);
  await sim.resetStats();
  const { result: timed, peakRssMiB, maxLoopBlockMs } = await session.measure(() => session.recovery(report.job.id));
  const stats = await sim.stats();
  const minWritesFromPlan = await minWritesOfJob(store, tenantId, timed.job.id);
  const windowS = 150 * timeScale;
  const running = timed.secondsIn.running ?? 0;
  const passes = await recoveryTimeline(store, tenantId, timed.job.id, timed.enteredAt.running ?? null);
  const budgetRate = WRITES_PER_WINDOW / windowS;
  const w = minWritesFromPlan;
  const passWrites: Record<RecoveryStep, number> = { restore: w.restores, update: w.propertyPatches, links: w.linkWrites, softDelete: w.softDeletes };
  const passBudgetShare = Object.fromEntries(
    RECOVERY_STEPS.map((s) => [s, passes[s].seconds > 0 ? round2(passWrites[s] / passes[s].seconds / budgetRate) : null]),
  ) as Record<RecoveryStep, number | null>;
  const after = await session.report(report.job.backupId);
  return {
    state: timed.job.state,
    outcomes: (timed.job.kind === "recovery" ? timed.job.outcomes : undefined) ?? null,
    planningSeconds: timed.secondsIn.loadingData ?? 0,
    runningSeconds: running,
    totalSeconds: timed.totalSeconds,
    minWritesFromReport,
    minWritesFromPlan,
    simWrites: stats.writes,
    simRequests: stats.requests,
    simThrottled: stats.throttled,
    writesToMinimum: round2(stats.writes / Math.max(1, minWritesFromReport.total)),
    budgetWindowSeconds: windowS,
    budgetUsedRunning: round2(stats.writes / ((running / windowS) * WRITES_PER_WINDOW)),
    budgetUsedTotal: round2(stats.writes / ((timed.totalSeconds / windowS) * WRITES_PER_WINDOW)),
    throttledShare: Math.round((stats.throttled / Math.max(1, stats.requests)) * 10_000) / 10_000,
    writesPerSecond: Math.round(stats.writes / Math.max(0.001, running)),
    peakRssMiB,
    maxLoopBlockMs,
    passes,
    passWrites,
    passBudgetShare,
    changesLeftAfter: after.job.state === "succeeded" ? (after.job.summary?.total ?? 0) : null,
    leftAfterSample: (await store.readChanges(tenantId, after.job.id, { limit: LEFT_SAMPLE })).map(describeChange),
    ...(timed.job.error ? { error: timed.job.error } : {}),
  };
}
