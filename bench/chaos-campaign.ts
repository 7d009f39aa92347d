/**
 * One run of the chaos benchmark: the simulator, the Cosmos DB test server and the setup in their own
 * processes; then two replicas take the queued recovery from the shared store while this process injects
 * Graph faults, SIGKILLs the replica holding the job's lease at chosen points (and starts it again), and
 * turns a 429 storm on for a while. It watches the job through its own store client, waits for the alerts,
 * stops the replicas gracefully, and has a worker check the outcome against the simulator's write log.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { isTerminal, type Job } from "../core/model/job";
import type { JobRun } from "../core/model/job-record";
import type { FaultOptions } from "../sim/types";
import { tallyAlerts, type AlertFigures, type SentAlert } from "./chaos-alerts";
import { ChaosConnector } from "./chaos-connector";
import { tallyLogs, type LogTally } from "./chaos-logs";
import type { ChaosOptions } from "./chaos-options";
import { ReplicaSet, type Incarnation } from "./chaos-replicas";
import type { SetupArgs, SetupResult } from "./chaos-setup-worker";
import { openChaosStore } from "./chaos-store";
import type { VerifyArgs, VerifyFigures } from "./chaos-verify-worker";
import { forkTs } from "./child";
import type { CosmosServerConnection } from "./cosmos-server-child";
import { round2 } from "./engine-world";
import { SimControl, type SimConnection, type SimCounters } from "./sim-control";
import { sleep } from "../lib/async";

/** What a run does besides the recovery itself. */
export interface CampaignPlan {
  readonly label: "faultFree" | "chaos";
  readonly faults: FaultOptions | null;
  /** Positions (0 approved … 1 done, see `chaosPoints`) at which the lease holder is killed. */
  readonly killPoints: readonly number[];
  readonly storm: {
    readonly at: number;
    readonly share: number;
    readonly budgets: { resourceUnitsPer10s: number; writesPer150s: number };
    /** The fault-free run's running state: how its steps went by (the storm's length is estimated from it). */
    readonly reference: RunningTimeline;
  } | null;
  /** The planning state's share of the positions. */
  readonly planShare: number;
}

/** A running state's pace: [seconds in the state, steps done] samples, in order, and the steps in all. */
export interface RunningTimeline {
  readonly samples: ReadonlyArray<readonly [number, number]>;
  readonly total: number;
}

/** Seconds a timeline took to reach `done` steps (linear between samples). */
export function secondsToReach(t: RunningTimeline, done: number): number {
  let previous: readonly [number, number] = [0, 0];
  for (const sample of t.samples) {
    if (sample[1] >= done) {
      const [s0, d0] = previous;
      const [s1, d1] = sample;
      return d1 === d0 ? s1 : s0 + ((s1 - s0) * (done - d0)) / (d1 - d0);
    }
    previous = sample;
  }
  return previous[0];
}

/** One SIGKILL: when (seconds since the replicas started), whom, and where the job stood. */
export interface KillRecord {
  readonly atSeconds: number;
  readonly point: number;
  readonly replica: string;
  readonly owner: string;
  readonly pid: number;
  readonly jobState: string;
  readonly progress: { done: number; total: number | null };
  readonly position: number;
  readonly attemptsSoFar: number;
  readonly restartedAs: string;
  readonly restartSeconds: number;
  /** Steps the killed process had recorded in flight (written or about to be, answer not recorded): what the next attempt re-reads. */
  readonly stepsInFlight: number | null;
  /** From the kill to another process holding the job's lease (its lease had to lapse first). */
  readonly resumedAfterSeconds: number | null;
}

export interface StormRecord {
  readonly startSeconds: number;
  readonly seconds: number;
  readonly startPosition: number;
  readonly endPosition: number;
  readonly budgets: { resourceUnitsPer10s: number; writesPer150s: number };
  /** The storm's length over the run's total (replicas started → job ended). */
  readonly shareOfRun: number;
}

