import type { Logger } from "pino";
import { JOB_RETENTION_DAYS, type Clock } from "../../core/engine";
import type { ConversationStore } from "./conversation-store";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * Days posted cards and alert claims are kept: as long as the jobs they are about, plus a day (a job can run
 * long after its card was posted, and its alert claim must outlive any sweep that could send it again).
 */
export const CONVERSATION_STATE_RETENTION_DAYS = JOB_RETENTION_DAYS + 1;

/**
 * The bot's own clean-up, on its own timer: removes this tenant's posted cards and alert claims past their
 * retention (never another tenant's: a deployment sharing the store keeps its own). Conversations stay:
 * they are removed when the bot is uninstalled.
 */
export class ConversationCleanup {
  private stopTimer?: () => void;
  private stopped = true;
  /** The pass under way (or the last one), so a stop waits for it before the store closes. */
  private pass: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: ConversationStore,
    private readonly tenantId: string,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly everyMs: number = HOUR_MS,
  ) {}

  /**
   * Cleans up now, then every `everyMs`. The returned promise settles once the first pass is done; the bot does
   * not wait for it to start taking turns.
   */
  start(): Promise<void> {
    this.stopped = false;
    const schedule = (): void => {
      if (!this.stopped) this.stopTimer = this.clock.setTimer(this.everyMs, () => void (this.pass = this.runOnce().finally(schedule)));
    };
    const first = this.runOnce().then(() => undefined);
    this.pass = first.finally(schedule);
    return first;
  }

  /** Stops the timer and waits for a pass under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopTimer?.();
    await this.pass;
  }

  /** One pass; how many cards and claims went (a failure is logged, and the next pass tries again). */
  async runOnce(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - CONVERSATION_STATE_RETENTION_DAYS * DAY_MS).toISOString();
    try {
      return await this.store.purgeConversationState(this.tenantId, before);
    } catch (err) {
      this.log.error({ err }, "clean-up of posted cards and alert claims failed");
      return 0;
    }
  }
}
