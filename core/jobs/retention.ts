import type { EngineDeps } from "./job-handler";

const DAY_MS = 86_400_000;
/**
 * A comparison snapshot begun this long ago is one a dead process left (a job holds its snapshot while it
 * loads and compares, minutes; a resumed job replaces it), so the clean-up drops it.
 */
export const STALE_COMPARISON_MS = DAY_MS;

/** How long finished jobs and audit entries are kept. */
export interface JobRetention {
  /** Days a finished job (with its changes and outcomes) is kept (the engine's JOB_RETENTION_DAYS: 5). */
  readonly jobRetentionDays: number;
  /** AUDIT_RETENTION_DAYS, default 365. */
  readonly auditRetentionDays: number;
}

/**
 * Removes the tenant's jobs finished more than `jobRetentionDays` ago, the comparison snapshots dead processes
 * left (begun more than `STALE_COMPARISON_MS` ago) and its audit entries past theirs. Only this tenant's:
 * another deployment sharing the store keeps its own data by its own settings.
 */
export async function purgeExpired(deps: EngineDeps, tenantId: string, retention: JobRetention): Promise<{ jobs: number; auditEntries: number }> {
  const now = deps.clock.now().getTime();
  const expired = await deps.store.listJobsCompletedBefore(tenantId, new Date(now - retention.jobRetentionDays * DAY_MS).toISOString());
  for (const { id } of expired) await deps.store.deleteJob(tenantId, id);
  await deps.store.dropComparisonsBegunBefore(tenantId, new Date(now - STALE_COMPARISON_MS).toISOString());
  const auditEntries = await deps.store.purgeAudit(tenantId, new Date(now - retention.auditRetentionDays * DAY_MS).toISOString());
  if (expired.length > 0 || auditEntries > 0) deps.log.info({ tenantId, jobs: expired.length, auditEntries }, "expired jobs and audit entries removed");
  return { jobs: expired.length, auditEntries };
}
