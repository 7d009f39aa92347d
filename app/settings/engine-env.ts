import { z } from "zod";
import { DEFAULT_ENGINE_CONFIG, type EngineConfig } from "../../core/engine-config";
import { flag, guidList } from "./env-fields";
import type { TenantSettings } from "./tenant-env";

const D = DEFAULT_ENGINE_CONFIG;

/** The engine's settings (see .env.sample). */
export const EngineEnv = z.object({
  BACKUP_INTERVAL_HOURS: z.coerce.number().positive("must be a positive number of hours").max(24 * 7, "must be at most 168 hours").default(D.backupIntervalHours),
  BACKUP_RETENTION_DAYS: z.coerce.number().int("must be a whole number of days").positive("must be at least 1 day").default(D.backupRetentionDays),
  AUDIT_RETENTION_DAYS: z.coerce.number().int("must be a whole number of days").positive("must be at least 1 day").default(D.auditRetentionDays),
  RECOVERY_REQUIRES_SECOND_APPROVER: flag.default(D.requireSecondApprover),
  REPORTS_PER_USER_PER_HOUR: z.coerce.number().int("must be a whole number").min(1, "must be at least 1").max(1000, "must be at most 1000").default(D.reportsPerUserPerHour),
  ROLE_GROUP_BACKUP_ADMINS: guidList.optional(),
  ROLE_GROUP_BACKUP_READERS: guidList.optional(),
});

/** The engine section: the tenant it works for (its own, from TENANT_ID) and its configuration. */
export interface EngineSettings {
  readonly tenantId: string;
  readonly config: EngineConfig;
}

/** The engine section of parsed settings. */
export function engineSection(e: z.output<typeof EngineEnv>, tenant: TenantSettings): EngineSettings {
  return {
    tenantId: tenant.id,
    config: {
      backupIntervalHours: e.BACKUP_INTERVAL_HOURS,
      backupRetentionDays: e.BACKUP_RETENTION_DAYS,
      auditRetentionDays: e.AUDIT_RETENTION_DAYS,
      requireSecondApprover: e.RECOVERY_REQUIRES_SECOND_APPROVER,
      reportsPerUserPerHour: e.REPORTS_PER_USER_PER_HOUR,
      adminGroupIds: e.ROLE_GROUP_BACKUP_ADMINS ?? [],
      readerGroupIds: e.ROLE_GROUP_BACKUP_READERS ?? [],
    },
  };
}
