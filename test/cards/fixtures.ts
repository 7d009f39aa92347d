/**
 * Engine objects for the card tests: a realistic set, and the largest realistic set (long names, 33 changed
 * properties with long values, links with 1,000 targets, 365 backups, long Graph messages).
 */
import type { Permission, Role } from "../../core/access/roles";
import type { BackupSummary, TypeCounts } from "../../core/model/backup";
import { OBJECT_TYPES, type ObjectType } from "../../core/model/catalog";
import type { Change, ChangeOutcome, ChangeSummary, PropertyChange } from "../../core/model/change";
import type { Job } from "../../core/model/job";
import type { RecoveryRequest } from "../../core/model/recovery-request";
import type { BackupList } from "../../core/rewind";
import type { ViewContext } from "../../bot/views";

export const TENANT = "7c1f0b6e-2f0a-4b4e-9a59-3f1d2c0e9a11";
export const NOW = new Date("2026-11-25T03:00:00Z");

/** A v4-shaped id numbered `n` within a namespace (0–15). */
export function uuid(n: number, ns = 1): string {
  return `${ns.toString(16)}0000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
}

export const ADA = uuid(1, 10);
export const BEN = uuid(2, 10);
export const GIL = uuid(3, 10);
/** A user with no known name (cards show the id). */
export const NAMELESS = uuid(4, 10);

/** 256 characters mixing accents, CJK and emoji: the longest display name Entra takes, and heavy in UTF-8. */
export const LONG_NAME = Array.from("Ångström-Łukasiewicz 渡辺 Ñoño 🚀 Þórunn Ødegård ").join("").repeat(8).slice(0, 256);

export const SMALL_CTX: ViewContext = { now: NOW, names: new Map([[ADA, "Ada Lovelace"], [BEN, "Ben Okafor"], [GIL, "Gil Ramos"]]) };
export const LARGE_CTX: ViewContext = { now: NOW, names: new Map([[ADA, LONG_NAME], [BEN, LONG_NAME], [GIL, LONG_NAME]]) };

/** A long Graph error message (their messages carry request ids, dates and inner errors). */
export const LONG_GRAPH_MESSAGE = (
  "Insufficient privileges to complete the operation. Authorization_RequestDenied: the calling principal cannot restore a user " +
  "who holds a privileged directory role; this requires Privileged Role Administrator. " +
  'innerError: {"date":"2026-11-25T02:31:07","request-id":"0f8fad5b-d9cb-469f-a165-70867728950e","client-request-id":"7c9e6679-7425-40de-944b-e07fc1f90ae7"} '
).repeat(6);

const BIG_COUNTS: Record<ObjectType, TypeCounts> = {
  user: { live: 1_250_000, deleted: 48_213 },
  group: { live: 310_442, deleted: 9_120 },
  application: { live: 24_310, deleted: 1_002 },
  servicePrincipal: { live: 51_877, deleted: 2_340 },
  conditionalAccessPolicy: { live: 195, deleted: 0 },
  namedLocation: { live: 195, deleted: 0 },
  authorizationPolicy: { live: 1, deleted: 0 },
  authenticationMethodsPolicy: { live: 1, deleted: 0 },
};

/** A backup taken `daysAgo` days before NOW at 02:00. */
export function backup(daysAgo: number, big = false): BackupSummary {
  const start = new Date(Date.UTC(2026, 10, 25, 2, 0, 0) - daysAgo * 86_400_000);
  const id = `${start.toISOString().slice(0, 19)}Z`;
  const onDemand = daysAgo % 7 === 3;
  return {
    tenantId: TENANT,
    id,
    trigger: onDemand ? "onDemand" : "scheduled",
    ...(onDemand ? { requestedBy: ADA } : {}),
    startedAt: id,
    completedAt: new Date(start.getTime() + 4 * 60_000).toISOString(),
    counts: big ? BIG_COUNTS : { user: { live: 412, deleted: 3 }, group: { live: 57, deleted: 0 }, application: { live: 12, deleted: 1 } },
    links: big ? 9_876_543 : 1_204,
  };
}

export function backupList(n: number, big = false, note: string | null = null): BackupList {
  return { backups: Array.from({ length: n }, (_, i) => backup(i, big)), retentionDays: big ? 365 : 5, note };
}

export const EARLY_NOTE =
  "Backups are kept 5 days. The oldest is from 2026-11-23T02:00:00Z: Rewind has been taking backups for less than that, so fewer are listed. This is normal in the first days.";

const SMALL_SUMMARY: ChangeSummary = {
  total: 42,
  notRecoverable: 5,
  byType: { user: { update: 20, restore: 4, softDelete: 2 }, group: { update: 10, restore: 1 }, conditionalAccessPolicy: { update: 3, softDelete: 2 } },
  links: 37,
  excluded: { synced: 2, hardDeleted: 1, unsupported: 2 },
  digest: "a".repeat(64),
};

const LARGE_SUMMARY: ChangeSummary = {
  total: 1_612_345,
  notRecoverable: 310_021,
  byType: Object.fromEntries(OBJECT_TYPES.map((t, i) => [t, { update: 100_000 + i, restore: 90_000 + i, softDelete: 80_000 + i }])),
  links: 98_765_432,
  excluded: { synced: 300_000, hardDeleted: 10_000, unsupported: 21 },
  digest: "b".repeat(64),
};

export const REPORT_ID = uuid(1, 2);
export const RECOVERY_ID = uuid(2, 2);
export const REQUEST_ID = uuid(3, 2);

/** A difference report job (succeeded unless overridden). */
export function reportJob(over: Partial<Job> = {}, large = false): Job {
  return {
    tenantId: TENANT,
    id: REPORT_ID,
    kind: "differenceReport",
    backupId: "2026-11-24T02:00:00Z",
    state: "succeeded",
    scope: large
      ? { objects: [{ type: "user", ids: Array.from({ length: 1000 }, (_, i) => uuid(i, 5)) }], attributes: Array.from({ length: 40 }, (_, i) => `extensionAttribute${i}`) }
      : { types: ["user", "group"] },
    requestedBy: ADA,
    createdAt: "2026-11-25T02:30:00Z",
    startedAt: "2026-11-25T02:30:01Z",
    completedAt: "2026-11-25T02:41:12Z",
    progress: { done: 52_000, total: 52_000, estimatedCompletionAt: null },
    summary: large ? LARGE_SUMMARY : SMALL_SUMMARY,
    attempts: 1,
    cancelRequested: false,
    version: 7,
    ...over,
  };
}

/** A recovery job (completed with warnings unless overridden). */
export function recoveryJob(over: Partial<Job> = {}, large = false): Job {
  return {
    ...reportJob({}, large),
    id: RECOVERY_ID,
    kind: "recovery",
    state: "completedWithWarnings",
    reportId: REPORT_ID,
    approvedBy: BEN,
    recoveryRequestId: REQUEST_ID,
    requestedBy: ADA,
    progress: { done: 37, total: 37, estimatedCompletionAt: null },
    outcomes: large ? { total: 1_302_324, applied: 1_200_000, failed: 100_000, skipped: 2_324 } : { total: 37, applied: 33, failed: 3, skipped: 1 },
    ...over,
  };
}

/** A running job of either kind. */
export function runningJob(kind: "differenceReport" | "recovery", over: Partial<Job> = {}, large = false): Job {
  const base = kind === "differenceReport" ? reportJob({}, large) : recoveryJob({}, large);
  const { completedAt: _c, summary: _s, outcomes: _o, ...rest } = base;
  void _c;
  void _s;
  void _o;
  return {
    ...rest,
    state: kind === "differenceReport" ? "calculating" : "running",
    progress: { done: 4_200, total: 10_000, estimatedCompletionAt: "2026-11-25T03:04:10Z" },
    ...over,
  };
}

const LONG_VALUE = 'Très "long" value — with quotes, \\backslashes\\, 漢字 and emoji 🚀; '.repeat(8);

function largeProperties(): PropertyChange[] {
  const names = [
    "accountEnabled", "ageGroup", "city", "companyName", "consentProvidedForMinor", "country", "department", "displayName",
    "employeeHireDate", "employeeId", "employeeLeaveDateTime", "employeeOrgData", "employeeType", "faxNumber", "givenName",
    "jobTitle", "mail", "mailNickname", "mobilePhone", "otherMails", "passwordPolicies", "officeLocation", "postalCode",
    "preferredDataLocation", "preferredLanguage", "state", "streetAddress", "surname", "businessPhones", "usageLocation",
    "userPrincipalName", "userType", "employeeOrgData",
  ];
  return names.map((name, i) => ({
    name,
    backupValue: i % 3 === 0 ? { division: LONG_VALUE, costCenter: `CC-${i}`, nested: [LONG_VALUE, i] } : `${LONG_VALUE}${i}`,
    currentValue: i % 4 === 0 ? null : [`${LONG_VALUE}`, `other ${i}`],
  }));
}

/** A realistic change: a user with a few properties and a manager link. */
export function smallChange(seq: number, over: Partial<Change> = {}): Change {
  return {
    seq,
    id: uuid(seq, 3),
    entityTypeName: "user",
    displayName: `Megan Bowen ${seq}`,
    recoveryAction: "update",
    deltaFromCurrent: {
      properties: [
        { name: "jobTitle", backupValue: "Marketing Manager", currentValue: "Intern" },
        { name: "department", backupValue: "Marketing", currentValue: null },
        { name: "businessPhones", backupValue: ["+1 425 555 0109"], currentValue: [] },
      ],
      // The manager in the backup is known by name; the one set since is not (named by id on the card).
      links: [{ link: "manager", toAdd: [uuid(7, 3)], toRemove: [uuid(8, 3)], names: { [uuid(7, 3)]: "Patti Fernandez" } }],
    },
    currentState: "active",
    recoverable: true,
    ...over,
  };
}

/** The largest realistic change: long name, 33 long properties, links with 1,000 targets each way, many incoming links. */
export function largeChange(seq: number, over: Partial<Change> = {}): Change {
  const targets = (ns: number) => Array.from({ length: 1000 }, (_, i) => uuid(i, ns));
  // The first ten targets of each list carry names, as the difference report stores them: long ones.
  const names = (...ns: number[]) => Object.fromEntries(ns.flatMap((n) => Array.from({ length: 10 }, (_, i) => [uuid(i, n), `${LONG_NAME} ${n}-${i}`])));
  return {
    seq,
    id: uuid(seq, 4),
    entityTypeName: "group",
    displayName: LONG_NAME,
    recoveryAction: "restore",
    deltaFromCurrent: {
      properties: largeProperties(),
      links: [
        { link: "members", toAdd: targets(6), toRemove: targets(7), names: names(6, 7) },
        { link: "owners", toAdd: targets(8), toRemove: targets(9), names: names(8, 9) },
      ],
    },
    currentState: "softDeleted",
    recoverable: seq % 2 === 0,
    ...(seq % 2 === 0
      ? {}
      : {
          notRecoverableReason: "synced" as const,
          notRecoverableDetail: `This object is synchronized from on-premises Active Directory; change it there (or in your sync rules). ${LONG_VALUE}`,
        }),
    incomingLinks: Array.from({ length: 300 }, (_, i) => ({ type: "group" as const, id: uuid(i, 11), link: i % 2 ? ("members" as const) : ("owners" as const), name: `${LONG_NAME} ${i}` })),
    ...over,
  };
}

export function smallChanges(n: number): Change[] {
  return Array.from({ length: n }, (_, i) =>
    i === 1
      ? smallChange(i + 1, { recoverable: false, notRecoverableReason: "synced", notRecoverableDetail: "This object is synchronized from on-premises Active Directory; change it there (or in your sync rules)." })
      : smallChange(i + 1),
  );
}

export function largeChanges(n: number): Change[] {
  return Array.from({ length: n }, (_, i) => largeChange(i + 1));
}

/** Recoverable changes flagged security-sensitive (the largest with long reasons). */
export function sensitiveChanges(n: number, large: boolean): Change[] {
  const reasons = large
    ? [LONG_GRAPH_MESSAGE, "Re-enables a disabled account: it can sign in again.", LONG_GRAPH_MESSAGE, "Changes the members of a role-assignable group."]
    : ["Re-enables a disabled account: it can sign in again."];
  return (large ? largeChanges(n) : smallChanges(n)).map((c) => ({ ...c, recoverable: true, sensitive: reasons }));
}

export function outcomesOf(changes: readonly Change[], large: boolean): ChangeOutcome[] {
  return changes.map((change, i) => {
    if (i % 3 === 0) return { change, outcome: "failed", failureMessage: large ? LONG_GRAPH_MESSAGE : "Insufficient privileges to complete the operation." };
    if (i % 3 === 1) return { change, outcome: "skipped", failureMessage: "The object changed after the difference report; run a new report to recover it." };
    return { change, outcome: "applied" };
  });
}

export function failedOutcomes(n: number, large: boolean): ChangeOutcome[] {
  const changes = large ? largeChanges(n) : smallChanges(n);
  return changes.map((change) => ({ change, outcome: "failed", failureMessage: large ? LONG_GRAPH_MESSAGE : "Insufficient privileges to complete the operation." }));
}

/** A recovery request (pending, not expired at NOW, unless overridden). */
export function recoveryRequest(over: Partial<RecoveryRequest> = {}, large = false): RecoveryRequest {
  return {
    tenantId: TENANT,
    id: REQUEST_ID,
    reportId: REPORT_ID,
    backupId: "2026-11-24T02:00:00Z",
    scope: large ? reportJob({}, true).scope : {},
    requestedBy: ADA,
    requestedAt: "2026-11-25T02:50:00Z",
    digest: "c0ffee".repeat(10) + "beef",
    expiresAt: "2026-11-26T02:50:00Z",
    state: "pending",
    version: 1,
    ...over,
  };
}

/** Teams ids of approvers ("29:…"). */
export function channelIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `29:1${"Ab9-_".repeat(14)}${i}`);
}

export function jobsPage(n: number, large: boolean): Job[] {
  return Array.from({ length: n }, (_, i) => {
    const id = uuid(i + 100, 2);
    if (i % 3 === 0) return runningJob("differenceReport", { id, cancelRequested: i === 3, cancelRequestedBy: BEN }, large);
    if (i % 3 === 1) return recoveryJob({ id }, large);
    return reportJob({ id, state: "failed", error: large ? LONG_GRAPH_MESSAGE : "Graph returned 503." }, large);
  });
}

export const ALL_ROLES: readonly Role[] = ["backupReader", "backupAdministrator", "globalAdministrator"];
export const ALL_PERMISSIONS: readonly Permission[] = [
  "listBackups", "readReports", "startReport", "listJobs", "takeBackup", "requestRecovery", "approveRecovery", "cancelJob", "readAudit",
];
