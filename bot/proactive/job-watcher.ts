import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { sleepUnlessAborted } from "../../lib/async";
import type { Clock } from "../../core/engine";
import { isTerminal, type Job } from "../../core/model/job";
import { newReference, publicFailureText } from "../../core/model/public-failure";
import { SYSTEM_ACTOR, type JobView, type Rewind } from "../../core/rewind";
import type { BotConfig } from "../bot-config";
import type { ConversationRecord, PostedCard } from "../conversations/conversation";
import type { ConversationStore } from "../conversations/conversation-store";
import { backupResultView, JOB_CARD_SIZES, jobCardView, jobProgressView, type ViewContext } from "../views";
import { jobFingerprint, jobSubject } from "./fingerprint";
import type { CardJson, ProactiveSender } from "./proactive-sender";

/** Watcher tuning; tests shorten the periods. */
export interface WatcherOptions {
  /** How often running jobs' cards are checked for an update (default 5 s; each card still waits its interval). */
  readonly tickMs?: number;
  /** How often recently finished jobs are checked for an alert not yet sent (default 30 s). */
  readonly sweepMs?: number;
  /** A claim on an alert older than this is taken over (its process died mid-send; default 2 min). */
  readonly claimStaleMs?: number;
}

/** Whether a person is a Rewind administrator now (may take backups); false when it cannot be told. */
export type AdministratorCheck = (userId: string) => Promise<boolean>;

/** Finished jobs are swept for unsent alerts this far back. */
const SWEEP_WINDOW_MS = 86_400_000;

/**
 * Follows jobs for the chat: updates each job's progress card in place as it advances (at most once per
 * card per `cardUpdateMs`, claimed in the store so replicas do not double up), and when a job ends sends its
 * result card to every conversation that followed it and to the alerts conversation, exactly once per
 * conversation (claimed in the store; a sweep finds what a dead process left unsent). Jobs are read through the
 * engine's façade as the system (which may read, never write). Only the configured tenant's jobs: another
 * deployment sharing the store alerts its own.
 */
export class JobWatcher {
  private readonly owner = `watcher-${randomUUID()}`;
  private readonly tickMs: number;
  private readonly sweepMs: number;
  private readonly claimStaleMs: number;
  private stopTick?: () => void;
  private stopSweep?: () => void;
  private readonly running = new Set<Promise<unknown>>();
  /** Aborted by stop(): waits under way (a final update waiting out its interval) end at once. */
  private stopping = new AbortController();
  private stopped = false;

  constructor(
    private readonly rewind: Rewind,
    private readonly conversations: ConversationStore,
    private readonly sender: ProactiveSender,
    private readonly config: BotConfig,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** Who may hear of a failed scheduled backup in their own chat (checked at send time, never from stored data). */
    private readonly isAdministrator: AdministratorCheck,
    options: WatcherOptions = {},
  ) {
    this.tickMs = options.tickMs ?? 5_000;
    this.sweepMs = options.sweepMs ?? 30_000;
    this.claimStaleMs = options.claimStaleMs ?? 120_000;
  }

  start(): void {
    this.stopped = false;
    if (this.stopping.signal.aborted) this.stopping = new AbortController();
    const tick = (): void => {
      this.track(this.updateProgressCards()).finally(() => {
        if (!this.stopped) this.stopTick = this.clock.setTimer(this.tickMs, tick);
      });
    };
    const sweep = (): void => {
      this.track(this.sweepFinished()).finally(() => {
        if (!this.stopped) this.stopSweep = this.clock.setTimer(this.sweepMs, sweep);
      });
    };
    this.stopTick = this.clock.setTimer(this.tickMs, tick);
    sweep();
  }

  /** Stops the timers and waits for sends under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopTick?.();
    this.stopSweep?.();
    this.stopping.abort(new Error("watcher stopped before the final update"));
    await Promise.allSettled([...this.running]);
  }

  /** The engine's event: a job ended here. */
  jobFinished(job: Job): void {
    void this.track(this.deliverFinished(job));
  }

