import { randomUUID } from "node:crypto";
import type { AccessControl } from "./access/access-control";
import { allows, type Permission, type Role } from "./access/roles";
import { parseScope } from "./diff/scope";
import { checkActions, checkBackupId, checkCursor, checkId, checkSkip, checkTop, checkTypes } from "./input";
import type { EngineDeps } from "./jobs/job-handler";
import type { JobRunner } from "./jobs/job-runner";
import type { AuditAction, AuditEntry } from "./model/audit";
import type { BackupSummary } from "./model/backup";
import type { ObjectType } from "./model/catalog";
import type { Change, ChangeOutcome, ChangeSummary, RecoveryAction } from "./model/change";
import {
  badRequestError,
  changesNotReadyError,
  forbiddenError,
  jobInProgressError,
  RewindError,
  unknownBackupError,
  unknownJobError,
} from "./model/errors";
import { isTerminal, type Job, type JobKind, type RecoveryJob, type ReportJob, type Scope } from "./model/job";
import type { JobRecord } from "./model/job-record";
import type { RecoveryRequest } from "./model/recovery-request";
import { StoreConflictError } from "./model/store-error";
import { readChangeOutcomes } from "./recovery/outcome";
import type { Actor, RewindSettings } from "./rewind-settings";

export type { Actor } from "./rewind-settings";
export type { Permission, Role } from "./access/roles";

/** Backups as listed, with why there are fewer than the retention allows (early days). */
export interface BackupList {
  readonly backups: BackupSummary[];
  readonly retentionDays: number;
  /** Set when fewer backups exist than retention keeps, saying why that is normal. */
  readonly note: string | null;
}

/** One page of a report's changes. */
export interface ChangePage {
  readonly changes: Change[];
  /** Pass back to read the next page; null on the last one. */
  readonly nextCursor: string | null;
  readonly summary: ChangeSummary | null;
}

/** A page of a job's results as its card shows them: a report's changes or a recovery's outcomes. */
export type ResultsPage =
  | { readonly kind: "changes"; readonly job: ReportJob; readonly changes: Change[]; readonly hasNext: boolean }
  | { readonly kind: "outcomes"; readonly job: RecoveryJob; readonly outcomes: ChangeOutcome[]; readonly hasNext: boolean };

/** One page of a recovery's outcomes. */
export interface OutcomePage {
  readonly changes: ChangeOutcome[];
  readonly nextCursor: string | null;
}

/** What a job's card shows, read in one call. */
export interface JobView {
  readonly job: Job;
  /**
   * Times a process took the job up (more than one: it was picked up again after an interruption); null only
   * when the job is no longer in the store. The runner's lease and version stay inside the engine.
   */
  readonly attempts: number | null;
  /** Offer Cancel: the job is running and the viewer may cancel it (the system offers it: an alert is seen by many). */
  readonly canCancel: boolean;
  /** Offer a recovery: a succeeded report and a viewer who may ask for one (the system offers it). */
  readonly canRecover: boolean;
  /** A succeeded report's first changes (as many as asked); empty otherwise. */
  readonly firstChanges: Change[];
  /** A finished recovery's first failed changes (as many as asked); empty otherwise. */
  readonly failed: ChangeOutcome[];
  /** More failed changes than `failed` holds. */
  readonly hasMoreFailed: boolean;
}

/** What a recovery request's card shows, read in one call. */
export interface RecoveryRequestView {
  readonly request: RecoveryRequest;
  readonly report: Job;
  /** A few changes from the start of the report that a recovery leaves out (not recoverable). */
  readonly excluded: Change[];
  /** A few recoverable security-sensitive changes from the start of the report. */
  readonly sensitive: Change[];
  /** The viewer may approve or reject it now (pending, their role, and not their own when a second approver is required). */
  readonly canApprove: boolean;
  /** The job holding the tenant's job slot while the request waits (null once decided). */
  readonly running: Job | null;
  /** `running` is set and the viewer may cancel it. */
  readonly canCancel: boolean;
  readonly requireSecondApprover: boolean;
  /** Of the people asked about (`approversAmong`), those who may approve it now, in the order given. */
  readonly approvers: string[];
}

/** A recovery outcome to list only (`failed` reads the engine's failed-change index). */
export type OutcomeFilter = "applied" | "failed" | "skipped";

/**
 * The system, acting for no one: what alerts and card updates read with. It may read backups, jobs and reports,
 * and never writes (any other use case refuses it with a 403). Only this object is the system: an actor
 * that merely carries the same user id is an ordinary user.
 */
export const SYSTEM_ACTOR: Actor = Object.freeze({ userId: "system" });

/** What the system may do. */
const SYSTEM_PERMISSIONS: ReadonlySet<Permission> = new Set(["listBackups", "readReports", "listJobs"]);

