import type { Logger } from "pino";
import { sleep } from "../../lib/async";
import type { Clock } from "../../core/engine";
import type { ObjectType } from "../../core/model/catalog";
import { isTerminal, type Job, type Scope } from "../../core/model/job";
import { newReference, publicFailureText } from "../../core/model/public-failure";
import type { RecoveryRequest } from "../../core/model/recovery-request";
import { SYSTEM_ACTOR, type Actor, type Rewind } from "../../core/rewind";
import type { BotConfig } from "../bot-config";
import type { ConversationStore } from "../conversations/conversation-store";
import { jobFingerprint, jobSubject, requestSubject } from "../proactive/fingerprint";
import type { CardJson, ProactiveSender } from "../proactive/proactive-sender";
import {
  backupListView,
  backupResultView,
  changesPageView,
  JOB_CARD_SIZES,
  jobCardView,
  JOBS_PER_PAGE,
  jobsListView,
  recoveryConfirmationView,
  whoAmIView,
  type ViewContext,
} from "../views";
import { resultsPage, type ChangeFilters } from "./change-pages";
import type { Turn, Who } from "./turn";

/** What the chat use cases need. */
export interface ChatDeps {
  readonly rewind: Rewind;
  /** Where the cards that follow a job or a request are recorded. */
  readonly conversations: ConversationStore;
  readonly sender: ProactiveSender;
  readonly config: BotConfig;
  readonly clock: Clock;
  readonly log: Logger;
  /** Called when a job's card is posted after the job already ended (its alert may have gone out without it). */
  readonly onLateCard?: (job: Job) => void;
}

/** Examples of excluded and of security-sensitive changes a request card shows. */
const EXAMPLES = 5;
/** Most Teams ids a card's refresh may name (Teams' limit). */
const MAX_REFRESH_USERS = 60;
/** How long `backup now` waits before answering "under way" and reporting back later. */
const BACKUP_QUICK_MS = 1500;

/**
 * The chat's use cases, shared by typed commands and card clicks: each calls the engine's façade as the
 * acting user (who is checked there, every time), renders the answer, and posts and tracks the cards that
 * follow a job or a recovery request. No domain rules here.
 */
export class ChatActions {
  constructor(private readonly deps: ChatDeps) {}

  private actor(who: Who): Actor {
    return { userId: who.userId };
  }

  /** What this turn's cards are rendered with: the time now, and the names people go by in this conversation. */
  viewContext(turn: Pick<Turn, "names">): ViewContext {
    return { now: this.deps.clock.now(), names: turn.names };
  }

  async whoAmI(turn: Turn): Promise<CardJson> {
    const me = await this.deps.rewind.whoAmI(this.actor(turn.who));
    return whoAmIView({ ...me, ...(turn.who.name ? { name: turn.who.name } : {}), tenantId: this.deps.config.tenantId });
  }

  async backups(turn: Turn, page: number, notice?: string): Promise<CardJson> {
    const list = await this.deps.rewind.listBackups(this.actor(turn.who));
    return backupListView(list, this.viewContext(turn), { page, ...(notice ? { notice } : {}) });
  }

