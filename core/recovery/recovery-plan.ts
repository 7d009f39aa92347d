import { SummaryCounter } from "../diff/change-summary";
import { compareObject, type SnapshotEntry } from "../diff/compare-object";
import { comparisonIdFor, loadCurrentState } from "../diff/load-current";
import { MAX_SCOPE_IDS } from "../diff/scope";
import type { JobAttempt } from "../jobs/job-handler";
import type { ObjectType } from "../model/catalog";
import type { Change, ChangeSummary, StepOutcome } from "../model/change";
import type { RecoveryJob, ReportJob, Scope } from "../model/job";
import type { BackupStore, ComparisonStore, JobStore } from "../ports";
import { decideChange } from "./plan-decision";
import { narrowToAttributes, recoveryAttributes, RecoveryScopeFilter } from "./recovery-scope";
import { PROTECTED_GROUP_REASON, withoutProtectedLinks } from "./protected-groups";
import { firstStepOf } from "./recovery-steps";

/** How a plan pages and reads. */
export interface PlanOptions {
  /** Changes read and stored per page. */
  readonly pageSize: number;
  /** Most objects read one by one; past it, the whole of their types is read. Default `MAX_SCOPE_IDS`. */
  readonly byIdLimit?: number;
  /** Groups whose members and owners this recovery must not write (see `protectedGroupsFor`). */
  readonly protectedGroups?: ReadonlySet<string>;
}

/**
 * Plans a recovery (state `loadingData`): takes the report's changes in the job's scope, reads the current
 * state of exactly those objects, and stores per change either what is still to write or a skip with its
 * reason (see `decideChange`). The plan is complete once the job's `summary` is set, which is done last: a
 * restarted attempt without one clears what an earlier attempt stored and plans again (nothing has been
 * written to the tenant before the plan is complete). Returns the summary of the changes to apply.
 */
export async function planRecovery(attempt: JobAttempt<RecoveryJob>, report: ReportJob, options: PlanOptions): Promise<ChangeSummary> {
  const { pageSize } = options;
  const { job, deps, signal } = attempt;
  const { store } = deps;
  const tenantId = job.tenantId;
  await store.clearChanges(tenantId, job.id);

  const source = new ReportChanges(store, tenantId, report, job.scope, pageSize);
  const selection = await source.select(signal, options.byIdLimit ?? MAX_SCOPE_IDS);
  await attempt.enter("loadingData", selection.toRead + selection.count);
  const counter = new SummaryCounter();
  if (selection.count === 0) return counter.summary();

  const snapshotId = comparisonIdFor(job.id);
  const attributes = recoveryAttributes(report.scope, job.scope);
  const protectedGroups = options.protectedGroups ?? new Set<string>();
  let done = 0;
  try {
    if (selection.toRead > 0) {
      await loadCurrentState(deps, {
        tenantId,
        snapshotId,
        scope: selection.loadScope,
        signal,
        onObjects: (n) => attempt.progress((done = Math.min(selection.toRead, done + n))),
      });
    }
    done = selection.toRead;
    const accounted = await accountedTargets(store, tenantId, report.id, pageSize);

    for await (const page of source.pages()) {
      signal.throwIfAborted();
      if (page.length === 0) continue;
      const fresh = await freshChanges(store, tenantId, job.backupId, snapshotId, page.filter((c) => c.recoverable), attributes);
      const planned: Change[] = [];
      const skips: StepOutcome[] = [];
      const at = deps.clock.now().toISOString();
      for (const reported of page) {
        let decision = decideChange(reported, fresh.get(reported.id) ?? null, (t) => accounted.has(t));
        if (decision.kind === "apply" && protectedGroups.size > 0) {
          const kept = withoutProtectedLinks(decision.change, protectedGroups);
          decision = kept ? { kind: "apply", change: kept } : { kind: "skip", change: reported, reason: PROTECTED_GROUP_REASON };
        }
        planned.push(decision.change);
        if (decision.kind === "apply") counter.add(decision.change);
        else skips.push({ seq: reported.seq, step: firstStepOf(reported), status: "skipped", message: decision.reason, at });
      }
      await store.putChanges(tenantId, job.id, planned);
      if (skips.length > 0) await store.putOutcomes(tenantId, job.id, skips);
      attempt.progress((done += page.length));
    }
  } finally {
    await store.dropComparison(tenantId, snapshotId).catch((err: unknown) => attempt.log.warn({ err }, "could not remove the comparison snapshot"));
  }
  return counter.summary();
}

/** The report's changes a recovery covers, narrowed to its attributes, read page by page. */
class ReportChanges {
  private readonly filter: RecoveryScopeFilter;
  private readonly attributes: ReadonlySet<string> | null;