/** The acting user's roles, read once per call, and what they allow. */
interface Grant {
  /** Whether the actor may do this (the system: read only). */
  may(permission: Permission): boolean;
  /** Whether to offer the action on a card (the system offers every action: each click is checked as its clicker). */
  offers(permission: Permission): boolean;
}

/** Takes backups on demand (the scheduler: one capture at a time). */
export interface BackupTaker {
  takeNow(requestedBy: string): Promise<BackupSummary>;
}

/** A job to create: a report, or a recovery with the approval it runs under (its id named by the approval). */
type NewJob =
  | { readonly kind: "differenceReport"; readonly backupId: string; readonly scope: Scope }
  | {
      readonly kind: "recovery";
      readonly id: string;
      readonly backupId: string;
      readonly scope: Scope;
      readonly reportId: string;
      readonly approvedBy: string;
      readonly recoveryRequestId: string;
    };

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** How long a recovery request can be approved (a day: the tenant keeps changing, so a report goes stale). */
const REQUEST_TTL_MS = DAY_MS;
/** Reports are kept 5 days after completion. */
const REPORT_RETENTION_MS = 5 * DAY_MS;
/** How many examples of a request's excluded and sensitive changes are read at most, and in pages of how many. */
const EXAMPLE_PAGES = 5;
const EXAMPLE_PAGE_SIZE = 100;
/** The largest page read at once while walking a filtered list to a far page. */
const WALK = 999;
const PERMISSIONS: readonly Permission[] = [
  "listBackups",
  "readReports",
  "startReport",
  "listJobs",
  "takeBackup",
  "requestRecovery",
  "approveRecovery",
  "cancelJob",
  "readAudit",
];

/**
 * The engine's use cases, named after Microsoft's API, for the bot (and any other front end). Every call
 * takes the acting user and checks their role at the moment it runs; bad input is refused with a 400 that
 * names what was wrong, before anything changes.
 */
export class Rewind {
  constructor(
    private readonly deps: EngineDeps,
    private readonly access: AccessControl,
    private readonly runner: JobRunner,
    private readonly backups: BackupTaker,
    readonly settings: RewindSettings,
  ) {}

  private get tenantId(): string {
    return this.settings.tenantId;
  }

  /** Completed backups, newest first, with a note when fewer exist than retention keeps. */
  async listBackups(actor: Actor): Promise<BackupList> {
    await this.grant(actor, "listBackups");
    const backups = await this.deps.store.listBackups(this.tenantId);
    return { backups, retentionDays: this.settings.backupRetentionDays, note: this.retentionNote(backups) };
  }

  /** Takes a backup now (or joins the one under way) and returns it once complete. */
  async takeBackup(actor: Actor): Promise<BackupSummary> {
    await this.grant(actor, "takeBackup");
    const summary = await this.backups.takeNow(actor.userId);
    await this.audit(actor.userId, "backupTaken", summary.id, { trigger: summary.trigger });
    return summary;
  }

  /**
   * Starts a difference report of a backup (its id, or "latest": the newest) against the tenant now (one job
   * at a time per tenant: another is refused with 409).
   */
  async startDifferenceReport(actor: Actor, input: { backupId: unknown; scope?: unknown }): Promise<Job> {
    const grant = await this.grant(actor, "startReport");
    const backupId = input.backupId === "latest" ? await this.latestBackupId() : checkBackupId(input.backupId);
    const scope = parseScope(input.scope);
    if (!(await this.deps.store.getBackup(this.tenantId, backupId))) throw unknownBackupError();
    // The tenant has one job slot: someone who cannot cancel jobs must not be able to hold it all day.
    if (!grant.may("cancelJob")) await this.checkReportRate(actor);
    return this.createJob(actor, { kind: "differenceReport", backupId, scope });
  }

  /**
   * The job that holds the tenant's job slot now (a report or a recovery not yet ended), as its card shows it
   * (nothing more is read for a running job), or null.
   */
  async activeJob(actor: Actor): Promise<JobView | null> {
    const grant = await this.grant(actor, "listJobs");
    const running = await this.runningRecord();
    return running === null ? null : runningView(shown(running), grant);
  }

  async getJob(actor: Actor, jobId: unknown): Promise<Job> {
    await this.grant(actor, "listJobs");
    return this.requireJob(checkId(jobId, "job"));
  }

