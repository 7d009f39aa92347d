import { writeFileSync } from "node:fs";
import path from "node:path";
import { runCampaign, type RunFigures } from "../chaos-campaign";
import { checkRun, type Check } from "../chaos-checks";
import { chaosFaults, chaosPoints, stormBudgets } from "../chaos-faults";
import { parseChaosOptions, type ChaosOptions } from "../chaos-options";
import { median } from "../child";
import { round2 } from "../engine-world";
import type { Suite } from "./suite";

const NOTES = {
  processes:
    "Each run starts its own processes: the Graph simulator (bench/sim-child.ts, the large generated tenant, throttling on at Graph's budgets with its windows compressed by --time-scale, as the engine benchmark does; the Rewind gateway paces writes to the same compressed budget), the Cosmos DB test server (bench/cosmos-server-child.ts, with the tests' linear-query fix), a setup worker, two replicas and, in the benchmark's own process, a Bot Connector that records every send and update. Every Rewind process is startRewindApp (engine, job runner, bot and its watcher) in local mode on loopback, on one Cosmos database, with ALERTS_CONVERSATION_ID set.",
  setup:
    "bench/chaos-setup-worker.ts: the bot is installed in the alerts channel (installationUpdate); a backup of the tenant; the engine benchmark's drift of --changes objects (department edits, manager changes, members removed and added, descriptions, users and groups soft-deleted, groups created); a difference report. Then the setup's job runner is stopped, one Global Administrator types `recover <reportId>` in Teams and the other clicks Approve on the card (the second-approver rule on): the recovery job stays queued in the store for the replicas, its progress card posted in the approver's chat.",
  replicas:
    "bench/chaos-replica.ts, two at a time (slots A and B), each with its own owner name in job leases (replica-A-1, replica-A-2 after a restart…), a lease of --lease-seconds (production: 60 s), a heartbeat of a tenth of it and a poll of a fifth. Stopped at the end with SIGTERM (production's graceful stop).",
  faults:
    "Chaos run only, from the replicas' start to the job's end (bench/chaos-faults.ts, the simulator's errorRate, dropRate and afterWriteShare): of Graph's HTTP requests ($batch envelopes count once), --error-rate are answered 503/504 and --drop-rate lose their connection; for a request that writes, --lost-share of those strike after the write was carried out (the answer lost), the rest before anything is done. Writes inside a $batch also lose their own inner answer (503/504 after the write) at error-rate × lost-share of them. faults.shares are measured: injected faults over the Graph HTTP requests the simulator received during the recovery.",
  kills:
    "Kill points are seeded (--chaos-seed) positions from 0 (approved) to 1 (done), uniform in [0.03, 0.95] and at least 0.05 apart; planning (loadingData) takes the first share of the positions in proportion to the time it took in the fault-free run, running the rest, each in proportion to its progress. When the job reaches a point, the replica named in job.lease.owner (lease not expired) is SIGKILLed and its slot started again at once; the next kill waits for that restart. stepsInFlight: the steps the killed process had recorded in flight (the next attempt re-reads those objects instead of writing again); resumedAfterSeconds: until another process held the lease (the killed one's had to lapse).",
  storm:
    "The 429 storm: Graph's budgets (resource units per 10 s, writes per 150 s) cut to --storm-budget of normal from a seeded point between 30% and 80% of the running state, for --storm-share of the run's estimated length (so far, plus what the fault-free run took from the same step to its end, slowed as much as this run's running state was so far, plus the storm's own length since it nearly stops the recovery). storm.shareOfRun is its length over the measured run.",
  checks:
    "bench/chaos-checks.ts on both runs; the suite fails (and writes bench/results/chaos.failed.json instead) when one does not hold. The write-log checks (bench/chaos-ledger.ts) read every write the simulator handled during the recovery, with whether it changed the tenant: each applied restore and soft delete has exactly one successful write; each applied update exactly one PATCH that changed something; each link target of an applied update exactly one successful add or removal (a manager: one PUT that changed it); no key (object, link, target) was changed twice; no restore, soft delete, $ref or members@odata.bind write was sent again after one like it had landed; no successful write touched an object outside the plan (a restored object's incoming links count as its own). A PATCH or manager PUT sent again after its answer was lost is an idempotent resend, counted apart.",
  times:
    "totalSeconds: from starting the replicas (the job queued) to the job's completedAt; secondsIn: as the benchmark saw the job's state every 200 ms. The alerts wait: the result alert must reach the alerts channel, then 35 s pass (more than the watchers' 30 s sweep) before the replicas stop, so a replica that would send it again has had its chance.",
};

function withoutTimeline(r: RunFigures): Omit<RunFigures, "runningTimeline"> {
  const { runningTimeline: _timeline, ...rest } = r;
  return rest;
}

function planShareOf(r: RunFigures): number {
  const planning = r.secondsIn["loadingData"] ?? 0;
  const running = r.secondsIn["running"] ?? 0;
  return planning + running > 0 ? round2(planning / (planning + running)) : 0.3;
}