export interface RunFigures {
  readonly label: CampaignPlan["label"];
  readonly setup: SetupResult;
  /** From starting the replicas (the job queued) to the job's end. */
  readonly totalSeconds: number;
  /** Seconds the watcher saw the job in each state. */
  readonly secondsIn: Record<string, number>;
  readonly leaseOwners: string[];
  readonly kills: KillRecord[];
  readonly storm: StormRecord | null;
  readonly faults: { readonly configured: FaultOptions | null; readonly byKind: Record<string, number>; readonly injected: number; readonly graphHttpRequests: number; readonly shares: Record<string, number> };
  /** The simulator's counters over the recovery (Graph operations, 429s, successful writes). */
  readonly sim: Omit<SimCounters, "faultsByKind">;
  readonly alerts: AlertFigures;
  readonly resultAlert: { toAlertsChannel: number; toApproverChat: number; secondsAfterEnd: number | null };
  readonly replicas: Array<{ owner: string; startSeconds: number; upSeconds: number | null; endedBy: string | null; exitCode: number | null }>;
  readonly logs: LogTally;
  readonly verify: VerifyFigures;
  /** How the running state went by (for the next run's storm; left out of the results). */
  readonly runningTimeline: RunningTimeline;
}

const TICK_MS = 200;
const RUN_TIMEOUT_MS = 90 * 60_000;
/** After the job ends, the result alert must arrive within this; then one whole sweep period passes (replicas race to send what is owed). */
const ALERT_WAIT_MS = 120_000;
const QUIET_MS = 35_000;
const ALERTS_CHANNEL = "19:chaos-alerts@thread.tacv2";

async function inWorker<A, R>(file: string, args: A): Promise<R> {
  const w = forkTs<R>(file, [JSON.stringify(args)], ["--disable-warning=DEP0111"]);
  try {
    return await w.ready;
  } finally {
    await w.stop();
  }
}

/** Where the job stands, from 0 (approved) to 1 (done), weighting planning by `planShare`. */
export function positionOf(job: Job, planShare: number): number {
  const { done, total } = job.progress;
  const part = total && total > 0 ? Math.min(1, done / total) : 0;
  if (job.state === "loadingData") return planShare * part;
  if (job.state === "running") return planShare + (1 - planShare) * part;
  return isTerminal(job.state) ? 1 : 0;
}

/** Runs one campaign end to end; every process and folder it made is gone when it returns or throws. */
export async function runCampaign(opts: ChaosOptions, plan: CampaignPlan): Promise<RunFigures> {
  const dir = mkdtempSync(path.join(tmpdir(), `rewind-chaos-${plan.label}-`));
  const sim = forkTs<SimConnection>("sim-child.ts", [JSON.stringify({ ...opts.tenant, timeScale: opts.timeScale, throttling: true, writeLogLimit: 2_000_000 })]);
  const cosmos = forkTs<CosmosServerConnection>("cosmos-server-child.ts");
  const connector = await new ChaosConnector().start();
  let replicas: ReplicaSet | undefined;
  let ok = false;
  try {
    const conn = await sim.ready;
    const server = await cosmos.ready;
    const db = { endpoint: server.endpoint, databaseId: `rewind-chaos-${randomUUID()}` };
    const app = { conn, cosmos: db, alertsConversationId: ALERTS_CHANNEL, timeScale: opts.timeScale };
    process.stdout.write(`  ${plan.label}: simulator ${conn.url}, Cosmos ${server.endpoint} (${db.databaseId}), logs in ${dir}\n`);
    const setup = await inWorker<SetupArgs, SetupResult>("chaos-setup-worker.ts", {
      ...app,
      logFile: path.join(dir, "setup.log"),
      connectorUrl: connector.url,
      driftObjects: opts.changes,
      driftSeed: 1,
    });
    const control = new SimControl(conn);
    const figures = await recover(opts, plan, { control, connector, app, dir, setup }, (r) => (replicas = r));
    await control.close();
    ok = true;
    return figures;
  } finally {
    replicas?.killAll();
    await connector.close();
    await cosmos.stop();
    await sim.stop();
    if (ok) rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`  ${plan.label}: logs kept in ${dir}\n`);
  }
}