  /**
   * A job with what its card shows, in one call: its progress while it runs; once done, a report's first
   * changes or a recovery's first failed changes, and which actions to offer the viewer. `target` is a job id,
   * or a job this façade just returned (a started or canceled job's card shows it as it was returned).
   */
  async viewJob(actor: Actor, target: { jobId: unknown } | { job: Job }, sizes: { changes: number; failed: number }): Promise<JobView> {
    const grant = await this.grant(actor, "listJobs");
    const changes = checkTop(sizes.changes);
    const failedTop = checkTop(sizes.failed);
    const { job, attempts } = "job" in target ? await this.handedIn(target.job) : shown(await this.requireRecord(checkId(target.jobId, "job")));
    if (!isTerminal(job.state)) return runningView({ job, attempts }, grant);
    const view = { job, attempts, canCancel: false, canRecover: false, firstChanges: [] as Change[], failed: [] as ChangeOutcome[], hasMoreFailed: false };
    if (job.kind === "differenceReport") {
      if (job.state !== "succeeded") return view;
      const firstChanges = await this.deps.store.readChanges(this.tenantId, job.id, { limit: changes });
      return { ...view, firstChanges, canRecover: grant.offers("requestRecovery") };
    }
    const failed = await readChangeOutcomes(this.deps.store, this.tenantId, job.id, { only: "failed", limit: failedTop + 1 });
    return { ...view, failed: failed.slice(0, failedTop), hasMoreFailed: failed.length > failedTop };
  }

  /** The tenant's jobs, newest first; per backup and kind when asked. */
  async listJobs(actor: Actor, filter: { backupId?: unknown; kind?: JobKind } = {}): Promise<Job[]> {
    await this.grant(actor, "listJobs");
    const backupId = filter.backupId === undefined ? undefined : checkBackupId(filter.backupId);
    return this.deps.store.listJobs(this.tenantId, { ...(backupId ? { backupId } : {}), ...(filter.kind ? { kind: filter.kind } : {}) });
  }

  /** A page of a finished report's changes, filtered by type and action (400 before it finished). */
  async getChanges(
    actor: Actor,
    jobId: unknown,
    query: { types?: readonly unknown[]; actions?: readonly unknown[]; cursor?: unknown; top?: unknown; skip?: unknown } = {},
  ): Promise<ChangePage> {
    await this.grant(actor, "readReports");
    const id = checkId(jobId, "job");
    const filters = { types: checkTypes(query.types), actions: checkActions(query.actions), afterSeq: checkCursor(query.cursor), top: checkTop(query.top), skip: checkSkip(query.skip) };
    const job = await this.requireJob(id);
    if (job.kind !== "differenceReport") throw badRequestError(`Job ${job.id} is a recovery; its results are read as recovery outcomes.`);
    return this.changesOf(job, filters);
  }

  /**
   * A page of a job's results as its card shows them, in one call: a finished report's changes (filtered by
   * type and action) or a recovery's outcomes (filtered by outcome), `skip` filtered entries in. A filter of the
   * other kind is refused with what to use instead.
   */
  async viewResultsPage(
    actor: Actor,
    jobId: unknown,
    query: { type?: unknown; action?: unknown; outcome?: unknown; top?: unknown; skip?: unknown },
  ): Promise<ResultsPage> {
    const grant = await this.grant(actor, "listJobs");
    const id = checkId(jobId, "job");
    const top = checkTop(query.top);
    const skip = checkSkip(query.skip);
    const types = checkTypes(query.type === undefined ? undefined : [query.type]);
    const actions = checkActions(query.action === undefined ? undefined : [query.action]);
    const outcome = checkOutcome(query.outcome);
    const job = await this.requireJob(id);
    if (job.kind === "differenceReport") {
      if (!grant.may("readReports")) throw forbiddenError();
      if (outcome) throw badRequestError("outcome= applies to recovery jobs; a difference report has changes, not outcomes.", "Filter a report with type= and action=.");
      const page = await this.changesOf(job, { types, actions, afterSeq: 0, top, skip });
      return { kind: "changes", job, changes: page.changes, hasNext: page.nextCursor !== null };
    }
    if (types || actions) throw badRequestError("type= and action= filter a difference report's changes; a recovery's outcomes filter with outcome=.", "Use outcome=applied, failed or skipped.");
    const page = await this.outcomesOf(job, { afterSeq: 0, top, skip, only: outcome });
    return { kind: "outcomes", job, outcomes: page.changes, hasNext: page.nextCursor !== null };
  }

