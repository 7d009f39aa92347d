/**
 * Engine objects of the demo tenant (sim/README.md), told as one morning: Ada Admin takes a backup, runs a
 * difference report of yesterday's backup and asks for a recovery; Ben Second approves it; Gil Global runs a
 * report of his own. Dates are fixed so the cards (and their screenshots) are the same on every run; counts
 * agree across objects (the summary counts the changes listed, the recovery's outcomes add up to them).
 */
import type { ViewContext } from "../../bot/views";
import type { BackupSummary } from "../../core/model/backup";
import type { Change, ChangeOutcome, ChangeSummary } from "../../core/model/change";
import type { Job } from "../../core/model/job";
import type { RecoveryRequest } from "../../core/model/recovery-request";
import { flagSensitive } from "../../core/diff/sensitive-changes";

export const TENANT = "d0d0d0d0-0000-4000-8000-00000000d0d0";
export const ADA = "0a0a0a0a-0000-4000-8000-000000000001";
export const BEN = "0a0a0a0a-0000-4000-8000-000000000002";
export const GIL = "0a0a0a0a-0000-4000-8000-000000000003";
/** Teams ids of those who may approve Ada's request (she may not: a second approver is required). */
export const APPROVER_CHANNEL_IDS = ["29:demo-ben", "29:demo-gil"];

export const CTX: ViewContext = {
  now: new Date("2026-11-25T09:30:00Z"),
  names: new Map([[ADA, "Ada Admin"], [BEN, "Ben Second"], [GIL, "Gil Global"]]),
};

const REPORT_ID = "5f0c2a31-7d4e-4b8a-9c11-2e6f3a9b0d41";
const RECOVERY_ID = "8b3e9d20-1f6a-4c5b-a7d2-90e4c3b1f582";
const REQUEST_ID = "c47a1e09-3b2d-4f68-8e5a-6d9b0c2f7a13";
const RUNNING_ID = "e21b7c55-0a9d-4e3f-b6c8-41d2f07a9e36";
/** The backup Ada's report compares with the tenant: last night's but one. */
export const BACKUP_ID = "2026-11-24T02:00:00Z";

/** A generated object id of the demo tenant; ids grow with n, so changes stay in the engine's (type, id) order. */
const objectId = (n: number): string => `1d3f${String(n).padStart(4, "0")}-5a7c-4e21-9b08-${String(n * 7919).padStart(12, "0")}`;

/** A backup of the demo tenant (1,616 objects, as the report's progress counts), a few objects fewer each day back. */
function backupAt(id: string, daysBack: number, requestedBy?: string): BackupSummary {
  return {
    tenantId: TENANT,
    id,
    trigger: requestedBy ? "onDemand" : "scheduled",
    ...(requestedBy ? { requestedBy } : {}),
    startedAt: id,
    completedAt: new Date(Date.parse(id) + 38_000).toISOString(),
    counts: {
      user: { live: 1_204 - daysBack, deleted: 6 + daysBack },
      group: { live: 212, deleted: 2 },
      application: { live: 48, deleted: 1 },
      servicePrincipal: { live: 131, deleted: 0 },
      conditionalAccessPolicy: { live: 14, deleted: 0 },
      namedLocation: { live: 5, deleted: 0 },
      authorizationPolicy: { live: 1, deleted: 0 },
      authenticationMethodsPolicy: { live: 1, deleted: 0 },
    },
    links: 9_842 + daysBack * 3,
  };
}

/** Ada's on-demand backup of this morning. */
export const ON_DEMAND_BACKUP = backupAt("2026-11-25T08:58:12Z", 0, ADA);
/** Newest first, as the store lists them. */
export const BACKUPS: BackupSummary[] = [ON_DEMAND_BACKUP, backupAt("2026-11-25T02:00:00Z", 0), backupAt(BACKUP_ID, 1), backupAt("2026-11-23T02:00:00Z", 2)];

const user = (seq: number, n: number, displayName: string, rest: Partial<Change>): Change => ({
  seq,
  id: objectId(n),
  entityTypeName: "user",
  displayName,
  recoveryAction: "update",
  deltaFromCurrent: { properties: [], links: [] },
  currentState: "active",
  recoverable: true,
  ...rest,
});

