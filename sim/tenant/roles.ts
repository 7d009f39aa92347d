/**
 * Directory roles. Global Administrator and the two administrator roles below carry Microsoft's template ids;
 * the two backup roles have no public template id, so the simulator fixes its own (documented in README).
 */

export const GLOBAL_ADMIN_TEMPLATE = "62e90394-69f5-4237-9190-012177145e10";
export const BACKUP_ADMIN_TEMPLATE = "e2b6a5c4-1b57-4c6f-9a4e-6261636b7570";
export const BACKUP_READER_TEMPLATE = "e2b6a5c4-1b57-4c6f-9a4f-726561646572";

export interface RoleDef {
  displayName: string;
  roleTemplateId: string;
  description: string;
  /** User indices holding the role (the demo people in the demo tenant). */
  holders: { demo: readonly number[]; generated: readonly number[] };
}

export const ROLE_DEFS: readonly RoleDef[] = [
  {
    displayName: "Global Administrator",
    roleTemplateId: GLOBAL_ADMIN_TEMPLATE,
    description: "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.",
    holders: { demo: [2], generated: [0, 1] },
  },
  {
    displayName: "Microsoft Entra Backup Administrator",
    roleTemplateId: BACKUP_ADMIN_TEMPLATE,
    description: "Can view backups, run difference reports and recover objects of Microsoft Entra ID.",
    holders: { demo: [0, 1], generated: [2] },
  },
  {
    displayName: "Microsoft Entra Backup Reader",
    roleTemplateId: BACKUP_READER_TEMPLATE,
    description: "Can view backups and run difference reports of Microsoft Entra ID.",
    holders: { demo: [3], generated: [3] },
  },
  {
    displayName: "User Administrator",
    roleTemplateId: "fe930be7-5e62-47db-91af-98c3a49a38b1",
    description: "Can manage all aspects of users and groups, including resetting passwords for limited admins.",
    holders: { demo: [10, 11], generated: [4] },
  },
  {
    displayName: "Groups Administrator",
    roleTemplateId: "fdd7a751-b60b-444a-984c-02652fe8fa1c",
    description: "Members of this role can create/manage groups, create/manage groups settings like naming and expiration policies, and view groups activity and audit reports.",
    holders: { demo: [12], generated: [5] },
  },
];
