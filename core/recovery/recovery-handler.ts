import type { JobContext, JobHandler, JobResult } from "../jobs/job-handler";
import type { Job } from "../model/job";
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
}

/**
 * Runs a recovery job: plans it from its difference report (state `loadingData`, once: see `planRecovery`),
 * then applies the plan (state `running`, see `RecoveryApplier`). Ends `succeeded` when every change was
 * applied, `completedWithWarnings` when some failed or were skipped. Safe to run again on a job a dead
 * process left half done: the plan is kept, and no write is sent twice.
 */
export class RecoveryHandler implements JobHandler {
  private readonly pageSize: number;
  private readonly concurrency: number;
  private readonly byIdLimit: number | undefined;

  constructor(options: RecoveryHandlerOptions = {}) {
    this.byIdLimit = options.byIdLimit;
    this.pageSize = options.pageSize ?? 500;
    this.concurrency = options.concurrency ?? 8;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1) throw new RangeError(`pageSize must be a positive integer (got ${this.pageSize}).`);
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) throw new RangeError(`concurrency must be a positive integer (got ${this.concurrency}).`);
  }

  async run(ctx: JobContext): Promise<JobResult> {
    const { job, deps } = ctx;
    const { store } = deps;
    const report = await this.reportOf(ctx);
    if (typeof report === "string") return { state: "failed", error: report };
    if (!(await store.getBackup(job.tenantId, job.backupId))) {
      return { state: "failed", error: `The backup ${job.backupId} is no longer available (it aged out or was removed), so nothing can be recovered from it.` };
    }

    let summary = job.summary;
    if (!summary) {
      if (report === null) return { state: "failed", error: "The difference report of this recovery no longer exists; run a new report and recover from it." };
      summary = await planRecovery(ctx, report, { pageSize: this.pageSize, ...(this.byIdLimit !== undefined ? { byIdLimit: this.byIdLimit } : {}) });
      await ctx.update({ summary }); // last act of planning: from now on the plan is kept
      ctx.log.info({ changes: summary.total }, "recovery planned");
    }

    const applier = new RecoveryApplier(
      ctx,
      {
        directory: deps.directory,
        store,
        tenantId: job.tenantId,
        backupId: job.backupId,
        attributes: report === null ? (job.scope.attributes ? new Set(job.scope.attributes) : null) : recoveryAttributes(report.scope, job.scope),
        concurrency: this.concurrency,
      },
      { pageSize: this.pageSize, objectChunk: Math.min(this.pageSize, 100), linkChunk: Math.min(this.pageSize, this.concurrency * 4) },
    );
    const outcomes = await applier.run();
    ctx.log.info({ outcomes }, "recovery applied");
    return { state: outcomes.applied === outcomes.total ? "succeeded" : "completedWithWarnings", outcomes, summary };
  }

  /**
   * The report the job recovers from, checked; null when the plan is already made (the report may have aged
   * out since, and is not needed any more); a message for the admin when it cannot be used.
   */
  private async reportOf(ctx: JobContext): Promise<Job | null | string> {
    const { job } = ctx;
    const report = job.reportId ? await ctx.deps.store.getJob(job.tenantId, job.reportId) : null;
    if (job.summary && (!report || report.kind !== "differenceReport")) return null;
    if (!report || report.kind !== "differenceReport") return `The difference report ${job.reportId ?? "(none)"} of this recovery no longer exists; run a new report and recover from it.`;
    if (report.state !== "succeeded") return `The difference report ${report.id} did not complete successfully (it is ${report.state}); only a finished report can be recovered.`;
    if (report.backupId !== job.backupId) return `The difference report ${report.id} compares backup ${report.backupId}, not ${job.backupId}.`;
    return report;
  }
}