  /** A page of a report's changes (it must have succeeded), found on the index when far in. */
  private async changesOf(
    job: ReportJob,
    q: { types: readonly ObjectType[] | undefined; actions: readonly RecoveryAction[] | undefined; afterSeq: number; top: number; skip: number },
  ): Promise<ChangePage> {
    if (job.state !== "succeeded") throw changesNotReadyError(job.id);
    const filters = { ...(q.types ? { types: q.types } : {}), ...(q.actions ? { actions: q.actions } : {}) };
    let afterSeq = q.afterSeq;
    if (q.skip > 0) {
      // Far into a filtered list: find the cursor on the index rather than reading what is skipped.
      const seq = await this.deps.store.nthChangeSeq(this.tenantId, job.id, { ...filters, afterSeq }, q.skip);
      if (seq === null) return { changes: [], nextCursor: null, summary: job.summary ?? null };
      afterSeq = seq;
    }
    const page = await this.deps.store.readChanges(this.tenantId, job.id, { ...filters, afterSeq, limit: q.top + 1 });
    const more = page.length > q.top;
    const changes = more ? page.slice(0, q.top) : page;
    return { changes, nextCursor: more ? String(changes[changes.length - 1]!.seq) : null, summary: job.summary ?? null };
  }

  /**
   * A page of a recovery's changes, each with its outcome (applied, failed, skipped, or pending while it runs);
   * `outcome` lists only those, `skip` starts that many (filtered) changes in.
   */
  async getRecoveryOutcomes(actor: Actor, jobId: unknown, query: { cursor?: unknown; top?: unknown; skip?: unknown; outcome?: unknown } = {}): Promise<OutcomePage> {
    return this.outcomePage(actor, jobId, query, checkOutcome(query.outcome));
  }

  /** A page of a recovery's failed changes, with Graph's message (Microsoft: getFailedChanges). */
  async getFailedChanges(actor: Actor, jobId: unknown, query: { cursor?: unknown; top?: unknown } = {}): Promise<OutcomePage> {
    return this.outcomePage(actor, jobId, query, "failed");
  }

  private async outcomePage(actor: Actor, jobId: unknown, query: { cursor?: unknown; top?: unknown; skip?: unknown }, only: OutcomeFilter | undefined): Promise<OutcomePage> {
    await this.grant(actor, "listJobs");
    const id = checkId(jobId, "job");
    const q = { afterSeq: checkCursor(query.cursor), top: checkTop(query.top), skip: checkSkip(query.skip), only };
    const job = await this.requireJob(id);
    if (job.kind !== "recovery") throw badRequestError(`Job ${job.id} is a difference report; its changes are read with getChanges.`);
    return this.outcomesOf(job, q);
  }

  /** A page of a recovery's changes with their outcomes, `only` one outcome, `skip` (filtered) changes in. */
  private async outcomesOf(job: RecoveryJob, q: { afterSeq: number; top: number; skip: number; only: OutcomeFilter | undefined }): Promise<OutcomePage> {
    const { top, only } = q;
    let { afterSeq, skip } = q;
    // Failed changes have their own index; applied and skipped ones are filtered while walking the changes.
    const keep = (o: ChangeOutcome) => only === undefined || only === "failed" || o.outcome === only;
    const wanted: ChangeOutcome[] = [];
    for (;;) {
      const limit = skip > 0 ? WALK : top + 1;
      const page = await readChangeOutcomes(this.deps.store, this.tenantId, job.id, { afterSeq, limit, ...(only === "failed" ? { only } : {}) });
      for (const o of page) {
        if (!keep(o)) continue;
        if (skip > 0) skip--;
        else wanted.push(o);
        if (wanted.length > top) break;
      }
      if (wanted.length > top || page.length < limit) break;
      afterSeq = page[page.length - 1]!.change.seq;
    }
    const more = wanted.length > top;
    const changes = more ? wanted.slice(0, top) : wanted;
    return { changes, nextCursor: more ? String(changes[changes.length - 1]!.change.seq) : null };
  }

  /** Asks for a recovery of a finished report's changes (all, or a scope of them); an administrator approves it. */
  async requestRecovery(actor: Actor, input: { reportId: unknown; scope?: unknown }): Promise<RecoveryRequest> {
    await this.grant(actor, "requestRecovery");
    const report = await this.requireJob(checkId(input.reportId, "job"));
    const scope = parseScope(input.scope);
    await this.checkRecoverableReport(report);
    const now = this.deps.clock.now();
    const request: RecoveryRequest = {
      tenantId: this.tenantId,
      id: randomUUID(),
      reportId: report.id,
      backupId: report.backupId,
      scope,
      requestedBy: actor.userId,
      requestedAt: now.toISOString(),
      digest: report.summary?.digest ?? "",
      expiresAt: this.requestExpiry(now, report),
      state: "pending",
      version: 1,
    };
    await this.deps.store.createRecoveryRequest(request);
    await this.audit(actor.userId, "recoveryRequested", request.id, { reportId: report.id, backupId: report.backupId, sensitiveChanges: report.summary?.sensitive ?? 0 });
    return request;
  }

  async getRecoveryRequest(actor: Actor, requestId: unknown): Promise<RecoveryRequest> {
    await this.grant(actor, "listJobs");
    return this.requireRequest(checkId(requestId, "recovery request"));
  }

