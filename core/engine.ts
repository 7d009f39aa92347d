import { AccessControl } from "./access/access-control";
import { BackupScheduler } from "./backup/scheduler";
import { DifferenceReportHandler } from "./diff/report-handler";
import type { EngineConfig } from "./engine-config";
import type { EngineDeps } from "./jobs/job-handler";
import { JobRunner, type JobEvents, type JobRunnerOptions } from "./jobs/job-runner";
import { purgeExpired } from "./jobs/retention";
import type { BackupSummary } from "./model/backup";
import { RecoveryHandler } from "./recovery/recovery-handler";
import { Rewind } from "./rewind";

export type { Clock } from "./ports";

/** What the engine tells its front end about (alerts in Teams). */
export interface EngineEvents extends JobEvents {
  onBackupCompleted?(summary: BackupSummary): void;
  onBackupFailed?(error: unknown): void;
}

/** Options of an engine beyond its configuration. */
export interface EngineOptions {
  readonly tenantId: string;
  readonly config: EngineConfig;
  readonly runner?: JobRunnerOptions;
  /** Role lookups cache (default 60 s). */
  readonly accessCacheMs?: number;
  /** Take scheduled backups (default true; tests take them on demand). */
  readonly scheduleBackups?: boolean;
  readonly events?: EngineEvents;
}

/** Days finished jobs are kept. */
export const JOB_RETENTION_DAYS = 5;
const HOUSEKEEPING_MS = 3_600_000;

/** The engine put together: the façade, and start/stop for its background work. */
export interface Engine {
  readonly rewind: Rewind;
  readonly runner: JobRunner;
  readonly scheduler: BackupScheduler;
  readonly access: AccessControl;
  /** Resumes jobs a dead process left, starts the backup schedule and the hourly clean-up. */
  start(): Promise<void>;
  /** Stops background work; running jobs are left for the next start to resume. */
  stop(): Promise<void>;
}

/** Builds the engine on its ports (the composition root picks the adapters). */
export function createEngine(deps: EngineDeps, options: EngineOptions): Engine {
  const { config, tenantId } = options;
  const events = options.events ?? {};
  const audit = (actor: string, action: "backupTaken" | "backupFailed", target: string, details: Record<string, string | number | null>) =>
    deps.store
      .appendAudit([{ tenantId, at: deps.clock.now().toISOString(), actor, action, target, details }])
      .catch((err: unknown) => deps.log.error({ err }, "could not write an audit entry"));
  const access = new AccessControl(deps.directory, deps.clock, deps.log.child({ component: "access" }), {
    ...(options.accessCacheMs !== undefined ? { cacheMs: options.accessCacheMs } : {}),
    groups: { backupAdministrator: config.adminGroupIds, backupReader: config.readerGroupIds },
  });
  // The groups that give Rewind's own roles: reports flag their membership changes, recoveries leave them
  // out unless named.
  const roleGroups = new Set([...config.adminGroupIds, ...config.readerGroupIds].map((id) => id.toLowerCase()));
  const runner = new JobRunner(
    deps,
    tenantId,
    { differenceReport: new DifferenceReportHandler({ roleGroups }), recovery: new RecoveryHandler({ roleGroups }) },
    options.runner ?? {},
    events,
  );
  const scheduler = new BackupScheduler(
    deps,
    { tenantId, intervalHours: config.backupIntervalHours, retentionDays: config.backupRetentionDays },
    {
      onCompleted: (s) => {
        if (s.trigger === "scheduled") void audit("system", "backupTaken", s.id, { trigger: s.trigger });
        events.onBackupCompleted?.(s);
      },
      onFailed: (err) => {
        void audit("system", "backupFailed", "scheduled", { error: err instanceof Error ? err.message : String(err) });
        events.onBackupFailed?.(err);
      },
    },
  );
  const rewind = new Rewind(deps, access, runner, scheduler, {
    tenantId,
    backupIntervalHours: config.backupIntervalHours,
    backupRetentionDays: config.backupRetentionDays,
    requireSecondApprover: config.requireSecondApprover,
    reportsPerUserPerHour: config.reportsPerUserPerHour,
  });
  let stopHousekeeping: (() => void) | undefined;
  const housekeeping = async (): Promise<void> => {
    await purgeExpired(deps, tenantId, { jobRetentionDays: JOB_RETENTION_DAYS, auditRetentionDays: config.auditRetentionDays }).catch((err: unknown) =>
      deps.log.error({ err }, "clean-up of expired jobs failed"),
    );
    stopHousekeeping = deps.clock.setTimer(HOUSEKEEPING_MS, () => void housekeeping());
  };
  return {
    rewind,
    runner,
    scheduler,
    access,
    async start() {
      await runner.start();
      if (options.scheduleBackups ?? true) await scheduler.start();
      await housekeeping();
    },
    async stop() {
      stopHousekeeping?.();
      scheduler.stop();
      await runner.stop();
    },
  };
}