  /**
   * A scheduled backup failed: the alerts conversation hears of it, or, without one, the personal chats of
   * people who are administrators now. Readers and people with no role never do.
   */
  backupFailed(error: unknown): void {
    void this.track(this.deliverBackupFailure(error));
  }

  private track<T>(p: Promise<T>): Promise<void> {
    const guarded = p.then(
      () => undefined,
      (err: unknown) => this.log.error({ err }, "job watcher step failed"),
    );
    this.running.add(guarded);
    void guarded.finally(() => this.running.delete(guarded));
    return guarded;
  }

  /** One pass over running jobs: re-send each progress card whose content changed and whose interval passed. */
  async updateProgressCards(): Promise<void> {
    const view = await this.rewind.activeJob(SYSTEM_ACTOR);
    if (!view) return;
    const { job } = view;
    const fingerprint = jobFingerprint(job);
    for (const card of await this.conversations.listPostedCards(this.config.tenantId, jobSubject(job.id))) {
      if (!card.activityId || card.fingerprint === fingerprint) continue;
      if (this.clock.now().getTime() - Date.parse(card.updatedAt) < this.config.cardUpdateMs) continue;
      await this.updateCard(card, fingerprint, async () => jobCardView(view, await this.viewContext(card.conversationId)));
    }
  }

  /** Updates one card if this process wins its claim (compare-and-set on its last update time). */
  private async updateCard(card: PostedCard, fingerprint: string, render: () => CardJson | Promise<CardJson>): Promise<void> {
    if (!card.activityId) return;
    const won = await this.conversations.touchPostedCard(card.tenantId, card.subject, card.conversationId, card.activityId, card.updatedAt, {
      updatedAt: this.clock.now().toISOString(),
      fingerprint,
    });
    if (won) await this.sender.update(card.conversationId, card.activityId, await render());
  }

  /** Sends what recently finished jobs still owe (after a restart, or a send that failed). */
  async sweepFinished(): Promise<void> {
    const since = this.clock.now().getTime() - SWEEP_WINDOW_MS;
    const jobs = await this.rewind.listJobs(SYSTEM_ACTOR);
    for (const job of jobs) {
      if (!isTerminal(job.state) || !job.completedAt || Date.parse(job.completedAt) < since) continue;
      await this.deliverFinished(job);
    }
  }

  /** Result card to each follower conversation and the alerts conversation, once each; progress cards show the end. */
  async deliverFinished(job: Job): Promise<void> {
    if (job.tenantId !== this.config.tenantId) {
      this.log.error({ jobId: job.id, jobTenantId: job.tenantId }, "refused to alert about another tenant's job");
      return;
    }
    const cards = await this.conversations.listPostedCards(this.config.tenantId, jobSubject(job.id));
    const conversations = new Set(cards.map((c) => c.conversationId));
    if (this.config.alertsConversationId) conversations.add(this.config.alertsConversationId);
    if (conversations.size === 0) return;
    const fingerprint = jobFingerprint(job);
    // The card that tells how the job ended, read as the system (alerts have no viewer): once, when the first
    // claim is won, whatever the number of conversations.
    let view: Promise<JobView> | undefined;
    for (const conversationId of conversations) {
      const key = `job:${job.id}:finished:${conversationId}`;
      if (!(await this.claim(key))) continue;
      try {
        view ??= this.rewind.viewJob(SYSTEM_ACTOR, { job }, JOB_CARD_SIZES);
        await this.sender.post(conversationId, jobCardView(await view, await this.viewContext(conversationId)));
        await this.conversations.completeAlert(this.config.tenantId, key, this.owner, this.clock.now().toISOString());
      } catch (err) {
        this.log.warn({ err, jobId: job.id, conversationId }, "could not send a job's result; it is retried by the next sweep");
        view = undefined; // a failed read is read again for the next conversation
        await this.conversations.releaseAlert(this.config.tenantId, key, this.owner);
        continue;
      }
      // The result went out once; the progress cards there now show the end (best effort: a card that misses
      // it still says where the job was, and the result card says how it ended).
      // In the background: a card updated moments ago waits out its interval, which must not hold up the next conversation.
      for (const card of cards) {
        if (card.conversationId !== conversationId || !card.activityId || card.fingerprint === fingerprint) continue;
        void this.track(this.finalUpdate(card, job, fingerprint).catch((err: unknown) => this.log.info({ err, jobId: job.id }, "progress card not updated to the job's end")));
      }
    }
  }

