/**
 * Every Rewind card, made the way the bot makes it (through bot/views, and the chat's error card) from the
 * demo tenant's morning (test/fixtures/demo-morning.ts, the card tests' fixture set too).
 */
import pino from "pino";
import { errorCard } from "../../bot/chat/error-card";
import {
  backupListView,
  backupResultView,
  changesPageView,
  helpView,
  jobProgressView,
  jobsListView,
  noticeView,
  recoveryConfirmationView,
  recoveryResultView,
  reportSummaryView,
  whoAmIView,
  type AdaptiveCard,
} from "../../bot/views";
import { ROLE_PERMISSIONS } from "../../core/access/roles";
import { jobInProgressError } from "../../core/model/errors";
import {
  ADA,
  APPROVER_CHANNEL_IDS,
  BACKUPS,
  BACKUP_ID,
  CHANGES,
  CTX,
  FAILED,
  ON_DEMAND_BACKUP,
  RECOVERY,
  REPORT,
  REQUEST,
  RETENTION_NOTE,
  RUNNING,
  TENANT,
} from "../../test/fixtures/demo-morning";

/** A gallery entry: the card's file name (docs/cards/<name>.png) and the card. */
export interface GalleryCard {
  readonly name: string;
  readonly card: AdaptiveCard;
}

/** Every card, in the order a chat meets them. */
export function cardGallery(): GalleryCard[] {
  const quiet = pino({ level: "silent" });
  return [
    { name: "help", card: helpView() },
    { name: "who-am-i", card: whoAmIView({ userId: ADA, name: "Ada Admin", tenantId: TENANT, roles: ["backupAdministrator"], permissions: [...ROLE_PERMISSIONS.backupAdministrator] }) },
    { name: "backup-list", card: backupListView({ backups: BACKUPS, retentionDays: 5, note: RETENTION_NOTE }, CTX, { page: 1 }) },
    { name: "backup-result", card: backupResultView({ state: "completed", summary: ON_DEMAND_BACKUP, requestedBy: ADA }, CTX) },
    { name: "job-progress", card: jobProgressView(RUNNING, CTX, { canCancel: true }) },
    { name: "report-summary", card: reportSummaryView(REPORT, CHANGES, CTX, { canRecover: true }) },
    { name: "changes-page", card: changesPageView({ job: REPORT, page: 1, hasNext: true, changes: CHANGES, filters: {} }, CTX) },
    {
      name: "recovery-confirmation",
      card: recoveryConfirmationView(
        {
          request: REQUEST,
          report: REPORT,
          excluded: CHANGES.filter((c) => !c.recoverable),
          viewer: "approver",
          approverChannelIds: APPROVER_CHANNEL_IDS,
          sensitive: CHANGES.filter((c) => c.recoverable && c.sensitive),
          running: null,
          requireSecondApprover: true,
          canCancel: true,
        },
        CTX,
      ),
    },
    { name: "recovery-result", card: recoveryResultView({ job: RECOVERY, failed: FAILED, hasMoreFailed: false }, CTX) },
    { name: "jobs-list", card: jobsListView({ jobs: [RECOVERY, REPORT], backupId: BACKUP_ID, page: 1, hasNext: false }, CTX) },
    // Starting a job while another one runs (the exact 409 text), answered as the chat does; errorCard
    // types its card as the senders' CardJson, which is errorView's AdaptiveCard.
    { name: "error", card: errorCard(jobInProgressError(), quiet) as AdaptiveCard },
    // The bot's answer to a message from another organization's tenant (bot/rewind-bot.ts).
    { name: "notice", card: noticeView({ title: "Not available here", text: "This Rewind serves another organization's tenant, so it does nothing here.", style: "attention" }) },
  ];
}
