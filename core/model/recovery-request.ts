import type { Scope } from "./job";

/** Where a recovery request is in its approval. */
export type RecoveryRequestState = "pending" | "approved" | "rejected" | "withdrawn";

/**
 * An admin's request to apply a difference report, waiting for a Backup Administrator's approval. Kept in the
 * store so a restart loses no request.
 */
export interface RecoveryRequest {
  readonly tenantId: string;
  readonly id: string;
  readonly reportId: string;
  readonly backupId: string;
  /** Narrows the report's changes (types, objects); empty means all of them. */
  readonly scope: Scope;
  readonly requestedBy: string;
  readonly requestedAt: string;
  /** The report's change digest when it was requested; an approval must name the same one. */
  readonly digest: string;
  /** After this (ISO) the request can no longer be approved; ask again for a fresh one. */
  readonly expiresAt: string;
  readonly state: RecoveryRequestState;
  readonly decidedBy?: string;
  readonly decidedAt?: string;
  readonly reason?: string;
  /** The recovery job started when it was approved. */
  readonly recoveryJobId?: string;
  readonly version: number;
}