  /**
   * A recovery request with what its card shows, in one call: its report, a few examples of the changes it
   * leaves out and of its security-sensitive ones (from the start of the report; the card's counts cover all),
   * whether the viewer may decide it, the job in the way while it waits, and which of `approversAmong` may
   * approve it (at most `maxApprovers`: the card's refresh names them).
   */
  async viewRecoveryRequest(
    actor: Actor,
    requestId: unknown,
    options: { examples: number; approversAmong?: readonly string[]; maxApprovers?: number },
  ): Promise<RecoveryRequestView> {
    const grant = await this.grant(actor, "listJobs");
    const request = await this.requireRequest(checkId(requestId, "recovery request"));
    const report = await this.requireJob(request.reportId);
    const { excluded, sensitive } = await this.examples(report, options.examples);
    const pending = request.state === "pending";
    // The job in the way while the request waits (its own recovery, once approved, is not in the way).
    const running = pending ? await this.runningJob().catch(() => null) : null;
    const approvers: string[] = [];
    if (pending) {
      const max = options.maxApprovers ?? Infinity;
      for (const userId of options.approversAmong ?? []) {
        if (approvers.length >= max) break;
        if (this.isOwnRequest(request, userId)) continue;
        const may = userId === actor.userId ? grant.may("approveRecovery") : await this.can({ userId }, "approveRecovery");
        if (may) approvers.push(userId);
      }
    }
    return {
      request,
      report,
      excluded,
      sensitive,
      canApprove: pending && grant.may("approveRecovery") && !this.isOwnRequest(request, actor.userId),
      running,
      canCancel: running !== null && grant.may("cancelJob"),
      requireSecondApprover: this.settings.requireSecondApprover,
      approvers,
    };
  }

  /**
   * Approves a pending recovery request and starts its recovery job. The approval names the report and its
   * change digest as the approver saw them: a card for other changes, an expired request or a report that no
   * longer has those changes is refused.
   */
  async startRecovery(approver: Actor, input: { requestId: unknown; reportId?: unknown; digest?: unknown }): Promise<Job> {
    await this.grant(approver, "approveRecovery");
    const request = await this.requirePending(checkId(input.requestId, "recovery request"));
    if (this.isOwnRequest(request, approver.userId)) {
      throw new RewindError("forbidden", "You asked for this recovery, so another administrator must approve it.", "Ask a second Backup Administrator to approve.");
    }
    this.checkBinding(request, input);
    const report = await this.requireJob(request.reportId);
    await this.checkRecoverableReport(report);
    if ((report.summary?.digest ?? "") !== request.digest) {
      throw new RewindError(
        "preconditionFailed",
        `The difference report ${report.id} no longer holds the changes this request was made for.`,
        `Run a new difference report and ask for the recovery again.`,
      );
    }
    // One decision, taken atomically: the request is marked approved (naming the job about to start) by a
    // compare-and-set first, so of an Approve and a Reject (or two Approves) exactly one wins, and only then
    // is the job created. A job that cannot start puts the request back to pending.
    const jobId = randomUUID();
    const decided = await this.decide(request, { state: "approved", decidedBy: approver.userId, decidedAt: this.deps.clock.now().toISOString(), recoveryJobId: jobId });
    let job: Job;
    try {
      job = await this.createJob(
        { userId: request.requestedBy },
        { kind: "recovery", id: jobId, backupId: request.backupId, scope: request.scope, reportId: report.id, approvedBy: approver.userId, recoveryRequestId: request.id },
      );
    } catch (err) {
      await this.deps.store
        .updateRecoveryRequest({ ...request, version: decided.version })
        .catch((rollback: unknown) => this.deps.log.error({ err: rollback, requestId: request.id }, "the recovery could not start and its request could not be put back to pending"));
      throw err;
    }
    await this.audit(approver.userId, "recoveryApproved", request.id, { jobId: job.id, requestedBy: request.requestedBy, sensitiveChanges: report.summary?.sensitive ?? 0 });
    return job;
  }

  /** Turns a pending recovery request down. */
  async rejectRecovery(approver: Actor, input: { requestId: unknown; reportId?: unknown; digest?: unknown; reason?: unknown }): Promise<RecoveryRequest> {
    await this.grant(approver, "approveRecovery");
    const request = await this.requirePending(checkId(input.requestId, "recovery request"));
    if (input.reportId !== undefined || input.digest !== undefined) this.checkBinding(request, input, { ignoreExpiry: true });
    if (input.reason !== undefined && (typeof input.reason !== "string" || input.reason.length > 500)) {
      throw badRequestError("A rejection reason is text of at most 500 characters.");
    }
    const updated = await this.decide(request, {
      state: "rejected",
      decidedBy: approver.userId,
      decidedAt: this.deps.clock.now().toISOString(),
      ...(typeof input.reason === "string" && input.reason.length > 0 ? { reason: input.reason } : {}),
    });
    await this.audit(approver.userId, "recoveryRejected", request.id, { reportId: request.reportId });
    return updated;
  }

