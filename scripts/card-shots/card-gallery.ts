/**
 * Every Rewind card, made the way the bot makes it (through bot/views) from realistic engine objects of the
 * demo tenant (DEMO-TENANT.md: Ada Admin asks for a recovery, Ben Second approves). Fixed dates, so the cards
 * and their screenshots are the same on every run.
 */
import {
  backupListView,
  backupResultView,
  changesPageView,
  errorView,
  helpView,
  jobProgressView,
  jobsListView,
  noticeView,
  recoveryConfirmationView,
  recoveryResultView,
  reportSummaryView,
  whoAmIView,
  type AdaptiveCard,
  type ViewContext,
} from "../../bot/views";
import type { BackupSummary } from "../../core/model/backup";
import type { Change, ChangeOutcome } from "../../core/model/change";
import { ERROR_TEXTS } from "../../core/model/errors";
import type { Job } from "../../core/model/job";
import type { RecoveryRequest } from "../../core/model/recovery-request";

const TENANT = "d0d0d0d0-0000-4000-8000-00000000d0d0";
const ADA = "0a0a0a0a-0000-4000-8000-000000000001";
const BEN = "0a0a0a0a-0000-4000-8000-000000000002";
const NOW = new Date("2026-11-25T09:30:00Z");
const CTX: ViewContext = { now: NOW, names: new Map([[ADA, "Ada Admin"], [BEN, "Ben Second"]]) };

const REPORT_ID = "5f0c2a31-7d4e-4b8a-9c11-2e6f3a9b0d41";
const RECOVERY_ID = "8b3e9d20-1f6a-4c5b-a7d2-90e4c3b1f582";
const REQUEST_ID = "c47a1e09-3b2d-4f68-8e5a-6d9b0c2f7a13";
const BACKUP_ID = "2026-11-24T02:00:00Z";

/** A demo-tenant object id (the simulator's generated objects look like this). */
const objectId = (n: number): string => `1d3f${String(n).padStart(4, "0")}-5a7c-4e21-9b08-${String(n * 7919).padStart(12, "0")}`;

function backup(daysAgo: number): BackupSummary {
  const start = new Date(Date.UTC(2026, 10, 25, 2, 0, 0) - daysAgo * 86_400_000);
  const id = `${start.toISOString().slice(0, 19)}Z`;
  return {
    tenantId: TENANT,
    id,
    trigger: daysAgo === 1 ? "onDemand" : "scheduled",
    ...(daysAgo === 1 ? { requestedBy: ADA } : {}),
    startedAt: id,
    completedAt: new Date(start.getTime() + 38_000).toISOString(),
    counts: {
      user: { live: 1_204 - daysAgo, deleted: 6 + daysAgo },
      group: { live: 212, deleted: 2 },
      application: { live: 48, deleted: 1 },
      servicePrincipal: { live: 131, deleted: 0 },
      conditionalAccessPolicy: { live: 14, deleted: 0 },
      namedLocation: { live: 5, deleted: 0 },
      authorizationPolicy: { live: 1, deleted: 0 },
      authenticationMethodsPolicy: { live: 1, deleted: 0 },
    },
    links: 9_842 + daysAgo * 3,
  };
}

const SUMMARY = {
  total: 23,
  notRecoverable: 2,
  byType: { user: { update: 9, restore: 2, softDelete: 1 }, group: { update: 4, restore: 1 }, conditionalAccessPolicy: { update: 2 }, application: { softDelete: 2 }, namedLocation: { update: 2 } },
  links: 31,
  excluded: { synced: 1, hardDeleted: 1 },
  digest: "9f2c4e1a7b3d5f6e8a0c2b4d6f8e0a1c3b5d7f9e1a2c4b6d8f0e2a4c6b8d0f1e",
};

const report: Job = {
  tenantId: TENANT,
  id: REPORT_ID,
  kind: "differenceReport",
  backupId: BACKUP_ID,
  state: "succeeded",
  scope: {},
  requestedBy: ADA,
  createdAt: "2026-11-25T09:02:10Z",
  startedAt: "2026-11-25T09:02:11Z",
  completedAt: "2026-11-25T09:02:19Z",
  progress: { done: 1_616, total: 1_616, estimatedCompletionAt: null },
  summary: SUMMARY,
  attempts: 1,
  cancelRequested: false,
  version: 6,
};

const recovery: Job = {
  ...report,
  id: RECOVERY_ID,
  kind: "recovery",
  state: "completedWithWarnings",
  reportId: REPORT_ID,
  recoveryRequestId: REQUEST_ID,
  approvedBy: BEN,
  createdAt: "2026-11-25T09:12:40Z",
  startedAt: "2026-11-25T09:12:41Z",
  completedAt: "2026-11-25T09:13:05Z",
  progress: { done: 21, total: 21, estimatedCompletionAt: null },
  outcomes: { total: 21, applied: 19, failed: 1, skipped: 1 },
};

const running: Job = (() => {
  const { completedAt: _c, summary: _s, ...rest } = report;
  void _c;
  void _s;
  return { ...rest, state: "calculating" as const, progress: { done: 740, total: 1_616, estimatedCompletionAt: "2026-11-25T09:31:10Z" } };
})();

