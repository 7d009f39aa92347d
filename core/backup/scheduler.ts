import type { Logger } from "pino";
import type { BackupSummary } from "../model/backup";
import type { BackupStore, Clock, Directory } from "../ports";
import { captureBackup } from "./capture";
import { applyBackupRetention } from "./retention";

/** Schedule settings (BACKUP_INTERVAL_HOURS, BACKUP_RETENTION_DAYS). */
export interface BackupSchedule {
  readonly tenantId: string;
  readonly intervalHours: number;
  readonly retentionDays: number;
  /** Wait before trying again after a failed scheduled backup (capped by the interval). */
  readonly retryAfterFailureMs?: number;
}

/** Told when a scheduled backup fails (alerts) or completes. */
export interface BackupEvents {
  onCompleted?(summary: BackupSummary): void;
  onFailed?(error: unknown): void;
}

const HOUR_MS = 3_600_000;
/** A capture unfinished this long after it began is dead (a million objects take minutes, not hours). */
export const STALE_CAPTURE_MS = 2 * HOUR_MS;

/**
 * Takes a backup at start and then every interval, and on demand. One capture at a time per scheduler: an
 * on-demand request during a running capture gets that capture's result rather than a second read of the
 * whole tenant. After every backup, retention removes what aged out.
 */
export class BackupScheduler {
  private running: Promise<BackupSummary> | undefined;
  private cancelTimer: (() => void) | undefined;
  private stopped = true;

  constructor(
    private readonly deps: { directory: Directory; store: BackupStore; clock: Clock; log: Logger },
    private readonly schedule: BackupSchedule,
    private readonly events: BackupEvents = {},
  ) {
    if (!(schedule.intervalHours > 0)) throw new Error("BACKUP_INTERVAL_HOURS must be a positive number.");
    if (!(schedule.retentionDays > 0)) throw new Error("BACKUP_RETENTION_DAYS must be a positive number.");
  }

  /** Abandons captures a dead process left unfinished, takes the first backup now, then keeps the schedule. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.abandonStale();
    this.tick();
  }

  /**
   * Removes unfinished captures begun more than STALE_CAPTURE_MS ago (a backup's id is its start time). A
   * younger one may be another replica's capture under way, sharing the store, so it is left alone; a later
   * run removes it if it never completes.
   */
  private async abandonStale(): Promise<void> {
    const cutoff = this.deps.clock.now().getTime() - STALE_CAPTURE_MS;
    for (const id of await this.deps.store.listUnfinishedBackups(this.schedule.tenantId)) {
      const began = Date.parse(id);
      if (!Number.isNaN(began) && began > cutoff) {
        this.deps.log.info({ backupId: id }, "an unfinished backup is recent: another process may be capturing it");
        continue;
      }
      this.deps.log.warn({ backupId: id }, "abandoning a backup a previous process left unfinished");
      await this.deps.store.abandonBackup(this.schedule.tenantId, id);
    }
  }

  /** Stops scheduling; a capture under way finishes. */
  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
  }

  /** An on-demand backup (or the one already under way). */
  takeNow(requestedBy: string): Promise<BackupSummary> {
    return this.run("onDemand", requestedBy);
  }

  private tick(): void {
    if (this.stopped) return;
    // The next timer is armed inside run(), before listeners hear of this one.
    this.run("scheduled").catch(() => undefined);
    // Each scheduled run also clears captures that died since (a crash between two starts).
    void this.abandonStale().catch((err: unknown) => this.deps.log.warn({ err }, "could not remove an unfinished backup"));
  }

  private arm(ms: number): void {
    if (this.stopped) return;
    this.cancelTimer = this.deps.clock.setTimer(ms, () => this.tick());
  }

  private run(trigger: "scheduled" | "onDemand", requestedBy?: string): Promise<BackupSummary> {
    if (this.running) return this.running;
    const { tenantId, retentionDays } = this.schedule;
    const capture = async (): Promise<BackupSummary> => {
      const summary = await captureBackup(this.deps, { tenantId, trigger, ...(requestedBy ? { requestedBy } : {}) });
      await applyBackupRetention(this.deps.store, tenantId, this.deps.clock.now(), retentionDays, this.deps.log);
      return summary;
    };
    const interval = this.schedule.intervalHours * HOUR_MS;
    const p = capture().then(
      (s) => {
        // Cleared before anyone hears of it, so a timer or caller reacting at once starts a fresh capture.
        this.running = undefined;
        if (trigger === "scheduled") this.arm(interval);
        this.events.onCompleted?.(s);
        return s;
      },
      (err: unknown) => {
        this.running = undefined;
        if (trigger === "scheduled") {
          this.arm(Math.min(interval, this.schedule.retryAfterFailureMs ?? 15 * 60_000));
          this.events.onFailed?.(err);
        }
        throw err;
      },
    );
    this.running = p;
    return p;
  }
}
