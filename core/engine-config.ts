import { z } from "zod";
import { parseSettings } from "./model/settings-error";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const guidList = z
  .string()
  .transform((s) => s.split(",").map((x) => x.trim()).filter((x) => x.length > 0))
  .refine((ids) => ids.every((id) => GUID.test(id)), "must be a comma-separated list of group object ids (GUIDs)");
const flag = z.enum(["true", "false", "1", "0", "yes", "no"], { message: "must be true or false" }).transform((v) => ["true", "1", "yes"].includes(v));

/** The engine's environment settings (see .env.sample). */
export const EngineEnvSchema = z.object({
  BACKUP_INTERVAL_HOURS: z.coerce.number().positive("must be a positive number of hours").max(24 * 7, "must be at most 168 hours").default(24),
  BACKUP_RETENTION_DAYS: z.coerce.number().int("must be a whole number of days").positive("must be at least 1 day").default(5),
  AUDIT_RETENTION_DAYS: z.coerce.number().int("must be a whole number of days").positive("must be at least 1 day").default(365),
  RECOVERY_REQUIRES_SECOND_APPROVER: flag.default(true),
  REPORTS_PER_USER_PER_HOUR: z.coerce.number().int("must be a whole number").min(1, "must be at least 1").max(1000, "must be at most 1000").default(6),
  ROLE_GROUP_BACKUP_ADMINS: guidList.optional(),
  ROLE_GROUP_BACKUP_READERS: guidList.optional(),
  STORE_FILE: z.string().min(1).default("./data/rewind.db"),
});

/** Engine settings, parsed. */
export interface EngineConfig {
  readonly backupIntervalHours: number;
  readonly backupRetentionDays: number;
  readonly auditRetentionDays: number;
  readonly requireSecondApprover: boolean;
  /** Difference reports one user without an administrator role may start per hour (the job slot is shared). */
  readonly reportsPerUserPerHour: number;
  readonly adminGroupIds: readonly string[];
  readonly readerGroupIds: readonly string[];
  readonly storeFile: string;
}

/** Reads the engine settings from an environment; one error names every invalid setting. */
export function engineConfigFromEnv(env: Readonly<Record<string, string | undefined>>): EngineConfig {
  const e = parseSettings(EngineEnvSchema, env, "Rewind");
  return {
    backupIntervalHours: e.BACKUP_INTERVAL_HOURS,
    backupRetentionDays: e.BACKUP_RETENTION_DAYS,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    requireSecondApprover: e.RECOVERY_REQUIRES_SECOND_APPROVER,
    reportsPerUserPerHour: e.REPORTS_PER_USER_PER_HOUR,
    adminGroupIds: e.ROLE_GROUP_BACKUP_ADMINS ?? [],
    readerGroupIds: e.ROLE_GROUP_BACKUP_READERS ?? [],
    storeFile: e.STORE_FILE,
  };
}