  /** Asks a running job to stop at its next safe point (best effort; it shows `cancelRequested`). */
  async cancelJob(actor: Actor, jobId: unknown): Promise<Job> {
    await this.grant(actor, "cancelJob");
    const job = await this.requireJob(checkId(jobId, "job"));
    if (isTerminal(job.state)) throw badRequestError(`Job ${job.id} has already ended (${job.state}); there is nothing to cancel.`);
    const marked = await this.deps.store.requestCancel(this.tenantId, job.id, actor.userId);
    if (!marked) throw unknownJobError();
    await this.audit(actor.userId, "jobCancelRequested", job.id, { kind: job.kind });
    this.runner.submit(marked); // a job no process has claimed yet is closed at once
    return marked.job;
  }

  /** The acting user's roles and what they allow (anyone may ask; no role is an answer, not an error). */
  async whoAmI(actor: Actor): Promise<{ userId: string; roles: Role[]; permissions: Permission[] }> {
    if (actor === SYSTEM_ACTOR) return { userId: actor.userId, roles: [], permissions: PERMISSIONS.filter((p) => SYSTEM_PERMISSIONS.has(p)) };
    const roles = await this.access.rolesOf(actor.userId);
    const permissions = PERMISSIONS.filter((p) => allows(roles, p));
    return { userId: actor.userId, roles: [...roles].sort(), permissions };
  }

  /** Whether the user may do this now (to show or hide a button; every call still checks). False when roles cannot be read. */
  async can(actor: Actor, permission: Permission): Promise<boolean> {
    if (actor === SYSTEM_ACTOR) return SYSTEM_PERMISSIONS.has(permission);
    try {
      return allows(await this.access.rolesOf(actor.userId), permission);
    } catch {
      return false;
    }
  }

