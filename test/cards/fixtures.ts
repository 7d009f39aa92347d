/**
 * Engine objects for the card tests: the demo morning (test/fixtures/demo-morning.ts, the screenshots' data
 * too) and the variations of it a test needs, and the largest realistic set (long names, 33 changed properties
 * with long values, links with 1,000 targets, 365 backups, long Graph messages).
 */
import type { Permission, Role } from "../../core/access/roles";
import type { BackupSummary, TypeCounts } from "../../core/model/backup";
import { OBJECT_TYPES, type ObjectType } from "../../core/model/catalog";
import type { Change, ChangeOutcome, ChangeSummary, PropertyChange } from "../../core/model/change";
import type { Job, RecoveryJob, ReportJob, Scope } from "../../core/model/job";
import type { RecoveryRequest } from "../../core/model/recovery-request";
import type { BackupList } from "../../core/rewind";
import type { ViewContext } from "../../bot/views";
import * as M from "../fixtures/demo-morning";

export { ADA, BEN, GIL, TENANT, REPORT_ID, RECOVERY_ID, REQUEST_ID, RETENTION_NOTE, OUTCOMES, FAILED, GRAPH_FAILURE, ON_DEMAND_BACKUP, objectId } from "../fixtures/demo-morning";

/** The morning's "now": when the cards are looked at. */
export const NOW = M.CTX.now;

/** A v4-shaped id numbered `n` within a namespace (0–15). */
export function uuid(n: number, ns = 1): string {
  return `${ns.toString(16)}0000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
}

/** A user with no known name (cards show the id). */
export const NAMELESS = uuid(4, 10);

/** 256 characters mixing accents, CJK and emoji: the longest display name Entra takes, and heavy in UTF-8. */
export const LONG_NAME = Array.from("Ångström-Łukasiewicz 渡辺 Ñoño 🚀 Þórunn Ødegård ").join("").repeat(8).slice(0, 256);

/** The morning as its people see it. */
export const SMALL_CTX: ViewContext = M.CTX;
/** The morning with the longest names. */
export const LARGE_CTX: ViewContext = { now: NOW, names: new Map([[M.ADA, LONG_NAME], [M.BEN, LONG_NAME], [M.GIL, LONG_NAME]]) };

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

/** A backup of the largest tenant, taken `daysAgo` days before the morning at 02:00. */
export function bigBackup(daysAgo: number): BackupSummary {
  const start = new Date(Date.UTC(2026, 10, 25, 2, 0, 0) - daysAgo * 86_400_000);
  const id = `${start.toISOString().slice(0, 19)}Z`;
  const onDemand = daysAgo % 7 === 3;
  return {
    tenantId: M.TENANT,
    id,
    trigger: onDemand ? "onDemand" : "scheduled",
    ...(onDemand ? { requestedBy: M.ADA } : {}),
    startedAt: id,
    completedAt: new Date(start.getTime() + 4 * 60_000).toISOString(),
    counts: BIG_COUNTS,
    links: 9_876_543,
  };
}

/** The morning's newest `n` backups (at most its four), or `n` of the largest tenant's, kept a year. */
export function backupList(n: number, big = false, note: string | null = null): BackupList {
  if (big) return { backups: Array.from({ length: n }, (_, i) => bigBackup(i)), retentionDays: 365, note };
  if (n > M.BACKUPS.length) throw new RangeError(`the morning has ${M.BACKUPS.length} backups`);
  return { backups: M.BACKUPS.slice(0, n), retentionDays: 5, note };
}

const LARGE_SUMMARY: ChangeSummary = {
  total: 1_612_345,
  notRecoverable: 310_021,
  byType: Object.fromEntries(OBJECT_TYPES.map((t, i) => [t, { update: 100_000 + i, restore: 90_000 + i, softDelete: 80_000 + i }])),
  links: 98_765_432,
  excluded: { synced: 300_000, hardDeleted: 10_000, unsupported: 21 },
  digest: "b".repeat(64),
};

/** The largest scope: a thousand users by id and forty attributes. */
const LARGE_SCOPE: Scope = {
  objects: [{ type: "user", ids: Array.from({ length: 1000 }, (_, i) => uuid(i, 5)) }],
  attributes: Array.from({ length: 40 }, (_, i) => `extensionAttribute${i}`),
};

/** Ada's report of the morning (succeeded), changed by `over`; the largest adds its scope and counts. */
export function reportJob(over: Partial<ReportJob> = {}, large = false): ReportJob {
  return { ...M.REPORT, ...(large ? { scope: LARGE_SCOPE, summary: LARGE_SUMMARY } : {}), ...over };
}

/** The recovery Ben approved (completed with warnings), changed by `over`; the largest adds its scope and counts. */
export function recoveryJob(over: Partial<RecoveryJob> = {}, large = false): RecoveryJob {
  const big = { scope: LARGE_SCOPE, summary: LARGE_SUMMARY, outcomes: { total: 1_302_324, applied: 1_200_000, failed: 100_000, skipped: 2_324 } };
  return { ...M.RECOVERY, ...(large ? big : {}), ...over };
}

/** A job under way: Gil's report of the morning, or Ben's recovery while it ran. */
export function runningJob(kind: "differenceReport" | "recovery", over: Partial<Omit<ReportJob, "kind">> = {}, large = false): Job {
  const big = large ? { scope: LARGE_SCOPE } : {};
  if (kind === "differenceReport") return { ...M.RUNNING, ...big, ...over };
  const { completedAt: _completed, summary: _summary, outcomes: _outcomes, ...recovery } = M.RECOVERY;
  return { ...recovery, state: "running", progress: { done: 9, total: 23, estimatedCompletionAt: "2026-11-25T09:13:05Z" }, ...big, ...over };
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

/** The morning's change numbered `seq` (1–10), changed by `over`. */
export function smallChange(seq: number, over: Partial<Change> = {}): Change {
  const change = M.CHANGES[seq - 1];
  if (!change) throw new RangeError(`the morning's first page has ${M.CHANGES.length} changes`);
  return { ...change, ...over };
}