  /** The final state must show even if the card was just updated: wait out its interval, then update. */
  private async finalUpdate(card: PostedCard, job: Job, fingerprint: string): Promise<void> {
    const wait = Date.parse(card.updatedAt) + this.config.cardUpdateMs - this.clock.now().getTime();
    // Stopping leaves the card as it is; the next process's sweep finishes the job's alerts.
    if (wait > 0) await sleepUnlessAborted(wait, this.stopping.signal);
    if (this.stopped) throw new Error("watcher stopped before the final update");
    const fresh = (await this.conversations.listPostedCards(card.tenantId, card.subject)).find((c) => c.conversationId === card.conversationId && c.activityId === card.activityId);
    if (fresh && fresh.fingerprint !== fingerprint) await this.updateCard(fresh, fingerprint, async () => jobProgressView(job, await this.viewContext(card.conversationId), { canCancel: false }));
  }

  private async deliverBackupFailure(error: unknown): Promise<void> {
    const at = this.clock.now();
    const reference = newReference();
    this.log.error({ err: error, reference }, "a scheduled backup failed");
    const card = backupResultView({ state: "failed", error: publicFailureText(error, reference), requestedBy: "system" }, await this.viewContext());
    const targets = new Set<string>();
    if (this.config.alertsConversationId) targets.add(this.config.alertsConversationId);
    else {
      // No alerts channel: the own chats of administrators (they must learn that backups stopped), nobody else's.
      for (const c of await this.conversations.listConversations(this.config.tenantId)) {
        if (c.conversationType === "personal" && !c.stale && (await this.administratorsOnly(c))) targets.add(c.conversationId);
      }
    }
    for (const conversationId of targets) {
      const key = `backup-failed:${at.toISOString().slice(0, 16)}:${conversationId}`;
      if (!(await this.claim(key))) continue;
      try {
        await this.sender.post(conversationId, card);
        await this.conversations.completeAlert(this.config.tenantId, key, this.owner, this.clock.now().toISOString());
      } catch (err) {
        this.log.warn({ err, conversationId }, "could not send a backup failure alert");
        await this.conversations.releaseAlert(this.config.tenantId, key, this.owner);
      }
    }
  }

  /** A personal chat whose every member seen there is an administrator now (one nobody was seen in: no). */
  private async administratorsOnly(conversation: ConversationRecord): Promise<boolean> {
    if (conversation.members.length === 0) return false;
    for (const m of conversation.members) if (!(await this.isAdministrator(m.userId).catch(() => false))) return false;
    return true;
  }

  private claim(key: string): Promise<boolean> {
    const now = this.clock.now();
    return this.conversations.claimAlert(this.config.tenantId, key, this.owner, now.toISOString(), new Date(now.getTime() - this.claimStaleMs).toISOString());
  }

  /** Names people as the conversation knows them (alerts have no turn to learn them from). */
  private async viewContext(conversationId?: string): Promise<ViewContext> {
    const names = new Map<string, string>();
    const record = conversationId ? await this.conversations.getConversation(this.config.tenantId, conversationId) : null;
    for (const m of record?.members ?? []) if (m.name) names.set(m.userId, m.name);
    return { now: this.clock.now(), names };
  }
}
