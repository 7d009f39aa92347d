import type { RunFigures } from "./chaos-campaign";

/** One thing a run must show, whether it held, and what was seen. */
export interface Check {
  readonly run: string;
  readonly check: string;
  readonly holds: boolean;
  readonly seen: unknown;
}

const GIVE_UPS = new Set(["failed", "canceled"]);

/**
 * The guarantees, checked on one run: the job ended and did not give up; every change ended applied
 * (its writes exactly once, per the simulator's write log), failed or skipped with a reason; nothing changed
 * the tenant twice; nothing unsafe was sent again after it landed; nothing outside the plan was written; no
 * alert was sent twice and the result reached both conversations once; the approved request's job is the one
 * that ended and nothing is left queued; a new report finds only what failed or was skipped; the kills
 * happened; the write log and the audit trail hold everything.
 */
export function checkRun(name: string, r: RunFigures, expectedKills: number): Check[] {
  const v = r.verify;
  const c = (check: string, holds: boolean, seen: unknown): Check => ({ run: name, check, holds, seen });
  const unexplained = [...Object.keys(v.failedByReason), ...Object.keys(v.skippedByReason)].filter((k) => k === "(no message)");
  return [
    c("the job ended, and not by giving up", !GIVE_UPS.has(v.job.state) && (v.job.state === "succeeded" || v.job.state === "completedWithWarnings"), { state: v.job.state, error: v.job.error }),
    c("every change has a terminal outcome (none pending, no step left in flight)", v.changes.pending === 0 && v.changes.inFlightLeft === 0 && v.changes.applied + v.changes.failed + v.changes.skipped === v.changes.total, v.changes),
    c("the plan holds the approved report's changes", v.changes.total === r.setup.report.changes, { plan: v.changes.total, report: r.setup.report.changes }),
    c("each applied change written exactly once (write log)", v.ledger.appliedNotExactlyOnce.count === 0, v.ledger.appliedNotExactlyOnce),
    c("no write changed the tenant twice", v.ledger.stateChangingRepeats.count === 0, v.ledger.stateChangingRepeats),
    c("no restore, soft delete or $ref write sent again after it landed", v.ledger.blindResends.count === 0, v.ledger.blindResends),
    c("nothing written outside the plan or to a skipped change", v.ledger.unplannedWrites.count === 0 && v.ledger.writesToSkipped.count === 0, { unplanned: v.ledger.unplannedWrites, toSkipped: v.ledger.writesToSkipped }),
    c("every failed or skipped change carries its reason", unexplained.length === 0, { failed: v.failedByReason, skipped: v.skippedByReason }),
    c("the write log kept every write", v.writeLogEvicted === 0, { evicted: v.writeLogEvicted }),
    c("no alert sent twice", r.alerts.duplicates.length === 0, r.alerts.duplicates),
    c("the result alert reached the alerts channel and the approver's chat once each", r.resultAlert.toAlertsChannel === 1 && r.resultAlert.toApproverChat === 1, r.resultAlert),
    c("no request lost: the approved request names the job that ended, nothing left queued", v.request.state === "approved" && v.request.namesJob && v.request.activeJobsLeft === 0, v.request),
    c("a new report finds nothing left but what failed or was skipped", v.after.state === "succeeded" && v.after.outsideFailedOrSkipped === 0, v.after),
    c("the audit trail has each applied and failed change once", v.audit.duplicates === 0 && v.audit.missingApplied === 0 && v.audit.applied === v.changes.applied && v.audit.failed === v.changes.failed, v.audit),
    c(`the lease holder was killed ${expectedKills} times and restarted`, r.kills.length === expectedKills && r.kills.every((k) => k.restartedAs !== ""), r.kills.map((k) => `${k.owner} at ${k.atSeconds} s → ${k.restartedAs}`)),
  ];
}
