/** Rewind's roles: Backup Reader, Backup Administrator, Global Administrator. */
export type Role = "backupReader" | "backupAdministrator" | "globalAdministrator";

/** What a use case needs the acting user to be allowed. */
export type Permission =
  | "listBackups"
  | "readReports"
  | "startReport"
  | "listJobs"
  | "takeBackup"
  | "requestRecovery"
  | "approveRecovery"
  | "cancelJob"
  | "readAudit";

const READER: readonly Permission[] = ["listBackups", "readReports", "startReport", "listJobs"];
const ADMIN: readonly Permission[] = [...READER, "takeBackup", "requestRecovery", "approveRecovery", "cancelJob", "readAudit"];

/** Who may do what, as data: Backup Reader reads and runs reports; Backup Administrator and Global Administrator may do everything. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  backupReader: new Set(READER),
  backupAdministrator: new Set(ADMIN),
  globalAdministrator: new Set(ADMIN),
};

/** The directory roles (by display name) that grant each role. */
export const DIRECTORY_ROLE_NAMES: Readonly<Record<Role, string>> = {
  globalAdministrator: "Global Administrator",
  backupAdministrator: "Microsoft Entra Backup Administrator",
  backupReader: "Microsoft Entra Backup Reader",
};

/** Whether any of the roles allows the permission. */
export function allows(roles: ReadonlySet<Role>, permission: Permission): boolean {
  for (const role of roles) if (ROLE_PERMISSIONS[role].has(permission)) return true;
  return false;
}
