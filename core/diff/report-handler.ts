import type { Change, IncomingLink } from "../model/change";
import type { ReportJob } from "../model/job";
import type { JobAttempt, JobHandler, JobResult } from "../jobs/job-handler";
import { SummaryCounter } from "./change-summary";
import { diffSnapshots } from "./diff-snapshots";
import { reportDigest } from "./report-digest";
import { comparisonIdFor, loadCurrentState } from "./load-current";
import { scopeIds, scopeTypes } from "./scope";

/**
 * Runs a difference report: `loadingData` reads the tenant's current state (in scope) into a comparison
 * snapshot, `calculating` merges it with the backup and stores the changes with their counts. A restarted
 * attempt starts over (a report writes nothing to the tenant, so redoing it is safe).
 */
export class DifferenceReportHandler implements JobHandler<ReportJob> {
  /** `roleGroups`: the groups that give Rewind's own roles (their membership changes are flagged). */
  constructor(private readonly options: { readonly roleGroups?: ReadonlySet<string> } = {}) {}

  async run(attempt: JobAttempt<ReportJob>): Promise<JobResult> {
    const { job, deps, signal } = attempt;
    const { store } = deps;
    const snapshotId = comparisonIdFor(job.id);
    const backup = await store.getBackup(job.tenantId, job.backupId);
    if (!backup) return { state: "failed", error: `The backup ${job.backupId} is no longer available (it aged out or was removed).` };
    if (attempt.resumed) await store.clearChanges(job.tenantId, job.id);

    // Expected work: the backup's object counts for the types in scope (or the ids named).
    let expected = 0;
    for (const type of scopeTypes(job.scope)) {
      const ids = scopeIds(job.scope, type);
      const counts = backup.counts[type];
      expected += ids ? ids.length : (counts?.live ?? 0) + (counts?.deleted ?? 0);
    }

    try {
      await attempt.enter("loadingData", expected);
      let loaded = 0;
      await loadCurrentState(deps, {
        tenantId: job.tenantId,
        snapshotId,
        scope: job.scope,
        signal,
        onObjects: (n) => attempt.progress((loaded += n)),
      });

      await attempt.enter("calculating", expected);
      const counter = new SummaryCounter();
      // Restores' seqs, and the links folded into them, to write onto those changes at the end (a target's
      // change may come before or after the changes its links were folded from).
      const restoreSeqs = new Map<string, number>();
      const incoming = new Map<string, IncomingLink[]>();
      let seq = 0;
      let compared = 0;
      const diffOptions = this.options.roleGroups ? { roleGroups: this.options.roleGroups } : {};
      for await (const chunk of diffSnapshots(store, job.tenantId, job.backupId, snapshotId, job.scope, signal, diffOptions)) {
        if (chunk.changes.length > 0) {
          const numbered: Change[] = chunk.changes.map((c) => ({ seq: ++seq, ...c }));
          await store.putChanges(job.tenantId, job.id, numbered);
          for (const c of numbered) {
            counter.add(c);
            if (c.recoveryAction === "restore") restoreSeqs.set(c.id, c.seq);
          }
        }
        for (const f of chunk.incoming) {
          const list = incoming.get(f.targetId);
          if (list) list.push(f.from);
          else incoming.set(f.targetId, [f.from]);
        }
        compared += chunk.compared;
        attempt.progress(compared, Math.max(expected, compared));
      }
      await recordIncomingLinks(attempt, restoreSeqs, incoming);
      const summary = { ...counter.summary(), digest: await reportDigest(store, job.tenantId, job.id, signal) };
      attempt.log.info({ changes: summary.total, compared }, "difference report calculated");
      return { state: "succeeded", summary };
    } finally {
      // In the background: the admin need not wait for the clean-up (housekeeping drops what a crash leaves).
      void store.dropComparison(job.tenantId, snapshotId).catch((err: unknown) => attempt.log.warn({ err }, "could not remove the comparison snapshot"));
    }
  }
}

/** Rewrites restore changes with the links other objects held to them (see `Change.incomingLinks`). */
async function recordIncomingLinks(attempt: JobAttempt<ReportJob>, restoreSeqs: ReadonlyMap<string, number>, incoming: ReadonlyMap<string, IncomingLink[]>): Promise<void> {
  const { store } = attempt.deps;
  const seqs = [...incoming.keys()].map((id) => restoreSeqs.get(id)).filter((s): s is number => s !== undefined).sort((a, b) => a - b);
  for (let i = 0; i < seqs.length; i += 500) {
    attempt.signal.throwIfAborted();
    const changes = await store.getChanges(attempt.job.tenantId, attempt.job.id, seqs.slice(i, i + 500));
    await store.putChanges(
      attempt.job.tenantId,
      attempt.job.id,
      changes.map((c) => ({ ...c, incomingLinks: incoming.get(c.id) ?? [] })),
    );
  }
}