/** The morning's first `n` changes (at most its ten). */
export function smallChanges(n: number): Change[] {
  if (n > M.CHANGES.length) throw new RangeError(`the morning's first page has ${M.CHANGES.length} changes`);
  return M.CHANGES.slice(0, n);
}

/** The morning's recoverable changes flagged security-sensitive (Alex Wilber re-enabled). */
export const SENSITIVE: Change[] = M.CHANGES.filter((c) => c.recoverable && c.sensitive);

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

export function largeChanges(n: number): Change[] {
  return Array.from({ length: n }, (_, i) => largeChange(i + 1));
}

/** The largest changes, each flagged security-sensitive with long reasons. */
export function largeSensitiveChanges(n: number): Change[] {
  const reasons = [LONG_GRAPH_MESSAGE, "Re-enables a disabled account: it can sign in again.", LONG_GRAPH_MESSAGE, "Changes the members of a role-assignable group."];
  return largeChanges(n).map((c) => ({ ...c, recoverable: true, sensitive: reasons }));
}

/** Outcomes of the largest changes: failed (with a long Graph message), skipped and applied in turn. */
export function largeOutcomes(changes: readonly Change[]): ChangeOutcome[] {
  return changes.map((change, i) => {
    if (i % 3 === 0) return { change, outcome: "failed", failureMessage: LONG_GRAPH_MESSAGE };
    if (i % 3 === 1) return { change, outcome: "skipped", failureMessage: "The object changed after the difference report; run a new report to recover it." };
    return { change, outcome: "applied" };
  });
}

/** A recovery where the first `n` changes failed: the morning's with Graph's message, or the largest with a long one. */
export function failedOutcomes(n: number, large: boolean): ChangeOutcome[] {
  const changes = large ? largeChanges(n) : smallChanges(n);
  return changes.map((change) => ({ change, outcome: "failed", failureMessage: large ? LONG_GRAPH_MESSAGE : M.GRAPH_FAILURE }));
}

/** Ada's request (pending, not expired in the morning), changed by `over`; the largest has the largest scope. */
export function recoveryRequest(over: Partial<RecoveryRequest> = {}, large = false): RecoveryRequest {
  return { ...M.REQUEST, ...(large ? { scope: LARGE_SCOPE } : {}), ...over };
}

/** Teams ids of approvers ("29:…"). */
export function channelIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `29:1${"Ab9-_".repeat(14)}${i}`);
}

/** `n` jobs of the morning in turn: Gil's report under way (the fourth with a cancel asked by Ben), Ben's recovery, a failed report. */
export function jobsPage(n: number, large: boolean): Job[] {
  return Array.from({ length: n }, (_, i) => {
    const id = uuid(i + 100, 2);
    if (i % 3 === 0) return runningJob("differenceReport", { id, cancelRequested: i === 3, cancelRequestedBy: M.BEN }, large);
    if (i % 3 === 1) return recoveryJob({ id }, large);
    return reportJob({ id, state: "failed", error: large ? LONG_GRAPH_MESSAGE : "Graph returned 503." }, large);
  });
}

export const ALL_ROLES: readonly Role[] = ["backupReader", "backupAdministrator", "globalAdministrator"];
export const ALL_PERMISSIONS: readonly Permission[] = [
  "listBackups", "readReports", "startReport", "listJobs", "takeBackup", "requestRecovery", "approveRecovery", "cancelJob", "readAudit",
];
