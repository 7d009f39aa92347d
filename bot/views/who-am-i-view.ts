import { renderWhoAmICard, type AdaptiveCard } from "../../cards";
import type { Permission, Role } from "../../core/rewind";
import { tenantText } from "./format";

const ROLE_NAME: Readonly<Record<Role, string>> = {
  globalAdministrator: "Global Administrator",
  backupAdministrator: "Backup Administrator",
  backupReader: "Backup Reader",
};

/** What each permission lets the user do, in plain words (in the order they are listed). */
const PERMISSION_TEXT: Readonly<Record<Permission, string>> = {
  listBackups: "list backups",
  startReport: "run difference reports",
  readReports: "read difference reports and their changes",
  listJobs: "list difference reports and recovery jobs",
  takeBackup: "take a backup now",
  requestRecovery: "ask for a recovery",
  approveRecovery: "approve or reject recoveries",
  cancelJob: "cancel a running job",
  readAudit: "read the audit trail",
};

/** Who the user is to Rewind: roles with friendly names and what they allow; who to ask when they have none. */
export function whoAmIView(p: { userId: string; name?: string; tenantId: string; roles: readonly Role[]; permissions: readonly Permission[] }): AdaptiveCard {
  const roles = (["globalAdministrator", "backupAdministrator", "backupReader"] as const).filter((r) => p.roles.includes(r));
  const allows = (Object.keys(PERMISSION_TEXT) as Permission[]).filter((perm) => p.permissions.includes(perm)).map((perm) => PERMISSION_TEXT[perm]);
  const facts = [
    ...(p.name ? [{ title: "Name", value: tenantText(p.name, 120) }] : []),
    { title: "Entra user id", value: p.userId },
    { title: "Tenant", value: p.tenantId },
  ];
  return renderWhoAmICard({
    title: "You and Rewind",
    facts,
    rolesLine: roles.length > 0 ? `Your Rewind roles: ${roles.map((r) => ROLE_NAME[r]).join(", ")}` : "No Rewind role",
    rolesColor: roles.length > 0 ? "Good" : "Warning",
    allows,
    advice:
      roles.length > 0
        ? ""
        : "Ask a Global Administrator for the Microsoft Entra Backup Reader role (to list backups and read difference reports) or the Microsoft Entra Backup Administrator role (to also recover), or to add you to a group Rewind is configured to trust.",
  });
}