interface World {
  readonly control: SimControl;
  readonly connector: ChaosConnector;
  readonly app: { conn: SimConnection; cosmos: { endpoint: string; databaseId: string }; alertsConversationId: string; timeScale: number };
  readonly dir: string;
  readonly setup: SetupResult;
}

async function recover(opts: ChaosOptions, plan: CampaignPlan, w: World, expose: (r: ReplicaSet) => void): Promise<RunFigures> {
  const { control, connector, app, setup } = w;
  const tenantId = app.conn.tenantId;
  const opened = await openChaosStore(app.cosmos.endpoint, app.cosmos.databaseId, pino({ level: "silent" }));
  const replicas = new ReplicaSet(app, { leaseMs: opts.leaseMs, heartbeatMs: Math.max(250, Math.floor(opts.leaseMs / 10)), pollMs: Math.max(500, Math.floor(opts.leaseMs / 5)) }, w.dir);
  expose(replicas);
  try {
    await control.resetStats();
    const base = await control.stats();
    const callsAtBase = control.calls;
    if (plan.faults) await control.setFaults(plan.faults);
    const t0 = Date.now();
    await Promise.all([replicas.start("A"), replicas.start("B")]);
    process.stdout.write(`  ${plan.label}: replicas up in ${round2((Date.now() - t0) / 1000)} s; recovering job ${setup.jobId}\n`);

    const enteredAt: Record<string, number> = {};
    const secondsIn: Record<string, number> = {};
    const leaseOwners: string[] = [];
    const kills: KillRecord[] = [];
    let storm: { start: number; until: number; startPosition: number } | null = null;
    let stormRecord: Omit<StormRecord, "shareOfRun"> | null = null;
    let restarting: Promise<Incarnation> | null = null;
    let lastState = "";
    let lastAt = t0;
    let job: Job | null = null;
    let run: JobRun | null = null;
    let lastPrint = 0;
    const timeline: Array<readonly [number, number]> = [];
    for (;;) {
      const stored = await opened.store.getJob(tenantId, setup.jobId);
      const now = Date.now();
      if (!stored) throw new Error(`The recovery job ${setup.jobId} is gone from the store.`);
      ({ job, run } = stored);
      if (lastState) secondsIn[lastState] = (secondsIn[lastState] ?? 0) + (now - lastAt) / 1000;
      if (job.state !== lastState) enteredAt[job.state] ??= now;
      lastState = job.state;
      lastAt = now;
      const owner = run.lease?.owner;
      if (owner && leaseOwners[leaseOwners.length - 1] !== owner) {
        leaseOwners.push(owner);
        const waiting = kills.findIndex((k) => k.resumedAfterSeconds === null && k.owner !== owner);
        if (waiting >= 0 && kills.length === waiting + 1) kills[waiting] = { ...kills[waiting]!, resumedAfterSeconds: round2((now - t0) / 1000 - kills[waiting]!.atSeconds) };
      }
      const position = positionOf(job, plan.planShare);
      if (job.state === "running") timeline.push([secondsIn["running"] ?? 0, job.progress.done]);
      if (now - lastPrint > 10_000) {
        lastPrint = now;
        process.stdout.write(`  ${plan.label} ${round2((now - t0) / 1000)} s: ${job.state} ${job.progress.done}/${job.progress.total ?? "?"} lease ${owner ?? "-"} attempts ${run.attempts}\n`);
      }
      if (isTerminal(job.state)) break;
      if (now - t0 > RUN_TIMEOUT_MS) throw new Error(`The recovery did not end within ${RUN_TIMEOUT_MS / 60_000} minutes (it is ${job.state}).`);

      // The 429 storm: on at its point of the running state, off after its share of the run's estimated length.
      if (plan.storm && !storm && !stormRecord && job.state === "running" && position >= plan.storm.at) {
        await control.setThrottling(plan.storm.budgets);
        // The run's length: so far, plus what the fault-free run took from this step to its end, slowed as
        // much as this run's running state was so far (faults, kills); the storm nearly stops the run, so
        // it adds its own length to it.
        const ref = plan.storm.reference;
        const refSoFar = Math.max(1, secondsToReach(ref, job.progress.done));
        const refLeft = Math.max(0, secondsToReach(ref, ref.total) - refSoFar);
        const estimated = (now - t0) / 1000 + refLeft * (Math.max(1, secondsIn["running"] ?? 0) / refSoFar);
        storm = { start: now, until: now + (1000 * plan.storm.share * estimated) / (1 - plan.storm.share), startPosition: position };
        process.stdout.write(`  ${plan.label}: 429 storm on at position ${round2(position)} for ${round2((storm.until - now) / 1000)} s\n`);
      }
      if (storm && now >= storm.until) {
        await control.setThrottling(true);
        stormRecord = { startSeconds: round2((storm.start - t0) / 1000), seconds: round2((now - storm.start) / 1000), startPosition: round2(storm.startPosition), endPosition: round2(position), budgets: plan.storm!.budgets };
        storm = null;
        process.stdout.write(`  ${plan.label}: 429 storm off after ${stormRecord.seconds} s\n`);
      }

      // SIGKILL the lease holder at the next point, once the previous restart is up and someone holds the job.
      const point = plan.killPoints[kills.length];
      const holder = owner ? replicas.byOwner(owner) : undefined;
      const leaseLive = run.lease !== undefined && Date.parse(run.lease.expiresAt) > now;
      if (point !== undefined && restarting === null && holder && leaseLive && (job.state === "loadingData" || job.state === "running") && position >= point) {
        const pid = holder.child.process.pid ?? -1;
        await replicas.kill(holder);
        const killedAt = Date.now();
        const index = kills.length;
        restarting = replicas.start(holder.slot);
        const record = { atSeconds: round2((killedAt - t0) / 1000), point: round2(point), replica: holder.slot, owner: holder.owner, pid, jobState: job.state, progress: { done: job.progress.done, total: job.progress.total }, position: round2(position), attemptsSoFar: run.attempts };
        process.stdout.write(`  ${plan.label}: SIGKILL ${holder.owner} (pid ${pid}) at ${record.atSeconds} s, ${job.state} ${job.progress.done}/${job.progress.total ?? "?"}\n`);
        const stepsInFlight = job.state === "running" ? (await opened.store.readOutcomes(tenantId, job.id, 0, Number.MAX_SAFE_INTEGER)).filter((o) => o.status === "inFlight").length : null;
        kills.push({ ...record, restartedAs: "", restartSeconds: 0, stepsInFlight, resumedAfterSeconds: null });
        void restarting.then(
          (inc) => {
            kills[index] = { ...kills[index]!, restartedAs: inc.owner, restartSeconds: round2(((inc.readyAt ?? Date.now()) - killedAt) / 1000) };
            restarting = null;
          },
          (err: unknown) => {
            process.stderr.write(`  restart of ${holder.slot} failed: ${String(err)}\n`);
          },
        );
      }
      await sleep(TICK_MS);
    }
    const endedAt = job.completedAt ? Date.parse(job.completedAt) : Date.now();
    const totalSeconds = round2((endedAt - t0) / 1000);
    if (storm) {
      await control.setThrottling(true);
      stormRecord = { startSeconds: round2((storm.start - t0) / 1000), seconds: round2((endedAt - storm.start) / 1000), startPosition: round2(storm.startPosition), endPosition: 1, budgets: plan.storm!.budgets };
    }
    if (restarting) await restarting;
    process.stdout.write(`  ${plan.label}: job ${job.state} after ${totalSeconds} s, ${run?.attempts ?? 0} attempts\n`);
    const end = await control.stats();
    // Graph's requests during the recovery: what the simulator received, less this process's own control calls.
    const graphHttpRequests = end.httpRequests - base.httpRequests - (control.calls - callsAtBase);
    if (plan.faults) await control.setFaults({});

    // The result alert, then a whole sweep period for any replica that would send it again.
    const subjects = { recoveryJobId: setup.jobId, requestId: setup.requestId, reportId: setup.report.id };
    // The result card (its buttons page through the outcomes), not the progress card posted at the approval.
    const resultsTo = (conversationId: string): SentAlert[] =>
      tallyAlerts(connector.calls, subjects).alerts.filter((a) => a.about === "recovery" && a.conversationId === conversationId && a.title.includes("changes.page"));
    const waitUntil = Date.now() + ALERT_WAIT_MS;
    while (resultsTo(app.alertsConversationId).length === 0 && Date.now() < waitUntil) await sleep(250);
    const firstResult = resultsTo(app.alertsConversationId)[0];
    await sleep(QUIET_MS);
    await replicas.stopAll();
    await opened.close();

    const verify = await inWorker<VerifyArgs, VerifyFigures>("chaos-verify-worker.ts", {
      conn: app.conn,
      cosmos: app.cosmos,
      jobId: setup.jobId,
      requestId: setup.requestId,
      backupId: setup.backup.id,
      requester: setup.requester.aadObjectId,
      approver: setup.approver.aadObjectId,
    });
    const alerts = tallyAlerts(connector.calls, subjects).figures;
    const byKind = end.faultsByKind;
    const k = (name: string): number => byKind[name] ?? 0;
    const share = (n: number): number => Math.round((n / Math.max(1, graphHttpRequests)) * 10_000) / 10_000;
    const { faultsByKind: _kinds, ...counters } = end;
    return {
      label: plan.label,
      setup,
      totalSeconds,
      secondsIn: Object.fromEntries(Object.entries(secondsIn).map(([s, v]) => [s, round2(v)])),
      leaseOwners,
      kills,
      storm: stormRecord ? { ...stormRecord, shareOfRun: round2(stormRecord.seconds / Math.max(0.001, totalSeconds)) } : null,
      faults: {
        configured: plan.faults,
        byKind,
        injected: end.faultsInjected,
        graphHttpRequests,
        shares: {
          "5xx before the write": share(k("503") + k("504")),
          "5xx after the write (answer lost)": share(k("lostAnswer503") + k("lostAnswer504")),
          "5xx of all": share(k("503") + k("504") + k("lostAnswer503") + k("lostAnswer504")),
          "dropped before the write": share(k("drop")),
          "dropped after the write (answer lost)": share(k("lostAnswerDrop")),
          "dropped of all": share(k("drop") + k("lostAnswerDrop")),
          "inner $batch answers lost after the write (count)": k("lostInnerAnswer503") + k("lostInnerAnswer504"),
        },
      },
      sim: counters,
      alerts,
      resultAlert: {
        toAlertsChannel: resultsTo(app.alertsConversationId).length,
        toApproverChat: resultsTo(setup.approverChat).length,
        secondsAfterEnd: firstResult ? round2((firstResult.at - endedAt) / 1000) : null,
      },
      replicas: replicas.incarnations.map((i) => ({
        owner: i.owner,
        startSeconds: round2((i.spawnedAt - t0) / 1000),
        upSeconds: i.readyAt !== undefined ? round2((i.readyAt - i.spawnedAt) / 1000) : null,
        endedBy: i.endedBy ?? null,
        exitCode: i.exitCode ?? null,
      })),
      logs: tallyLogs(w.dir),
      verify,
      runningTimeline: { samples: timeline, total: job.progress.total ?? 0 },
    };
  } finally {
    replicas.killAll();
    await opened.close().catch(() => undefined);
  }
}
