import { renderHelpCard, type AdaptiveCard } from "../../cards";

/** Who may run a command (the roles of core/access/roles.ts; README "Roles"). */
const ANYONE = "Anyone in the tenant.";
const READER = "Backup Reader, Backup Administrator or Global Administrator.";
const ADMIN = "Backup Administrator or Global Administrator.";

/**
 * Each chat command's usage line, what it is for, and who may run it. The help card lists them; the
 * command parser can quote `usage` in its error messages.
 */
export const COMMAND_USAGE = {
  help: { usage: "help", purpose: "Lists the commands.", who: ANYONE },
  backups: { usage: "backups [page=<n>]", purpose: "Lists the tenant's backups, newest first, with their object counts.", who: READER },
  backupNow: { usage: "backup now", purpose: "Takes a backup now, besides the scheduled ones.", who: ADMIN },
  diff: {
    usage: "diff <backupId|latest> [type=user,group,…] [id=<objectId>,…] [attr=<property>,…]",
    purpose: "Starts a difference report: every change between that backup and the tenant now, optionally narrowed to some types, objects or properties.",
    who: READER,
  },
  jobs: { usage: "jobs [backup=<backupId>] [page=<n>]", purpose: "Lists difference reports and recovery jobs, of one backup if you name it.", who: READER },
  job: { usage: "job <jobId>", purpose: "Shows a job: its progress while it runs, its summary or result once done.", who: READER },
  changes: {
    usage: "changes <jobId> [type=…] [action=update|restore|softDelete] [outcome=applied|failed|skipped] [page=<n>]",
    purpose: "Pages through a difference report's changes, or a recovery job's outcomes (outcome=failed lists its failed changes).",
    who: READER,
  },
  recover: {
    usage: "recover <reportJobId> [type=group,…] [id=<objectId>,…]",
    purpose:
      "Asks for a recovery of a finished difference report, or of some of its changes (id= needs exactly one type=). Another Backup Administrator approves it on the card before anything is written. Membership of Rewind's own role groups is recovered only when named with type=group id=<groupId>.",
    who: ADMIN,
  },
  cancel: { usage: "cancel <jobId>", purpose: "Asks a running difference report or recovery job to stop at its next safe point.", who: ADMIN },
  whoami: { usage: "whoami", purpose: "Shows your Rewind roles and what they allow.", who: ANYONE },
} as const satisfies Record<string, { readonly usage: string; readonly purpose: string; readonly who: string }>;

/** A chat command's name (a key of COMMAND_USAGE). */
export type CommandName = keyof typeof COMMAND_USAGE;

/** The help card: every command with its usage, purpose and who may run it. */
export function helpView(): AdaptiveCard {
  return renderHelpCard({
    title: "Rewind: backup and recovery of your Entra ID tenant",
    intro:
      "Type a command in this chat, or use the buttons on the cards. Backup ids are timestamps such as 2026-11-25T02:00:00Z; job ids are on each job's card.",
    commands: Object.values(COMMAND_USAGE).map((c) => ({ usage: c.usage, purpose: c.purpose, who: `Who: ${c.who}` })),
    footer:
      "Backup Readers list backups, run and read difference reports and list jobs. Backup Administrators and Global Administrators may also take backups, ask for and approve recoveries, and cancel jobs.",
  });
}
