/** What an audit entry records. */
export const AUDIT_ACTIONS = [
  "backupTaken",
  "backupFailed",
  "jobStarted",
  "jobFinished",
  "recoveryRequested",
  "recoveryApproved",
  "recoveryRejected",
  "recoveryRefused",
  "jobCancelRequested",
  "changeApplied",
  "changeFailed",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One audited event: who, when, what. Kept AUDIT_RETENTION_DAYS (default 365). */
export interface AuditEntry {
  readonly tenantId: string;
  readonly at: string;
  /** The acting user's object id, or `system` for scheduled work. */
  readonly actor: string;
  readonly action: AuditAction;
  /** What it acted on: a backup id, job id, request id or `type/objectId`. */
  readonly target: string;
  /** A few facts worth keeping (job kind, counts, Graph's message); no secrets. */
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}
