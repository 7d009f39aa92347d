import { reportDigest } from "../diff/report-digest";
import type { JobAttempt, JobHandler, JobResult } from "../jobs/job-handler";
import type { RecoveryJob, ReportJob } from "../model/job";
import { approvedRequestOf, NO_APPROVAL } from "./approval-check";
import { protectedGroupsFor } from "./protected-groups";
import { RecoveryApplier } from "./recovery-apply";
import { planRecovery } from "./recovery-plan";
import { recoveryAttributes } from "./recovery-scope";

/** Tuning of a recovery; the defaults suit Graph's limits. */
export interface RecoveryHandlerOptions {
  /** Changes read and recorded per page; default 500. */
  readonly pageSize?: number;
  /** Objects re-read or linked at the same time; default 8. */
  readonly concurrency?: number;
  /** Most objects the plan reads one by one before it reads their whole types; default `MAX_SCOPE_IDS` (1000). */
  readonly byIdLimit?: number;
  /** The groups that give Rewind's own roles (ROLE_GROUP_*): their membership is written only when named. */
  readonly roleGroups?: ReadonlySet<string>;
}

/** Why a recovery refuses a report that changed after it was approved. */
export const REPORT_CHANGED =
  "The difference report's changes no longer match the digest that was approved (the stored report was changed), so Rewind refused to run the recovery and wrote nothing. Run a new report and ask for the recovery again.";

/**
 * Runs a recovery job: checks that an approved request names it, recomputes the report's digest from the
 * store and compares it with the approved one, plans the recovery from the report (state `loadingData`, once:
 * see `planRecovery`), then applies the plan (state `running`, see `RecoveryApplier`). Ends `succeeded` when
 * every change was applied, `completedWithWarnings` when some failed or were skipped. Safe to run again on a
 * job a dead process left half done: the plan is kept, and no write is sent twice.
 */
export class RecoveryHandler implements JobHandler<RecoveryJob> {
  private readonly pageSize: number;
  private readonly concurrency: number;
  private readonly byIdLimit: number | undefined;
  private readonly roleGroups: ReadonlySet<string>;

  constructor(options: RecoveryHandlerOptions = {}) {
    this.byIdLimit = options.byIdLimit;
    this.pageSize = options.pageSize ?? 500;
    this.concurrency = options.concurrency ?? 8;
    this.roleGroups = options.roleGroups ?? new Set();
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1) throw new RangeError(`pageSize must be a positive integer (got ${this.pageSize}).`);
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) throw new RangeError(`concurrency must be a positive integer (got ${this.concurrency}).`);
  }

  async run(attempt: JobAttempt<RecoveryJob>): Promise<JobResult> {
    const { job, deps } = attempt;
    const { store } = deps;
    const request = await approvedRequestOf(store, job);
    if (!request) return this.refuse(attempt, NO_APPROVAL, "no approved request names the job");
    const report = await this.reportOf(attempt);
    if (typeof report === "string") return { state: "failed", error: report };
    if (!(await store.getBackup(job.tenantId, job.backupId))) {
      return { state: "failed", error: `The backup ${job.backupId} is no longer available (it aged out or was removed), so nothing can be recovered from it.` };
    }
    const protectedGroups = protectedGroupsFor(this.roleGroups, job.scope);

    let summary = job.summary;
    if (!summary) {
      if (report === null) return { state: "failed", error: "The difference report of this recovery no longer exists; run a new report and recover from it." };
      // What is planned must be what was approved: the report as stored now, digested again.
      const digest = await reportDigest(store, job.tenantId, report.id, attempt.signal);
      if (digest !== request.digest || digest !== report.summary?.digest) return this.refuse(attempt, REPORT_CHANGED, "the report's digest differs from the approved one");
      summary = await planRecovery(attempt, report, {
        pageSize: this.pageSize,
        protectedGroups,
        ...(this.byIdLimit !== undefined ? { byIdLimit: this.byIdLimit } : {}),
      });
      await attempt.update({ summary }); // last act of planning: from now on the plan is kept
      attempt.log.info({ changes: summary.total }, "recovery planned");
    }

    const applier = new RecoveryApplier(
      attempt,
      {
        directory: deps.directory,
        store,
        tenantId: job.tenantId,
        backupId: job.backupId,
        attributes: report === null ? (job.scope.attributes ? new Set(job.scope.attributes) : null) : recoveryAttributes(report.scope, job.scope),
        concurrency: this.concurrency,
        protectedGroups,
      },
      { pageSize: this.pageSize, objectChunk: Math.min(this.pageSize, 100), linkChunk: Math.min(this.pageSize, this.concurrency * 4) },
    );
    const outcomes = await applier.run();
    attempt.log.info({ outcomes }, "recovery applied");
    return { state: outcomes.applied === outcomes.total ? "succeeded" : "completedWithWarnings", outcomes, summary };
  }

  /** Ends the job without a write, and leaves a trace in the audit: someone tried to run what nobody approved. */
  private async refuse(attempt: JobAttempt<RecoveryJob>, error: string, why: string): Promise<JobResult> {
    const { job, deps } = attempt;
    attempt.log.warn({ why }, "recovery refused");
    await deps.store
      .appendAudit([
        {
          tenantId: job.tenantId,
          at: deps.clock.now().toISOString(),
          actor: "system",
          action: "recoveryRefused",
          target: job.id,
          details: { why, reportId: job.reportId, recoveryRequestId: job.recoveryRequestId, approvedBy: job.approvedBy },
        },
      ])
      .catch((err: unknown) => attempt.log.error({ err }, "could not audit a refused recovery"));
    return { state: "failed", error };
  }

  /**
   * The report the job recovers from, checked; null when the plan is already made (the report may have aged
   * out since, and is not needed any more); a message for the admin when it cannot be used.
   */
  private async reportOf(attempt: JobAttempt<RecoveryJob>): Promise<ReportJob | null | string> {
    const { job } = attempt;
    const report = (await attempt.deps.store.getJob(job.tenantId, job.reportId))?.job ?? null;
    if (job.summary && (!report || report.kind !== "differenceReport")) return null;
    if (!report || report.kind !== "differenceReport") return `The difference report ${job.reportId} of this recovery no longer exists; run a new report and recover from it.`;
    if (report.state !== "succeeded") return `The difference report ${report.id} did not complete successfully (it is ${report.state}); only a finished report can be recovered.`;
    if (report.backupId !== job.backupId) return `The difference report ${report.id} compares backup ${report.backupId}, not ${job.backupId}.`;
    return report;
  }
}
