/** The engine's settings for one tenant (from the environment; see core/config). */
export interface RewindSettings {
  readonly tenantId: string;
  /** BACKUP_INTERVAL_HOURS (default 24). */
  readonly backupIntervalHours: number;
  /** BACKUP_RETENTION_DAYS (default 5). */
  readonly backupRetentionDays: number;
  /** RECOVERY_REQUIRES_SECOND_APPROVER: the requester of a recovery cannot approve it. */
  readonly requireSecondApprover: boolean;
}

/** Who acts: the Entra object id of the signed-in user (Teams `from.aadObjectId`). */
export interface Actor {
  readonly userId: string;
}
