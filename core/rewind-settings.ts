/** What the façade needs of the engine's settings section, for one tenant (createEngine builds it). */
export interface RewindSettings {
  readonly tenantId: string;
  /** BACKUP_INTERVAL_HOURS (default 24). */
  readonly backupIntervalHours: number;
  /** BACKUP_RETENTION_DAYS. */
  readonly backupRetentionDays: number;
  /** RECOVERY_REQUIRES_SECOND_APPROVER (default true): the requester of a recovery cannot approve it. */
  readonly requireSecondApprover: boolean;
  /** REPORTS_PER_USER_PER_HOUR (default 6): reports a user without an administrator role may start per hour. */
  readonly reportsPerUserPerHour: number;
}

/** Who acts: the Entra object id of the signed-in user, as the front end authenticated it. */
export interface Actor {
  readonly userId: string;
}
