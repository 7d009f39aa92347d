import { CardFactory, MessageFactory, type CloudAdapter, type ConversationReference, type TurnContext } from "botbuilder";
import type { Logger } from "pino";
import { sleep } from "../../lib/async";
import { withDeadline } from "../../lib/deadline";
import { backoffMs } from "../../lib/retry";
import type { Clock } from "../../core/engine";
import type { ConversationStore } from "../conversations/conversation-store";
import { RETRYABLE_STATUSES, sendFailure } from "./send-errors";

/** Longest wait between two tries that Teams did not time itself (a Retry-After header wins). */
const MAX_BACKOFF_MS = 30_000;

/** An Adaptive Card as JSON. */
export type CardJson = Readonly<Record<string, unknown>>;

/** Sending tuning; tests shorten the waits. */
export interface SenderOptions {
  /** Tries per send, the first included (default 5). */
  readonly attempts?: number;
  /** First backoff; doubles each retry, with jitter (default 1 s). A Retry-After header wins. */
  readonly backoffMs?: number;
  /** Least time between two sends to one conversation: Teams allows 7 per second (default 150 ms). */
  readonly spacingMs?: number;
  /**
   * Most time one try may take, however it hangs (default 60 s): each call to the Bot Connector has its own
   * timeout already, but a try also gets the bot's token and may be retried by the SDK; a try past this fails
   * without a retry (it may have landed), and the conversation's queue moves on.
   */
  readonly attemptTimeoutMs?: number;
}

/**
 * Posts and updates cards in conversations outside a turn (alerts, progress), from the stored conversation
 * reference. Retries what Teams asks to retry, paces each conversation under its rate limit, and marks a
 * conversation stale on a 403 (the bot was removed or blocked) so nothing more is sent there.
 * The SDK's connector client already retries 5xx and a 429 with Retry-After three times (a few seconds);
 * these retries come on top, for longer throttling and for a 429 or 412 it passes straight up.
 */
export class ProactiveSender {
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly spacingMs: number;
  private readonly attemptTimeoutMs: number;

  constructor(
    private readonly adapter: CloudAdapter,
    /** The bot's app id (empty in local mode). */
    private readonly appId: string,
    private readonly store: ConversationStore,
    private readonly tenantId: string,
    private readonly clock: Clock,
    private readonly log: Logger,
    options: SenderOptions = {},
  ) {
    this.attempts = options.attempts ?? 5;
    this.backoffMs = options.backoffMs ?? 1000;
    this.spacingMs = options.spacingMs ?? 150;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 60_000;
  }

  /** Posts a card as a new message; returns its activity id, or null when the conversation is unknown or stale. */
  async post(conversationId: string, card: CardJson): Promise<string | null> {
    return this.send(conversationId, "post", async (reference) => {
      let id: string | null = null;
      await this.continueWith(reference, async (turnContext) => {
        const sent = await turnContext.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
        id = sent?.id ?? null;
      });
      return id;
    });
  }

  /** Replaces a posted card in place; false when the conversation is unknown or stale. */
  async update(conversationId: string, activityId: string, card: CardJson): Promise<boolean> {
    const done = await this.send(conversationId, "update", async (reference) => {
      await this.continueWith(reference, async (turnContext) => {
        await turnContext.updateActivity({ ...MessageFactory.attachment(CardFactory.adaptiveCard(card)), id: activityId });
      });
      return true;
    });
    return done === true;
  }

  /**
   * Runs `logic` in a proactive turn and rethrows its failure here: the adapter would otherwise hand it to
   * `onTurnError`, and a refused or throttled send would look delivered.
   */
  private async continueWith(reference: Partial<ConversationReference>, logic: (turnContext: TurnContext) => Promise<void>): Promise<void> {
    let failure: { error: unknown } | null = null;
    await this.adapter.continueConversationAsync(this.appId, reference, async (turnContext) => {
      try {
        await logic(turnContext);
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw (failure as { error: unknown }).error;
  }

  private async send<T>(conversationId: string, what: string, op: (reference: Partial<ConversationReference>) => Promise<T>): Promise<T | null> {
    const record = await this.store.getConversation(this.tenantId, conversationId);
    if (!record) {
      this.log.warn({ conversationId, what }, "no conversation reference stored; the bot was never talked to there");
      return null;
    }
    if (record.stale) {
      this.log.info({ conversationId, what, reason: record.stale.reason }, "conversation is stale; not sending");
      return null;
    }
    const reference = record.reference as Partial<ConversationReference>;
    return this.paced(conversationId, () => this.withRetries(conversationId, what, () => op(reference)));
  }

  /** One send at a time per conversation, at least `spacingMs` apart. */
  private paced<T>(conversationId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(conversationId) ?? Promise.resolve();
    const next = previous.then(
      () => fn(),
      () => fn(),
    );
    const settled = next.then(
      () => sleep(this.spacingMs),
      () => sleep(this.spacingMs),
    );
    this.queues.set(conversationId, settled);
    void settled.then(() => {
      if (this.queues.get(conversationId) === settled) this.queues.delete(conversationId);
    });
    return next;
  }

  private async withRetries<T>(conversationId: string, what: string, fn: () => Promise<T>): Promise<T | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await withDeadline(fn(), this.attemptTimeoutMs, () => new SendTimeoutError(this.attemptTimeoutMs));
      } catch (err) {
        const failure = sendFailure(err);
        if (failure.status === 403) {
          const reason = failure.code ?? "Forbidden";
          this.log.warn({ conversationId, what, code: failure.code }, "Teams refused the send (403); marking the conversation stale");
          await this.store.markConversationStale(this.tenantId, conversationId, reason, this.clock.now().toISOString());
          return null;
        }
        if (failure.status === null || !RETRYABLE_STATUSES.has(failure.status) || attempt >= this.attempts) {
          this.log.error({ conversationId, what, status: failure.status, attempt, err }, "send to Teams failed");
          throw err;
        }
        const wait = failure.retryAfterMs ?? backoffMs({ maxRetries: this.attempts - 1, baseDelayMs: this.backoffMs, maxDelayMs: MAX_BACKOFF_MS }, attempt - 1);
        this.log.info({ conversationId, what, status: failure.status, attempt, wait }, "Teams asked to retry the send");
        await sleep(wait);
      }
    }
  }
}

/** A send try that outlasted `attemptTimeoutMs` (no HTTP status: it is not retried). */
export class SendTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`The Bot Connector did not answer within ${timeoutMs} ms.`);
    this.name = "SendTimeoutError";
  }
}