  /** The audit trail, newest first. */
  async listAudit(actor: Actor, options: { since?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    await this.grant(actor, "readAudit");
    return this.deps.store.listAudit(this.tenantId, { ...(options.since ? { since: options.since } : {}), limit: checkTop(options.limit) });
  }

  /** Creates a queued job (one at a time per tenant: 409 with the job in the way) and hands it to the runner. */
  private async createJob(actor: Actor, spec: NewJob): Promise<Job> {
    const queued = {
      tenantId: this.tenantId,
      backupId: spec.backupId,
      scope: spec.scope,
      state: "queued" as const,
      requestedBy: actor.userId,
      createdAt: this.deps.clock.now().toISOString(),
      progress: { done: 0, total: null, estimatedCompletionAt: null },
      cancelRequested: false,
    };
    const job: Job =
      spec.kind === "recovery"
        ? { ...queued, kind: "recovery", id: spec.id, reportId: spec.reportId, approvedBy: spec.approvedBy, recoveryRequestId: spec.recoveryRequestId }
        : { ...queued, kind: "differenceReport", id: randomUUID() };
    let record: JobRecord;
    try {
      record = await this.deps.store.createJob(job);
    } catch (err) {
      if (err instanceof StoreConflictError) throw jobInProgressError((await this.runningJob().catch(() => null)) ?? undefined);
      throw err;
    }
    const recovery = job.kind === "recovery" ? job : null;
    await this.audit(recovery?.approvedBy ?? actor.userId, "jobStarted", job.id, { kind: job.kind, backupId: job.backupId, reportId: recovery?.reportId ?? null });
    this.runner.submit(record);
    return job;
  }

  /**
   * Checks the actor may do `permission` (a 403 with the access-denied text otherwise), reading their roles
   * once; what else the call needs to know of them is answered from the same read.
   */
  private async grant(actor: Actor, permission: Permission): Promise<Grant> {
    if (actor === SYSTEM_ACTOR) {
      if (!SYSTEM_PERMISSIONS.has(permission)) {
        this.deps.log.error({ permission }, "the system may only read; refused");
        throw forbiddenError();
      }
      return { may: (p) => SYSTEM_PERMISSIONS.has(p), offers: () => true };
    }
    const roles = await this.access.require(actor.userId, permission);
    return { may: (p) => allows(roles, p), offers: (p) => allows(roles, p) };
  }

  /** The second-approver rule: with it on, whoever asked for a recovery may not decide it. */
  private isOwnRequest(request: RecoveryRequest, userId: string): boolean {
    return this.settings.requireSecondApprover && request.requestedBy === userId;
  }

  /** The newest completed backup's id ("latest"). */
  private async latestBackupId(): Promise<string> {
    const newest = (await this.deps.store.listBackups(this.tenantId))[0];
    if (!newest) throw badRequestError("There is no backup yet to compare with.", "The first backup is taken when Rewind starts; try again in a few minutes, or take one with `backup now`.");
    return newest.id;
  }

  /**
   * Up to `count` examples each of what a recovery of `report` leaves out and of its security-sensitive
   * changes, from the start of the report: pages are read until enough of each are found, within a bound
   * that keeps a card quick. None while the report is not a succeeded one.
   */
  private async examples(report: Job, count: number): Promise<{ excluded: Change[]; sensitive: Change[] }> {
    const excluded: Change[] = [];
    const sensitive: Change[] = [];
    if (report.kind !== "differenceReport" || report.state !== "succeeded") return { excluded, sensitive };
    const wantSensitive = (report.summary?.sensitive ?? 0) > 0;
    let afterSeq = 0;
    for (let page = 0; page < EXAMPLE_PAGES; page++) {
      const read = await this.deps.store.readChanges(this.tenantId, report.id, { afterSeq, limit: EXAMPLE_PAGE_SIZE + 1 });
      const more = read.length > EXAMPLE_PAGE_SIZE;
      const changes = more ? read.slice(0, EXAMPLE_PAGE_SIZE) : read;
      for (const c of changes) {
        if (!c.recoverable && excluded.length < count) excluded.push(c);
        if (c.recoverable && c.sensitive && sensitive.length < count) sensitive.push(c);
      }
      if (!more || (excluded.length >= count && (!wantSensitive || sensitive.length >= count))) break;
      if (!wantSensitive) break; // the excluded examples come from the first page, as they always have
      afterSeq = changes[changes.length - 1]!.seq;
    }
    return { excluded, sensitive };
  }

  /** The job holding the tenant's one job slot (at most one job is not terminal), or null. */
  private async runningJob(): Promise<Job | null> {
    return (await this.runningRecord())?.job ?? null;
  }

  /** The job holding the tenant's job slot with its run record, or null. */
  private async runningRecord(): Promise<JobRecord | null> {
    return (await this.deps.store.listActiveJobs(this.tenantId))[0] ?? null;
  }

  /** Refuses a report past the user's hourly allowance (REPORTS_PER_USER_PER_HOUR), saying when they may start one. */
  private async checkReportRate(actor: Actor): Promise<void> {
    const limit = this.settings.reportsPerUserPerHour;
    const now = this.deps.clock.now().getTime();
    const recent = (await this.deps.store.listJobs(this.tenantId, { kind: "differenceReport" }))
      .filter((j) => j.requestedBy === actor.userId && now - Date.parse(j.createdAt) < HOUR_MS)
      .map((j) => Date.parse(j.createdAt))
      .sort((a, b) => a - b);
    if (recent.length < limit) return;
    const freeAt = new Date(recent[recent.length - limit]! + HOUR_MS).toISOString();
    throw new RewindError(
      "tooManyRequests",
      `You started ${recent.length} difference reports in the last hour; the limit is ${limit} an hour, so the tenant's one job slot stays free for others.`,
      `Try again after ${freeAt}, or ask a Backup Administrator to run it.`,
    );
  }

  private async checkRecoverableReport(report: Job): Promise<void> {
    if (report.kind !== "differenceReport") throw badRequestError(`Job ${report.id} is a recovery, not a difference report.`, "Recover from a difference report.");
    if (report.state !== "succeeded") {
      throw badRequestError(
        `The difference report ${report.id} has not completed successfully (it is ${report.state}); only a finished report can be recovered.`,
        "Wait for it to finish, or run a new one.",
      );
    }
    if (!(await this.deps.store.getBackup(this.tenantId, report.backupId))) throw unknownBackupError();
    const s = report.summary;
    if (s && s.total - s.notRecoverable === 0) throw badRequestError(`The difference report ${report.id} has no recoverable change.`);
  }

  private async requireJob(id: string): Promise<Job> {
    return (await this.requireRecord(id)).job;
  }

  /** A job this façade returned, shown as returned, with its attempts as the store counts them now. */
  private async handedIn(job: Job): Promise<{ job: Job; attempts: number | null }> {
    const record = await this.deps.store.getJob(this.tenantId, job.id);
    return { job, attempts: record?.run.attempts ?? null };
  }

  private async requireRecord(id: string): Promise<JobRecord> {
    const record = await this.deps.store.getJob(this.tenantId, id);
    if (!record) throw unknownJobError();
    return record;
  }

  private async requireRequest(id: string): Promise<RecoveryRequest> {
    const request = await this.deps.store.getRecoveryRequest(this.tenantId, id);
    if (!request) throw new RewindError("notFound", "Not Found", "The recovery request does not exist (or it aged out).");
    return request;
  }

  private async requirePending(id: string): Promise<RecoveryRequest> {
    const request = await this.requireRequest(id);
    if (request.state !== "pending") {
      throw new RewindError(
        "conflict",
        `This recovery request was already ${request.state}${request.decidedBy ? ` by ${request.decidedBy}` : ""}${request.decidedAt ? ` at ${request.decidedAt}` : ""}.`,
      );
    }
    return request;
  }

  /**
   * Records a decision on a pending request by compare-and-set: when another decision got there first (a
   * concurrent Approve or Reject), this one is refused with who decided, and nothing else happens.
   */
  private async decide(
    request: RecoveryRequest,
    decision: Pick<RecoveryRequest, "state" | "decidedBy" | "decidedAt"> & Partial<Pick<RecoveryRequest, "reason" | "recoveryJobId">>,
  ): Promise<RecoveryRequest> {
    try {
      return await this.deps.store.updateRecoveryRequest({ ...request, ...decision });
    } catch (err) {
      if (!(err instanceof StoreConflictError)) throw err;
      await this.requirePending(request.id); // throws the 409 naming the decision that won
      throw new RewindError("conflict", "This recovery request changed while you decided; nothing was done.", "Open the request again and decide on what it shows now.");
    }
  }

  /** A request lasts REQUEST_TTL_MS, and never beyond its report's retention. */
  private requestExpiry(now: Date, report: Job): string {
    const reportGone = report.completedAt ? Date.parse(report.completedAt) + REPORT_RETENTION_MS : Infinity;
    return new Date(Math.min(now.getTime() + REQUEST_TTL_MS, reportGone)).toISOString();
  }

  /** The approval must name the request's report and digest, before the request expires. */
  private checkBinding(request: RecoveryRequest, input: { reportId?: unknown; digest?: unknown }, options: { ignoreExpiry?: boolean } = {}): void {
    if (input.reportId !== request.reportId || input.digest !== request.digest || request.digest === "") {
      throw new RewindError(
        "preconditionFailed",
        "This approval does not match the recovery request it names: the card's report or change digest differs. Nothing was changed.",
        `Use the card Rewind posted for the request, or ask for the recovery again with \`recover ${request.reportId}\`.`,
      );
    }
    if (!options.ignoreExpiry && this.deps.clock.now().getTime() >= Date.parse(request.expiresAt)) {
      throw new RewindError(
        "preconditionFailed",
        `This recovery request expired at ${request.expiresAt}. Nothing was changed.`,
        `Ask for the recovery again with \`recover ${request.reportId}\` (after checking the report is still what you want).`,
      );
    }
  }

  private retentionNote(backups: readonly BackupSummary[]): string | null {
    const days = this.settings.backupRetentionDays;
    const expected = Math.floor((days * 24) / this.settings.backupIntervalHours);
    if (backups.length >= expected) return null;
    if (backups.length === 0) return "No backup has completed yet. The first one is taken when Rewind starts, then one every interval.";
    const oldest = backups[backups.length - 1]!;
    const age = (this.deps.clock.now().getTime() - Date.parse(oldest.completedAt)) / DAY_MS;
    if (age >= days) return null; // some were removed or missed; nothing early-days about it
    return `Backups are kept ${days} days. The oldest is from ${oldest.id}: Rewind has been taking backups for less than that, so fewer are listed. This is normal in the first days.`;
  }

  private async audit(actor: string, action: AuditAction, target: string, details: AuditEntry["details"]): Promise<void> {
    await this.deps.store
      .appendAudit([{ tenantId: this.tenantId, at: this.deps.clock.now().toISOString(), actor, action, target, ...(details ? { details } : {}) }])
      .catch((err: unknown) => this.deps.log.error({ err, action, target }, "could not write an audit entry"));
  }
}

/** An outcome filter as given (a front end's parameter); undefined lists every outcome. */
function checkOutcome(value: unknown): OutcomeFilter | undefined {
  if (value === undefined) return undefined;
  if (value === "applied" || value === "failed" || value === "skipped") return value;
  throw badRequestError(`Unknown recovery outcome "${String(value).slice(0, 40)}".`, "Accepted outcomes: applied, failed, skipped.");
}

/** What a card may show of a job record: the job and its attempt count, never the lease or version. */
function shown(record: JobRecord): { job: Job; attempts: number } {
  return { job: record.job, attempts: record.run.attempts };
}

/** A job still running, as its card shows it: progress only, and Cancel for those who may. */
function runningView({ job, attempts }: { job: Job; attempts: number | null }, grant: Grant): JobView {
  return { job, attempts, canCancel: grant.offers("cancelJob"), canRecover: false, firstChanges: [], failed: [], hasMoreFailed: false };
}