  constructor(
    private readonly store: JobStore,
    private readonly tenantId: string,
    private readonly report: ReportJob,
    scope: Scope,
    private readonly pageSize: number,
  ) {
    this.filter = new RecoveryScopeFilter(scope);
    this.attributes = recoveryAttributes(report.scope, scope);
  }

  /** Pages of in-scope changes in `seq` (so (type, id)) order; a page may be short or empty. */
  async *pages(): AsyncGenerator<Change[]> {
    let afterSeq: number | undefined;
    for (;;) {
      const page = await this.store.readChanges(this.tenantId, this.report.id, {
        types: this.filter.types,
        limit: this.pageSize,
        ...(afterSeq !== undefined ? { afterSeq } : {}),
      });
      if (page.length === 0) return;
      const kept: Change[] = [];
      for (const c of page) {
        if (!this.filter.includes(c)) continue;
        const narrowed = narrowToAttributes(c, this.attributes);
        if (narrowed) kept.push(narrowed);
      }
      yield kept;
      afterSeq = page[page.length - 1]!.seq;
      if (page.length < this.pageSize) return;
    }
  }

  /**
   * Counts the changes and chooses how to read their objects now: by id when there are at most `byIdLimit`
   * of them (a handful of objects in a large tenant should not cost a full read), else the whole of their
   * types.
   */
  async select(signal: AbortSignal, byIdLimit: number): Promise<{ count: number; toRead: number; loadScope: Scope }> {
    let count = 0;
    let toRead = 0;
    const ids = new Map<ObjectType, string[]>();
    for await (const page of this.pages()) {
      signal.throwIfAborted();
      count += page.length;
      for (const c of page) {
        if (!c.recoverable) continue; // skipped without a look at the tenant
        toRead++;
        const list = ids.get(c.entityTypeName);
        if (toRead > byIdLimit) {
          if (!list) ids.set(c.entityTypeName, []); // the type is still needed; its ids no longer are
        } else if (list) list.push(c.id);
        else ids.set(c.entityTypeName, [c.id]);
      }
    }
    const loadScope: Scope =
      toRead <= byIdLimit ? { objects: [...ids].map(([type, list]) => ({ type, ids: list })) } : { types: [...ids.keys()] };
    return { count, toRead, loadScope };
  }
}

/**
 * Each object's difference now, compared by the same rules as the report (`compareObject`), one object at a
 * time. Not `diffSnapshots`: its link folding judges targets against this comparison, which holds only the
 * plan's objects, so it would fold differently from the report (which `decideChange` reconciles instead).
 */
async function freshChanges(
  store: BackupStore & ComparisonStore,
  tenantId: string,
  backupId: string,
  snapshotId: string,
  page: readonly Change[],
  attributes: ReadonlySet<string> | null,
): Promise<Map<string, ReturnType<typeof compareObject>>> {
  const out = new Map<string, ReturnType<typeof compareObject>>();
  const byType = new Map<ObjectType, string[]>();
  for (const c of page) {
    const list = byType.get(c.entityTypeName);
    if (list) list.push(c.id);
    else byType.set(c.entityTypeName, [c.id]);
  }
  for (const [type, ids] of byType) {
    const read = { types: [type], ids };
    const [then, now] = await Promise.all([entries(store.readBackup(tenantId, backupId, read)), entries(store.readComparison(tenantId, snapshotId, read))]);
    for (const id of ids) out.set(id, compareObject(type, then.get(id) ?? null, now.get(id) ?? null, attributes));
  }
  return out;
}

async function entries(batches: AsyncIterable<ReadonlyArray<SnapshotEntry>>): Promise<Map<string, SnapshotEntry>> {
  const out = new Map<string, SnapshotEntry>();
  for await (const batch of batches) for (const e of batch) out.set(e.object.id, e);
  return out;
}

/**
 * Objects the report restores or soft-deletes itself: the report leaves links to them out of other objects'
 * differences (`foldLinkTargets`), so finding such a link difference now is not a change after the report.
 */
async function accountedTargets(store: JobStore, tenantId: string, reportId: string, pageSize: number): Promise<Set<string>> {
  const out = new Set<string>();
  let afterSeq: number | undefined;
  for (;;) {
    const page = await store.readChanges(tenantId, reportId, {
      actions: ["restore", "softDelete"],
      limit: pageSize,
      ...(afterSeq !== undefined ? { afterSeq } : {}),
    });
    for (const c of page) if (c.recoveryAction === "restore" || c.recoverable) out.add(c.id);
    if (page.length < pageSize) return out;
    afterSeq = page[page.length - 1]!.seq;
  }
}
