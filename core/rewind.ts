import { randomUUID } from "node:crypto";
import type { AccessControl } from "./access/access-control";
import { allows, type Permission, type Role } from "./access/roles";
import { parseScope } from "./diff/scope";
import { checkActions, checkBackupId, checkCursor, checkId, checkSkip, checkTop, checkTypes } from "./input";
import type { EngineDeps } from "./jobs/job-handler";
import type { JobRunner } from "./jobs/job-runner";
import type { AuditAction, AuditEntry } from "./model/audit";
import type { BackupSummary } from "./model/backup";
import type { Change, ChangeOutcome, ChangeSummary } from "./model/change";
import {
  badRequestError,
  changesNotReadyError,
  jobInProgressError,
  RewindError,
  unknownBackupError,
  unknownJobError,
} from "./model/errors";
import { isTerminal, type Job, type JobKind, type Scope } from "./model/job";
import type { RecoveryRequest } from "./model/recovery-request";
import { StoreConflictError } from "./model/store-error";
import { readChangeOutcomes } from "./recovery/outcome";
import type { Actor, RewindSettings } from "./rewind-settings";

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

/** One page of a recovery's outcomes. */
export interface OutcomePage {
  readonly changes: ChangeOutcome[];
  readonly nextCursor: string | null;
}