function summary(opts: ChaosOptions, pairs: ReadonlyArray<{ faultFree: RunFigures; chaos: RunFigures }>): Record<string, unknown> {
  const last = pairs[pairs.length - 1]!.chaos;
  const v = last.verify;
  const ff = median(pairs.map((p) => p.faultFree.totalSeconds));
  const ch = median(pairs.map((p) => p.chaos.totalSeconds));
  return {
    recoveredChanges: v.changes.total,
    outcomes: { applied: v.changes.applied, failed: v.changes.failed, skipped: v.changes.skipped, pending: v.changes.pending, inFlightLeft: v.changes.inFlightLeft },
    failedByReason: v.failedByReason,
    skippedByReason: v.skippedByReason,
    jobState: v.job.state,
    attempts: v.job.attempts,
    faultFreeSeconds: round2(ff),
    chaosSeconds: round2(ch),
    chaosOverFaultFree: round2(ch / Math.max(0.001, ff)),
    secondsIn: { faultFree: pairs[pairs.length - 1]!.faultFree.secondsIn, chaos: last.secondsIn },
    kills: last.kills.map((k) => ({
      atSeconds: k.atSeconds,
      replica: k.owner,
      jobState: k.jobState,
      progress: `${k.progress.done}/${k.progress.total ?? "?"}`,
      stepsInFlight: k.stepsInFlight,
      restartedAs: k.restartedAs,
      resumedAfterSeconds: k.resumedAfterSeconds,
    })),
    storm: last.storm,
    faultsInjected: last.faults.byKind,
    faultShares: last.faults.shares,
    graphHttpRequests: last.faults.graphHttpRequests,
    throttled429: last.sim.throttled,
    writes: { successful: v.ledger.successfulWrites, minimum: v.minWrites.total, toMinimum: v.writesToMinimum, byKind: v.ledger.byKind, refused: v.ledger.refused },
    lostAnswers: v.ledger.lostAnswers,
    idempotentResends: v.ledger.idempotentResends.count,
    alerts: { resultToAlertsChannel: last.resultAlert.toAlertsChannel, resultToApproverChat: last.resultAlert.toApproverChat, duplicates: last.alerts.duplicates.length, sent: last.alerts.sent },
    leftAfter: v.after.changes,
    faultFreeWrites: pairs[pairs.length - 1]!.faultFree.verify.ledger.successfulWrites,
    settings: { changes: opts.changes, timeScale: opts.timeScale },
  };
}

export const chaos: Suite = {
  description:
    "a fault campaign: a 20,000-change recovery of the large tenant by two replicas on one Cosmos store, with Graph 5xx, dropped connections and a 429 storm, the lease holder SIGKILLed three times; checked against the simulator's write log, against a fault-free run",
  async run(args) {
    const opts = parseChaosOptions(args);
    const pairs: Array<{ faultFree: RunFigures; chaos: RunFigures }> = [];
    const checks: Check[] = [];
    for (let run = 1; run <= opts.runs; run++) {
      process.stdout.write(`run ${run}: fault-free\n`);
      const faultFree = await runCampaign(opts, { label: "faultFree", faults: null, killPoints: [], storm: null, planShare: 0.3 });
      const planShare = planShareOf(faultFree);
      const points = chaosPoints(opts.chaosSeed + run - 1, opts.kills, planShare);
      process.stdout.write(`run ${run}: chaos (kill points ${points.kills.map(round2).join(", ")}, storm at ${round2(points.stormAt)})\n`);
      const chaosRun = await runCampaign(opts, {
        label: "chaos",
        faults: chaosFaults(opts),
        killPoints: points.kills,
        storm: opts.stormShare > 0 ? { at: points.stormAt, share: opts.stormShare, budgets: stormBudgets(opts.tenant.users, opts.stormBudget), reference: faultFree.runningTimeline } : null,
        planShare,
      });
      pairs.push({ faultFree, chaos: chaosRun });
      checks.push(...checkRun(`run ${run} fault-free`, faultFree, 0), ...checkRun(`run ${run} chaos`, chaosRun, opts.kills));
    }
    const failed = checks.filter((c) => !c.holds);
    const figures = {
      issue:
        "A recovery of at least 20,000 changes on the large generated tenant while Graph injects 5% 5xx, 1% dropped connections and a 429 storm over a tenth of the run; the engine process SIGKILLed three times at random points and restarted; two replicas sharing a Cosmos store. Every change ends applied exactly once (from the simulator's write log) or failed or skipped with its reason; no alert sent twice; no request lost; total time against the fault-free run.",
      allChecksHold: failed.length === 0,
      checks: checks.map((c) => (c.holds ? { run: c.run, check: c.check, holds: true } : c)),
      summary: summary(opts, pairs),
      settings: { ...opts, tenant: opts.tenant },
      runs: pairs.map((p) => ({ faultFree: withoutTimeline(p.faultFree), chaos: withoutTimeline(p.chaos) })),
      notes: NOTES,
    };
    if (failed.length > 0) {
      const file = path.join(__dirname, "..", "results", "chaos.failed.json");
      writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), figures }, null, 2)}\n`);
      throw new Error(`${failed.length} check(s) failed (figures in ${path.relative(process.cwd(), file)}):\n${failed.map((c) => `  - ${c.run}: ${c.check}: ${JSON.stringify(c.seen).slice(0, 600)}`).join("\n")}`);
    }
    return figures;
  },
};