  /**
   * Takes a backup. A quick one is answered with its result; a long one gets an "under way" card at once, which
   * is updated (and followed by a result message) when the capture ends. Role refusals come back at once.
   */
  async backupNow(turn: Turn): Promise<CardJson | null> {
    const requestedBy = turn.who.userId;
    const settled = this.deps.rewind.takeBackup(this.actor(turn.who)).then(
      (summary) => ({ ok: true as const, summary }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    const quick = await Promise.race([settled, sleep(BACKUP_QUICK_MS).then(() => null)]);
    if (quick) {
      if (!quick.ok) throw quick.error;
      return backupResultView({ state: "completed", summary: quick.summary, requestedBy }, this.viewContext(turn));
    }
    const activityId = await turn.post(backupResultView({ state: "running", requestedBy }, this.viewContext(turn)));
    const conversationId = turn.conversationId;
    void settled
      .then(async (result) => {
        let card: CardJson;
        if (result.ok) {
          card = backupResultView({ state: "completed", summary: result.summary, requestedBy }, this.viewContext(turn));
        } else {
          // The chat gets Rewind's or Graph's own words, or a reference to the log entry holding the detail.
          const reference = newReference();
          turn.log.error({ err: result.error, reference }, "on-demand backup failed");
          card = backupResultView({ state: "failed", error: publicFailureText(result.error, reference), requestedBy }, this.viewContext(turn));
        }
        if (activityId) await this.deps.sender.update(conversationId, activityId, card);
        await this.deps.sender.post(conversationId, card);
      })
      .catch((err: unknown) => turn.log.error({ err }, "could not report the backup's end"));
    return null;
  }

  /** Starts a difference report (of a backup id, or "latest": the engine picks the newest) and posts its progress card. */
  async startReport(turn: Turn, input: { backupId: string; types?: readonly ObjectType[]; ids?: readonly string[]; attributes?: readonly string[] }): Promise<Job> {
    const scope: Scope = { ...scopeOf(input), ...(input.attributes ? { attributes: input.attributes } : {}) };
    const job = await this.deps.rewind.startDifferenceReport(this.actor(turn.who), { backupId: input.backupId, scope });
    await this.postJobCard(turn, { job });
    return job;
  }

  /**
   * Posts a job's card in this conversation (a job id, read with the card, or a job the engine just returned);
   * while the job runs, the card is followed and updated in place.
   */
  async postJobCard(turn: Turn, target: { jobId: string } | { job: Job }): Promise<void> {
    const view = await this.deps.rewind.viewJob(this.actor(turn.who), target, JOB_CARD_SIZES);
    const { job } = view;
    const activityId = await turn.post(jobCardView(view, this.viewContext(turn)));
    if (isTerminal(job.state)) return;
    await this.track(jobSubject(job.id), turn.conversationId, activityId, jobFingerprint(job));
    // The job may have ended between its start and this record: make sure its end is reported here too.
    await this.reportIfEnded(job.id);
  }

  /** The card that shows a job to this turn's user (progress, summary or result): one call to the engine. */
  async jobCard(turn: Turn, target: { jobId: string } | { job: Job }): Promise<CardJson> {
    return jobCardView(await this.deps.rewind.viewJob(this.actor(turn.who), target, JOB_CARD_SIZES), this.viewContext(turn));
  }

  async jobs(turn: Turn, input: { backupId?: string; page: number }): Promise<CardJson> {
    const all = await this.deps.rewind.listJobs(this.actor(turn.who), input.backupId ? { backupId: input.backupId } : {});
    const start = (input.page - 1) * JOBS_PER_PAGE;
    return jobsListView(
      { jobs: all.slice(start, start + JOBS_PER_PAGE), page: input.page, hasNext: all.length > start + JOBS_PER_PAGE, ...(input.backupId ? { backupId: input.backupId } : {}) },
      this.viewContext(turn),
    );
  }

  /** A page of a report's changes, or of a recovery's outcomes. */
  async changes(turn: Turn, input: { jobId: string; page: number } & ChangeFilters): Promise<CardJson> {
    const filters: ChangeFilters = { ...(input.type ? { type: input.type } : {}), ...(input.action ? { action: input.action } : {}), ...(input.outcome ? { outcome: input.outcome } : {}) };
    const read = await resultsPage(this.deps.rewind, this.actor(turn.who), input.jobId, input.page, filters);
    const page = { page: input.page, hasNext: read.hasNext, filters };
    return read.kind === "changes"
      ? changesPageView({ job: read.job, changes: read.changes, ...page }, this.viewContext(turn))
      : changesPageView({ job: read.job, outcomes: read.outcomes, ...page }, this.viewContext(turn));
  }

  async cancel(turn: Turn, jobId: string): Promise<Job> {
    return this.deps.rewind.cancelJob(this.actor(turn.who), jobId);
  }

  /**
   * Asks for a recovery: the request card goes to this conversation (and the alerts conversation, so other
   * administrators see it), followed so a decision updates every copy.
   */
  async requestRecovery(turn: Turn, reportId: string, only: { types?: readonly ObjectType[]; ids?: readonly string[] } = {}): Promise<RecoveryRequest> {
    const request = await this.deps.rewind.requestRecovery(this.actor(turn.who), { reportId, scope: scopeOf(only) });
    const card = await this.confirmationCard(turn, request.id, "everyone");
    const activityId = await turn.post(card);
    await this.trackRequestCard(request, turn.conversationId, activityId);
    const alerts = this.deps.config.alertsConversationId;
    if (alerts && alerts !== turn.conversationId) {
      const copy = await this.deps.sender.post(alerts, card).catch((err: unknown) => {
        turn.log.warn({ err }, "could not post the recovery request to the alerts conversation");
        return null;
      });
      if (copy) await this.trackRequestCard(request, alerts, copy);
    }
    return request;
  }

  /** The request card as this viewer should see it (Approve and Reject only for those who may decide): one call to the engine. */
  async viewRequest(turn: Turn, input: { requestId: string }): Promise<CardJson> {
    return this.confirmationCard(turn, input.requestId, "clicker");
  }

  /**
   * Approves: the engine checks the approver, the binding (report and digest) and expiry, and starts the job.
   * Then, in the background, every copy of the request card shows the decision and the recovery's progress
   * card is posted here; the click is answered at once.
   */
  async approve(turn: Turn, input: { requestId: string; reportId: string; digest: string }): Promise<CardJson> {
    const actor = this.actor(turn.who);
    const job = await this.deps.rewind.startRecovery(actor, input);
    const decided = await this.confirmationCard(turn, input.requestId, "everyone");
    void this.afterDecision(turn, input.requestId, decided, job).catch((err: unknown) => turn.log.error({ err }, "could not update the request's cards after approval"));
    return decided;
  }

  async reject(turn: Turn, input: { requestId: string; reportId: string; digest: string }): Promise<CardJson> {
    const actor = this.actor(turn.who);
    const request = await this.deps.rewind.rejectRecovery(actor, input);
    const decided = await this.confirmationCard(turn, request.id, "everyone");
    void this.afterDecision(turn, request.id, decided, null).catch((err: unknown) => turn.log.error({ err }, "could not update the request's cards after rejection"));
    return decided;
  }

  private async afterDecision(turn: Turn, requestId: string, decided: CardJson, job: Job | null): Promise<void> {
    const copies = await this.deps.conversations.listPostedCards(this.deps.config.tenantId, requestSubject(requestId));
    for (const copy of copies) {
      if (copy.activityId) await this.deps.sender.update(copy.conversationId, copy.activityId, decided).catch((err: unknown) => turn.log.warn({ err, conversationId: copy.conversationId }, "could not update a request card"));
    }
    if (!job) return;
    // The recovery's progress card goes where it was approved; every conversation that held the request follows it.
    const card = await this.jobCard(turn, { job });
    const activityId = await this.deps.sender.post(turn.conversationId, card);
    const conversations = new Set([turn.conversationId, ...copies.map((c) => c.conversationId)]);
    for (const conversationId of conversations) {
      await this.track(jobSubject(job.id), conversationId, conversationId === turn.conversationId ? activityId : null, jobFingerprint(job));
    }
    await this.reportIfEnded(job.id);
  }

  /** A job that ended before its card was recorded: its end is reported (read as the system: bookkeeping, not a user's read). */
  private async reportIfEnded(jobId: string): Promise<void> {
    const fresh = await this.deps.rewind.getJob(SYSTEM_ACTOR, jobId).catch(() => null);
    if (fresh && isTerminal(fresh.state)) this.deps.onLateCard?.(fresh);
  }

  private async trackRequestCard(request: RecoveryRequest, conversationId: string, activityId: string | null): Promise<void> {
    await this.track(requestSubject(request.id), conversationId, activityId, request.state);
  }

  /** Records a card posted about `subject` (null activity: the conversation follows it without a card of its own). */
  private async track(subject: string, conversationId: string, activityId: string | null, fingerprint: string): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    await this.deps.conversations.addPostedCard({ tenantId: this.deps.config.tenantId, subject, conversationId, activityId, postedAt: now, updatedAt: now, fingerprint });
  }

  /**
   * The request card, read in one call to the engine. `clicker`: as this turn's user sees it (Approve and
   * Reject only when they may decide it); `everyone`: the copy every conversation shows. The people seen in this
   * conversation who may approve it are named in the card's refresh, so each of them sees the buttons.
   */
  private async confirmationCard(turn: Turn, requestId: string, audience: "clicker" | "everyone"): Promise<CardJson> {
    const view = await this.deps.rewind.viewRecoveryRequest(this.actor(turn.who), requestId, {
      examples: EXAMPLES,
      approversAmong: [...turn.members.keys()],
      maxApprovers: MAX_REFRESH_USERS,
    });
    const { request } = view;
    const isRequester = request.requestedBy === turn.who.userId;
    const viewer = audience === "everyone" ? "viewer" : view.canApprove ? "approver" : isRequester ? "requester" : "viewer";
    return recoveryConfirmationView(
      {
        request,
        report: view.report,
        excluded: view.excluded,
        viewer,
        approverChannelIds: view.approvers.map((userId) => turn.members.get(userId)).filter((id): id is string => id !== undefined),
        sensitive: view.sensitive,
        running: view.running,
        canCancel: view.canCancel,
        requireSecondApprover: view.requireSecondApprover,
      },
      this.viewContext(turn),
    );
  }
}

/** A command's `type=` / `id=` as a scope (the parser lets `id=` through only with exactly one type). */
function scopeOf(input: { types?: readonly ObjectType[]; ids?: readonly string[] }): Scope {
  if (input.ids && input.types?.length === 1) return { objects: [{ type: input.types[0]!, ids: input.ids }] };
  return input.types ? { types: input.types } : {};
}