/** Takes backups on demand (the scheduler: one capture at a time). */
export interface BackupTaker {
  takeNow(requestedBy: string): Promise<BackupSummary>;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** How long a recovery request can be approved (a day: the tenant keeps changing, so a report goes stale). */
const REQUEST_TTL_MS = DAY_MS;
/** Reports are kept 5 days after completion. */
const REPORT_RETENTION_MS = 5 * DAY_MS;
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
    await this.access.require(actor.userId, "listBackups");
    const backups = await this.deps.store.listBackups(this.tenantId);
    return { backups, retentionDays: this.settings.backupRetentionDays, note: this.retentionNote(backups) };
  }

  /** Takes a backup now (or joins the one under way) and returns it once complete. */
  async takeBackup(actor: Actor): Promise<BackupSummary> {
    await this.access.require(actor.userId, "takeBackup");
    const summary = await this.backups.takeNow(actor.userId);
    await this.audit(actor.userId, "backupTaken", summary.id, { trigger: summary.trigger });
    return summary;
  }

  /** Starts a difference report of a backup against the tenant now (one job at a time per tenant: another is refused with 409). */
  async startDifferenceReport(actor: Actor, input: { backupId: unknown; scope?: unknown }): Promise<Job> {
    const roles = await this.access.require(actor.userId, "startReport");
    const backupId = checkBackupId(input.backupId);
    const scope = parseScope(input.scope);
    if (!(await this.deps.store.getBackup(this.tenantId, backupId))) throw unknownBackupError();
    // The tenant has one job slot: someone who cannot cancel jobs must not be able to hold it all day.
    if (!allows(roles, "cancelJob")) await this.checkReportRate(actor);
    return this.createJob(actor, { kind: "differenceReport", backupId, scope });
  }

  /** The job that holds the tenant's job slot now (a report or a recovery not yet ended), or null. */
  async activeJob(actor: Actor): Promise<Job | null> {
    await this.access.require(actor.userId, "listJobs");
    return this.runningJob();
  }

  async getJob(actor: Actor, jobId: unknown): Promise<Job> {
    await this.access.require(actor.userId, "listJobs");
    return this.requireJob(checkId(jobId, "job"));
  }

  /** The tenant's jobs, newest first; per backup and kind when asked. */
  async listJobs(actor: Actor, filter: { backupId?: unknown; kind?: JobKind } = {}): Promise<Job[]> {
    await this.access.require(actor.userId, "listJobs");
    const backupId = filter.backupId === undefined ? undefined : checkBackupId(filter.backupId);
    return this.deps.store.listJobs(this.tenantId, { ...(backupId ? { backupId } : {}), ...(filter.kind ? { kind: filter.kind } : {}) });
  }

  /** A page of a finished report's changes, filtered by type and action (400 before it finished). */
  async getChanges(
    actor: Actor,
    jobId: unknown,
    query: { types?: readonly unknown[]; actions?: readonly unknown[]; cursor?: unknown; top?: unknown; skip?: unknown } = {},
  ): Promise<ChangePage> {
    await this.access.require(actor.userId, "readReports");
    const id = checkId(jobId, "job");
    const types = checkTypes(query.types);
    const actions = checkActions(query.actions);
    let afterSeq = checkCursor(query.cursor);
    const top = checkTop(query.top);
    const skip = checkSkip(query.skip);
    const job = await this.requireJob(id);
    if (job.kind !== "differenceReport") throw badRequestError(`Job ${job.id} is a recovery; its results are read as recovery outcomes.`);
    if (job.state !== "succeeded") throw changesNotReadyError(job.id);
    if (skip > 0) {
      // Far into a filtered list: find the cursor on the index rather than reading what is skipped.
      const filters = { ...(types ? { types } : {}), ...(actions ? { actions } : {}), afterSeq };
      const seq = await this.deps.store.nthChangeSeq(this.tenantId, job.id, filters, skip);
      if (seq === null) return { changes: [], nextCursor: null, summary: job.summary ?? null };
      afterSeq = seq;
    }
    const page = await this.deps.store.readChanges(this.tenantId, job.id, {
      ...(types ? { types } : {}),
      ...(actions ? { actions } : {}),
      afterSeq,
      limit: top + 1,
    });
    const more = page.length > top;
    const changes = more ? page.slice(0, top) : page;
    return { changes, nextCursor: more ? String(changes[changes.length - 1]!.seq) : null, summary: job.summary ?? null };
  }

  /** A page of a recovery's changes, each with its outcome (applied, failed, skipped, or pending while it runs). */
  async getRecoveryOutcomes(actor: Actor, jobId: unknown, query: { cursor?: unknown; top?: unknown } = {}): Promise<OutcomePage> {
    return this.outcomePage(actor, jobId, query, undefined);
  }

  /** A page of a recovery's failed changes, with Graph's message (Microsoft: getFailedChanges). */
  async getFailedChanges(actor: Actor, jobId: unknown, query: { cursor?: unknown; top?: unknown } = {}): Promise<OutcomePage> {
    return this.outcomePage(actor, jobId, query, "failed");
  }

  private async outcomePage(actor: Actor, jobId: unknown, query: { cursor?: unknown; top?: unknown }, only: "failed" | undefined): Promise<OutcomePage> {
    await this.access.require(actor.userId, "listJobs");
    const id = checkId(jobId, "job");
    const afterSeq = checkCursor(query.cursor);
    const top = checkTop(query.top);
    const job = await this.requireJob(id);
    if (job.kind !== "recovery") throw badRequestError(`Job ${job.id} is a difference report; its changes are read with getChanges.`);
    const page = await readChangeOutcomes(this.deps.store, this.tenantId, job.id, { afterSeq, limit: top + 1, ...(only ? { only } : {}) });
    const more = page.length > top;
    const changes = more ? page.slice(0, top) : page;
    return { changes, nextCursor: more ? String(changes[changes.length - 1]!.change.seq) : null };
  }

  /** Asks for a recovery of a finished report's changes (all, or a scope of them); an administrator approves it. */
  async requestRecovery(actor: Actor, input: { reportId: unknown; scope?: unknown }): Promise<RecoveryRequest> {
    await this.access.require(actor.userId, "requestRecovery");
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
    await this.access.require(actor.userId, "listJobs");
    return this.requireRequest(checkId(requestId, "recovery request"));
  }

  /**
   * Approves a pending recovery request and starts its recovery job. The approval names the report and its
   * change digest as the approver saw them: a card for other changes, an expired request or a report that no
   * longer has those changes is refused.
   */
  async startRecovery(approver: Actor, input: { requestId: unknown; reportId?: unknown; digest?: unknown }): Promise<Job> {
    await this.access.require(approver.userId, "approveRecovery");
    const request = await this.requirePending(checkId(input.requestId, "recovery request"));
    if (this.settings.requireSecondApprover && request.requestedBy === approver.userId) {
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
        { id: jobId, kind: "recovery", backupId: request.backupId, scope: request.scope, reportId: report.id, approvedBy: approver.userId, recoveryRequestId: request.id },
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
    await this.access.require(approver.userId, "approveRecovery");
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
    await this.access.require(actor.userId, "cancelJob");
    const job = await this.requireJob(checkId(jobId, "job"));
    if (isTerminal(job.state)) throw badRequestError(`Job ${job.id} has already ended (${job.state}); there is nothing to cancel.`);
    const marked = await this.deps.store.requestCancel(this.tenantId, job.id, actor.userId);
    if (!marked) throw unknownJobError();
    await this.audit(actor.userId, "jobCancelRequested", job.id, { kind: job.kind });
    this.runner.submit(marked); // a job no process has claimed yet is closed at once
    return marked;
  }

  /** The acting user's roles and what they allow (anyone may ask; no role is an answer, not an error). */
  async whoAmI(actor: Actor): Promise<{ userId: string; roles: Role[]; permissions: Permission[] }> {
    const roles = await this.access.rolesOf(actor.userId);
    const permissions = PERMISSIONS.filter((p) => allows(roles, p));
    return { userId: actor.userId, roles: [...roles].sort(), permissions };
  }

  /** Whether the user may do this now (to show or hide a button; every call still checks). False when roles cannot be read. */
  async can(actor: Actor, permission: Permission): Promise<boolean> {
    try {
      return allows(await this.access.rolesOf(actor.userId), permission);
    } catch {
      return false;
    }
  }

  /** The audit trail, newest first. */
  async listAudit(actor: Actor, options: { since?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    await this.access.require(actor.userId, "readAudit");
    return this.deps.store.listAudit(this.tenantId, { ...(options.since ? { since: options.since } : {}), limit: checkTop(options.limit) });
  }

  private async createJob(
    actor: Actor,
    spec: { id?: string; kind: JobKind; backupId: string; scope: Scope; reportId?: string; approvedBy?: string; recoveryRequestId?: string },
  ): Promise<Job> {
    const { id, ...rest } = spec;
    const job: Job = {
      tenantId: this.tenantId,
      id: id ?? randomUUID(),
      ...rest,
      state: "queued",
      requestedBy: actor.userId,
      createdAt: this.deps.clock.now().toISOString(),
      progress: { done: 0, total: null, estimatedCompletionAt: null },
      attempts: 0,
      cancelRequested: false,
      version: 1,
    };
    try {
      await this.deps.store.createJob(job);
    } catch (err) {
      if (err instanceof StoreConflictError) throw jobInProgressError((await this.runningJob().catch(() => null)) ?? undefined);
      throw err;
    }
    await this.audit(spec.approvedBy ?? actor.userId, "jobStarted", job.id, { kind: job.kind, backupId: job.backupId, reportId: job.reportId ?? null });
    this.runner.submit(job);
    return job;
  }

  private async runningJob(): Promise<Job | null> {
    return (await this.deps.store.listJobs(this.tenantId)).find((j) => !isTerminal(j.state)) ?? null;
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
    const job = await this.deps.store.getJob(this.tenantId, id);
    if (!job) throw unknownJobError();
    return job;
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