/** The first page (ten) of the report's 23 changes: users, then groups (the engine's order). */
/** The first ten changes of the report, flagged as the engine flags security-sensitive ones. */
export const CHANGES: Change[] = ([
  user(1, 17, "Megan Bowen", {
    deltaFromCurrent: {
      properties: [
        { name: "jobTitle", backupValue: "Marketing Manager", currentValue: "Intern" },
        { name: "department", backupValue: "Marketing", currentValue: null },
      ],
      links: [{ link: "manager", toAdd: [objectId(3)], toRemove: [objectId(41)], names: { [objectId(3)]: "Nestor Wilke", [objectId(41)]: "Isaiah Langer" } }],
    },
  }),
  user(2, 52, "Diego Siciliani", { recoveryAction: "restore", currentState: "softDeleted", deltaFromCurrent: { properties: [], links: [{ link: "sponsors", toAdd: [ADA], toRemove: [], names: { [ADA]: "Ada Admin" } }] } }),
  user(3, 64, "Adele Vance", { deltaFromCurrent: { properties: [{ name: "mobilePhone", backupValue: "+47 915 55 012", currentValue: "+47 400 00 000" }], links: [] } }),
  user(4, 77, "Alex Wilber", { deltaFromCurrent: { properties: [{ name: "accountEnabled", backupValue: true, currentValue: false }], links: [] } }),
  user(5, 95, "Pradeep Gupta", {
    recoveryAction: "restore",
    currentState: "hardDeleted",
    recoverable: false,
    notRecoverableReason: "hardDeleted",
    notRecoverableDetail: "It was deleted permanently (or purged from deleted items after 30 days), so it cannot be restored.",
  }),
  user(6, 131, "Lee Gu", {
    deltaFromCurrent: { properties: [{ name: "officeLocation", backupValue: "Building 4", currentValue: "Remote" }], links: [] },
    recoverable: false,
    notRecoverableReason: "synced",
    notRecoverableDetail: "This object is synchronized from on-premises Active Directory; change it there (or in your sync rules).",
  }),
  user(7, 158, "Grady Archie (contractor)", { recoveryAction: "softDelete" }),
  {
    seq: 8,
    id: objectId(188),
    entityTypeName: "group",
    displayName: "Finance Approvers",
    recoveryAction: "update",
    deltaFromCurrent: {
      properties: [{ name: "description", backupValue: "People who approve invoices over 10,000 EUR", currentValue: "tmp" }],
      links: [
        {
          link: "members",
          toAdd: [objectId(17), objectId(19), objectId(23)],
          toRemove: [objectId(90)],
          names: { [objectId(17)]: "Megan Bowen", [objectId(19)]: "Johanna Lorenz", [objectId(23)]: "Lynne Robbins", [objectId(90)]: "Temp Contractor 4" },
        },
        { link: "owners", toAdd: [objectId(3)], toRemove: [], names: { [objectId(3)]: "Nestor Wilke" } },
      ],
    },
    currentState: "active",
    recoverable: true,
  },
  {
    seq: 9,
    id: objectId(203),
    entityTypeName: "group",
    displayName: "Project Falcon",
    recoveryAction: "restore",
    deltaFromCurrent: { properties: [], links: [] },
    currentState: "softDeleted",
    recoverable: true,
    // Nested in two groups in the backup: the restore should bring both memberships back.
    incomingLinks: [
      { type: "group", id: objectId(188), link: "members", name: "Finance Approvers" },
      { type: "group", id: objectId(219), link: "members", name: "Sales Team" },
    ],
  },
  {
    seq: 10,
    id: objectId(219),
    entityTypeName: "group",
    displayName: "Sales Team",
    recoveryAction: "update",
    deltaFromCurrent: { properties: [], links: [{ link: "members", toAdd: [objectId(52), objectId(64)], toRemove: [], names: { [objectId(52)]: "Diego Siciliani", [objectId(64)]: "Adele Vance" } }] },
    currentState: "active",
    recoverable: true,
  },
] satisfies Change[]).map((c) => flagSensitive(c, null));

/** The whole report: the ten changes above and 13 more of other types; 2 cannot be recovered. */
const SUMMARY: ChangeSummary = {
  total: 23,
  notRecoverable: 2,
  byType: {
    user: { update: 4, restore: 2, softDelete: 1 },
    group: { update: 3, restore: 1 },
    application: { update: 1, softDelete: 2 },
    servicePrincipal: { update: 2 },
    conditionalAccessPolicy: { update: 3 },
    namedLocation: { update: 2 },
    authorizationPolicy: { update: 1 },
    authenticationMethodsPolicy: { update: 1 },
  },
  links: 31,
  excluded: { synced: 1, hardDeleted: 1 },
  // Alex Wilber re-enabled, and the authorization and authentication-methods policies.
  sensitive: 3,
  digest: "9f2c4e1a7b3d5f6e8a0c2b4d6f8e0a1c3b5d7f9e1a2c4b6d8f0e2a4c6b8d0f1e",
};

/** Ada's difference report of BACKUP_ID, finished. */
export const REPORT: Job = {
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

/** Ada's request to recover REPORT, waiting for Ben or Gil. */
export const REQUEST: RecoveryRequest = {
  tenantId: TENANT,
  id: REQUEST_ID,
  reportId: REPORT_ID,
  backupId: BACKUP_ID,
  scope: {},
  requestedBy: ADA,
  requestedAt: "2026-11-25T09:10:02Z",
  digest: SUMMARY.digest ?? "",
  expiresAt: "2026-11-26T09:10:02Z",
  state: "pending",
  version: 1,
};

/** The recovery Ben approved: every change gets an outcome, the two not recoverable ones and Alex Wilber (re-enabled by hand after the report) skipped. */
export const RECOVERY: Job = {
  ...REPORT,
  id: RECOVERY_ID,
  kind: "recovery",
  state: "completedWithWarnings",
  reportId: REPORT_ID,
  recoveryRequestId: REQUEST_ID,
  approvedBy: BEN,
  createdAt: "2026-11-25T09:12:40Z",
  startedAt: "2026-11-25T09:12:41Z",
  completedAt: "2026-11-25T09:13:05Z",
  progress: { done: 23, total: 23, estimatedCompletionAt: null },
  outcomes: { total: 23, applied: 19, failed: 1, skipped: 3 },
};

/** The recovery's failed changes (Graph's message, verbatim). */
export const FAILED: ChangeOutcome[] = [
  { change: CHANGES[7]!, outcome: "failed", failureMessage: "One or more removed object references do not exist for the following modified properties: 'members'." },
];

/** Gil Global's report of last night's backup, under way. */
export const RUNNING: Job = {
  tenantId: TENANT,
  id: RUNNING_ID,
  kind: "differenceReport",
  backupId: "2026-11-25T02:00:00Z",
  state: "calculating",
  scope: {},
  requestedBy: GIL,
  createdAt: "2026-11-25T09:28:40Z",
  startedAt: "2026-11-25T09:28:41Z",
  progress: { done: 740, total: 1_616, estimatedCompletionAt: "2026-11-25T09:31:10Z" },
  attempts: 1,
  cancelRequested: false,
  version: 3,
};
