import type { JobAttempt } from "../jobs/job-handler";
import type { RecoveryJob } from "../model/job";
import type { AuditEntry } from "../model/audit";
import { RECOVERY_STEPS, type Change, type RecoveryStep, type StepOutcome } from "../model/change";
import type { RecoveryCounts } from "../model/job";
import { applyLinksStep } from "./link-writes";
import { applyObjectStep } from "./object-writes";
import { aggregateOutcome, bySeq, OutcomeCounter } from "./outcome";
import { STEP_ACTIONS, stepIsDue, stepsOf } from "./recovery-steps";
import type { StepEnv, StepResult, StepWork } from "./step-work";

/** How the apply phase pages and groups its work. */
export interface ApplyOptions {
  /** Changes read per page (each page's outcomes are saved and counted before the next is read). */
  readonly pageSize: number;
  /** Objects per `inFlight` group for whole-object writes: five `$batch`es of 20 at the default. */
  readonly objectChunk: number;
  /** Objects per `inFlight` group for links (a few rounds of the concurrent writers). */
  readonly linkChunk: number;
}

/**
 * Applies a planned recovery (state `running`) in order: every restore, then property updates, then
 * links, then soft-deletes, each a pass over the job's changes page by page. Per group of changes: `inFlight`
 * records first, then the writes, then the outcomes (so after a crash an `inFlight` step is known to be maybe
 * applied, and is re-read rather than written again), then the audit entries of the changes that ended.
 * Cancel is looked at between groups: what was applied stays applied and recorded. Each group starts only
 * while this process still holds the job's lease.
 */
export class RecoveryApplier {
  private counter = new OutcomeCounter(0);
  private doneSteps = 0;

  constructor(
    private readonly attempt: JobAttempt<RecoveryJob>,
    private readonly env: StepEnv,
    private readonly options: ApplyOptions,
  ) {}

  /** Runs every pass and returns the outcome counts. */
  async run(): Promise<RecoveryCounts> {
    const totalSteps = await this.tally();
    await this.attempt.enter("running", totalSteps);
    this.attempt.progress(this.doneSteps);
    await this.attempt.update({ outcomes: this.counter.counts() });
    for (const step of RECOVERY_STEPS) await this.pass(step);
    return this.counter.counts();
  }

  /** Counts what the plan holds and what earlier attempts finished; returns the steps to run in all. */
  private async tally(): Promise<number> {
    let total = 0;
    let steps = 0;
    const outcomes: Array<ReturnType<typeof aggregateOutcome>["outcome"]> = [];
    for await (const { page, records } of this.pages()) {
      for (const change of page) {
        total++;
        const own = records.get(change.seq) ?? [];
        const { outcome } = aggregateOutcome(change, own);
        outcomes.push(outcome);
        if (outcome === "skipped") continue;
        const n = stepsOf(change).length;
        steps += n;
        this.doneSteps += outcome === "pending" ? own.filter((o) => o.status === "applied").length : n;
      }
    }
    this.counter = new OutcomeCounter(total);
    for (const o of outcomes) this.counter.add(o);
    return steps;
  }

  /** The job's changes page by page (optionally of some actions only), with their step records. */
  private async *pages(step?: RecoveryStep): AsyncGenerator<{ page: Change[]; records: Map<number, StepOutcome[]> }> {
    const { job, deps } = this.attempt;
    let afterSeq: number | undefined;
    for (;;) {
      this.attempt.signal.throwIfAborted();
      const page = await deps.store.readChanges(job.tenantId, job.id, {
        limit: this.options.pageSize,
        ...(step ? { actions: STEP_ACTIONS[step] } : {}),
        ...(afterSeq !== undefined ? { afterSeq } : {}),
      });
      if (page.length === 0) return;
      const records = bySeq(await deps.store.readOutcomes(job.tenantId, job.id, page[0]!.seq, page[page.length - 1]!.seq));
      yield { page, records };
      if (page.length < this.options.pageSize) return;
      afterSeq = page[page.length - 1]!.seq;
    }
  }

  private async pass(step: RecoveryStep): Promise<void> {
    const chunk = step === "links" ? this.options.linkChunk : this.options.objectChunk;
    for await (const { page, records } of this.pages(step)) {
      const work: StepWork[] = [];
      for (const change of page) {
        const own = records.get(change.seq) ?? [];
        if (stepIsDue(step, change, own)) work.push({ change, resumed: own.some((o) => o.step === step && o.status === "inFlight") });
      }
      if (work.length === 0) continue;
      for (let i = 0; i < work.length; i += chunk) {
        this.attempt.signal.throwIfAborted();
        await this.runGroup(step, work.slice(i, i + chunk));
      }
      await this.attempt.update({ outcomes: this.counter.counts() });
    }
  }

  private async runGroup(step: RecoveryStep, work: readonly StepWork[]): Promise<void> {
    const { job, deps } = this.attempt;
    // A process whose lease lapsed may already have been replaced: it must not send one more write.
    this.attempt.assertLease();
    const fresh = work.filter((w) => !w.resumed);
    if (fresh.length > 0) {
      const at = deps.clock.now().toISOString();
      await deps.store.putOutcomes(job.tenantId, job.id, fresh.map((w) => ({ seq: w.change.seq, step, status: "inFlight" as const, at })));
    }
    const results = step === "links" ? await applyLinksStep(work, this.env) : await applyObjectStep(step, work, this.env);
    const at = deps.clock.now().toISOString();
    await deps.store.putOutcomes(job.tenantId, job.id, results.map((r) => toOutcome(r, step, at)));
    const audit: AuditEntry[] = [];
    results.forEach((r, i) => {
      const change = work[i]!.change;
      const steps = stepsOf(change);
      if (r.status === "failed") {
        this.counter.add("failed");
        this.doneSteps += steps.length - steps.indexOf(step); // the steps after a failure are not tried
        audit.push(this.auditEntry(change, "changeFailed", at, r.message));
      } else {
        this.doneSteps++;
        if (steps[steps.length - 1] === step) {
          this.counter.add("applied");
          audit.push(this.auditEntry(change, "changeApplied", at));
        }
      }
    });
    if (audit.length > 0) await deps.store.appendAudit(audit);
    this.attempt.progress(this.doneSteps);
  }

  private auditEntry(change: Change, action: "changeApplied" | "changeFailed", at: string, message?: string): AuditEntry {
    const { job } = this.attempt;
    return {
      tenantId: job.tenantId,
      at,
      actor: job.approvedBy,
      action,
      target: `${change.entityTypeName}/${change.id}`,
      details: {
        jobId: job.id,
        recoveryAction: change.recoveryAction,
        ...(message !== undefined ? { message } : {}),
        // What the approver was warned of stays with what was written.
        ...(change.sensitive && change.sensitive.length > 0 ? { sensitive: change.sensitive.join(" ") } : {}),
      },
    };
  }
}

function toOutcome(r: StepResult, step: RecoveryStep, at: string): StepOutcome {
  return { seq: r.seq, step, status: r.status, at, ...(r.message !== undefined ? { message: r.message } : {}) };
}