const CHANGES: Change[] = [
  {
    seq: 1,
    id: objectId(17),
    entityTypeName: "user",
    displayName: "Megan Bowen",
    recoveryAction: "update",
    deltaFromCurrent: {
      properties: [
        { name: "jobTitle", backupValue: "Marketing Manager", currentValue: "Intern" },
        { name: "department", backupValue: "Marketing", currentValue: null },
      ],
      links: [{ link: "manager", toAdd: [objectId(3)], toRemove: [objectId(41)] }],
    },
    currentState: "active",
    recoverable: true,
  },
  {
    seq: 2,
    id: objectId(52),
    entityTypeName: "user",
    displayName: "Diego Siciliani",
    recoveryAction: "restore",
    deltaFromCurrent: { properties: [], links: [{ link: "sponsors", toAdd: [ADA], toRemove: [] }] },
    currentState: "softDeleted",
    recoverable: true,
  },
  {
    seq: 3,
    id: objectId(88),
    entityTypeName: "group",
    displayName: "Finance Approvers",
    recoveryAction: "update",
    deltaFromCurrent: {
      properties: [{ name: "description", backupValue: "People who approve invoices over 10,000 EUR", currentValue: "tmp" }],
      links: [
        { link: "members", toAdd: [objectId(17), objectId(19), objectId(23)], toRemove: [objectId(90)] },
        { link: "owners", toAdd: [objectId(3)], toRemove: [] },
      ],
    },
    currentState: "active",
    recoverable: true,
  },
  {
    seq: 4,
    id: objectId(120),
    entityTypeName: "conditionalAccessPolicy",
    displayName: "Require MFA for admins",
    recoveryAction: "update",
    deltaFromCurrent: { properties: [{ name: "state", backupValue: "enabled", currentValue: "disabled" }], links: [] },
    currentState: "active",
    recoverable: true,
  },
  {
    seq: 5,
    id: objectId(131),
    entityTypeName: "user",
    displayName: "Lee Gu",
    recoveryAction: "update",
    deltaFromCurrent: { properties: [{ name: "officeLocation", backupValue: "Building 4", currentValue: "Remote" }], links: [] },
    currentState: "active",
    recoverable: false,
    notRecoverableReason: "synced",
    notRecoverableDetail: "This object is synchronized from on-premises Active Directory; change it there (or in your sync rules).",
  },
  {
    seq: 6,
    id: objectId(140),
    entityTypeName: "application",
    displayName: "Payroll Export (test)",
    recoveryAction: "softDelete",
    deltaFromCurrent: { properties: [], links: [] },
    currentState: "active",
    recoverable: true,
  },
];

const OUTCOMES: ChangeOutcome[] = [
  { change: CHANGES[0]!, outcome: "applied" },
  { change: CHANGES[1]!, outcome: "applied" },
  { change: CHANGES[2]!, outcome: "failed", failureMessage: "One or more removed object references do not exist for the following modified properties: 'members'." },
  { change: CHANGES[3]!, outcome: "skipped", failureMessage: "The object changed after the difference report; run a new report to recover it." },
  { change: CHANGES[5]!, outcome: "applied" },
];

const request: RecoveryRequest = {
  tenantId: TENANT,
  id: REQUEST_ID,
  reportId: REPORT_ID,
  backupId: BACKUP_ID,
  scope: {},
  requestedBy: ADA,
  requestedAt: "2026-11-25T09:10:02Z",
  digest: SUMMARY.digest,
  expiresAt: "2026-11-26T09:10:02Z",
  state: "pending",
  version: 1,
};

/** A gallery entry: the card's file name (docs/cards/<name>.png) and the card. */
export interface GalleryCard {
  readonly name: string;
  readonly card: AdaptiveCard;
}

/** Every card, in the order a chat meets them. */
export function cardGallery(): GalleryCard[] {
  return [
    { name: "help", card: helpView() },
    { name: "who-am-i", card: whoAmIView({ userId: ADA, name: "Ada Admin", tenantId: TENANT, roles: ["backupAdministrator"], permissions: ["listBackups", "readReports", "startReport", "listJobs", "takeBackup", "requestRecovery", "approveRecovery", "cancelJob", "readAudit"] }) },
    {
      name: "backup-list",
      card: backupListView(
        {
          backups: [0, 1, 2].map(backup),
          retentionDays: 5,
          note: "Backups are kept 5 days. The oldest is from 2026-11-23T02:00:00Z: Rewind has been taking backups for less than that, so fewer are listed. This is normal in the first days.",
        },
        CTX,
        { page: 1 },
      ),
    },
    { name: "backup-result", card: backupResultView({ state: "completed", summary: backup(0), requestedBy: ADA }, CTX) },
    { name: "job-progress", card: jobProgressView(running, CTX, { canCancel: true }) },
    { name: "report-summary", card: reportSummaryView(report, CHANGES, CTX, { canRecover: true }) },
    { name: "changes-page", card: changesPageView({ job: report, page: 1, hasNext: true, changes: CHANGES, filters: {} }, CTX) },
    {
      name: "recovery-confirmation",
      card: recoveryConfirmationView({ request, report, excluded: CHANGES.filter((c) => !c.recoverable), viewer: "approver", approverChannelIds: ["29:demo-ada", "29:demo-ben"] }, CTX),
    },
    { name: "recovery-result", card: recoveryResultView({ job: recovery, failed: OUTCOMES.filter((o) => o.outcome === "failed"), hasMoreFailed: false }, CTX) },
    { name: "jobs-list", card: jobsListView({ jobs: [recovery, report], backupId: BACKUP_ID, page: 1, hasNext: false }, CTX) },
    { name: "error", card: errorView({ status: 409, message: ERROR_TEXTS.jobInProgress, nextStep: "Wait for the running job to finish (type jobs to see it), then try again." }) },
    { name: "notice", card: noticeView({ title: "Recovery approved", text: "Ben Second approved the recovery of report 5f0c2a31. It is running; this chat gets its result.", style: "good" }) },
  ];
}
