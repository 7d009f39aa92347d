/** The engine's settings section (app/settings reads it from the environment; see .env.sample). */
export interface EngineConfig {
  readonly backupIntervalHours: number;
  readonly backupRetentionDays: number;
  readonly auditRetentionDays: number;
  readonly requireSecondApprover: boolean;
  /** Difference reports one user without an administrator role may start per hour (the job slot is shared). */
  readonly reportsPerUserPerHour: number;
  readonly adminGroupIds: readonly string[];
  readonly readerGroupIds: readonly string[];
}

/** The defaults of every engine setting: what an environment that sets none of them gets. */
export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  backupIntervalHours: 24,
  backupRetentionDays: 5,
  auditRetentionDays: 365,
  requireSecondApprover: true,
  reportsPerUserPerHour: 6,
  adminGroupIds: [],
  readerGroupIds: [],
};
