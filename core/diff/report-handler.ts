import type { Change } from "../model/change";
import type { JobContext, JobHandler, JobResult } from "../jobs/job-handler";
import { SummaryCounter } from "./change-summary";
import { diffSnapshots } from "./diff-snapshots";
import { comparisonIdFor, dropComparison, loadCurrentState } from "./load-current";
import { scopeIds, scopeTypes } from "./scope";

/**
 * Runs a difference report: `loadingData` reads the tenant's current state (in scope) into a comparison
 * snapshot, `calculating` merges it with the backup and stores the changes with their counts. A restarted
 * attempt starts over (a report writes nothing to the tenant, so redoing it is safe).
 */
export class DifferenceReportHandler implements JobHandler {
  async run(ctx: JobContext): Promise<JobResult> {
    const { job, deps, signal } = ctx;
    const { store } = deps;
    const snapshotId = comparisonIdFor(job.id);
    const backup = await store.getBackup(job.tenantId, job.backupId);
    if (!backup) return { state: "failed", error: `The backup ${job.backupId} is no longer available (it aged out or was removed).` };
    if (job.attempts > 1) await store.clearChanges(job.tenantId, job.id);

    // Expected work: the backup's object counts for the types in scope (or the ids named).
    let expected = 0;
    for (const type of scopeTypes(job.scope)) {
      const ids = scopeIds(job.scope, type);
      const counts = backup.counts[type];
      expected += ids ? ids.length : (counts?.live ?? 0) + (counts?.deleted ?? 0);
    }

    try {
      await ctx.enter("loadingData", expected);
      let loaded = 0;
      await loadCurrentState(deps, {
        tenantId: job.tenantId,
        snapshotId,
        startedAt: deps.clock.now().toISOString(),
        scope: job.scope,
        signal,
        onObjects: (n) => ctx.progress((loaded += n)),
      });

      await ctx.enter("calculating", expected);
      const counter = new SummaryCounter();
      let seq = 0;
      let compared = 0;
      for await (const chunk of diffSnapshots(store, job.tenantId, job.backupId, snapshotId, job.scope, signal)) {
        if (chunk.changes.length > 0) {
          const numbered: Change[] = chunk.changes.map((c) => ({ seq: ++seq, ...c }));
          await store.putChanges(job.tenantId, job.id, numbered);
          for (const c of chunk.changes) counter.add(c);
        }
        compared += chunk.compared;
        ctx.progress(compared, Math.max(expected, compared));
      }
      const summary = counter.summary();
      ctx.log.info({ changes: summary.total, compared }, "difference report calculated");
      return { state: "succeeded", summary };
    } finally {
      await dropComparison(store, job.tenantId, snapshotId).catch((err: unknown) => ctx.log.warn({ err }, "could not remove the comparison snapshot"));
    }
  }
}
