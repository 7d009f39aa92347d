/** Plain-English labels for the engine's names (recovery actions, steps, job states), made readable. */
import type { TextColor } from "../../cards";
import { OBJECT_TYPES, type ObjectType } from "../../core/model/catalog";
import type { ChangeSummary, CurrentState, NotRecoverableReason, RecoveryAction } from "../../core/model/change";
import type { JobKind, JobState, Scope } from "../../core/model/job";
import { clip, formatCount, plural } from "./format";

const TYPE_NAMES: Readonly<Record<ObjectType, readonly [string, string]>> = {
  user: ["user", "users"],
  group: ["group", "groups"],
  application: ["application", "applications"],
  servicePrincipal: ["service principal", "service principals"],
  conditionalAccessPolicy: ["Conditional Access policy", "Conditional Access policies"],
  namedLocation: ["named location", "named locations"],
  authorizationPolicy: ["authorization policy", "authorization policies"],
  authenticationMethodsPolicy: ["authentication methods policy", "authentication methods policies"],
};

/** "service principal" */
export function typeLabel(type: ObjectType): string {
  return TYPE_NAMES[type][0];
}

/** "3 service principals" */
export function typeCount(type: ObjectType, n: number): string {
  return plural(n, TYPE_NAMES[type][0], TYPE_NAMES[type][1]);
}

/** "Service principals" (a table row heading). */
export function typePluralHeading(type: ObjectType): string {
  const name = TYPE_NAMES[type][1];
  return name[0]!.toUpperCase() + name.slice(1);
}

/** Types in catalog order (the order changes are listed and restored in). */
export const TYPES_IN_ORDER: readonly ObjectType[] = OBJECT_TYPES;

/** The recovery action as the `changes` command's `action=` filter spells it. */
export const ACTION_NAME: Readonly<Record<RecoveryAction, string>> = { restore: "restore", update: "update", softDelete: "softDelete" };

/** Where the object is now. */
export const CURRENT_STATE_LABEL: Readonly<Record<CurrentState, string>> = {
  active: "exists now",
  softDeleted: "soft-deleted now",
  hardDeleted: "deleted permanently",
};

/** Job kinds. */
export const KIND_LABEL: Readonly<Record<JobKind, string>> = { differenceReport: "Difference report", recovery: "Recovery job" };

/** Job states, readable. */
export const STATE_LABEL: Readonly<Record<JobState, string>> = {
  queued: "Queued",
  loadingData: "Loading data",
  calculating: "Calculating",
  running: "Running",
  succeeded: "Succeeded",
  completedWithWarnings: "Completed with warnings",
  failed: "Failed",
  canceled: "Canceled",
};

export const STATE_COLOR: Readonly<Record<JobState, TextColor>> = {
  queued: "Default",
  loadingData: "Accent",
  calculating: "Accent",
  running: "Accent",
  succeeded: "Good",
  completedWithWarnings: "Warning",
  failed: "Attention",
  canceled: "Warning",
};

/** Why a change cannot be recovered, short. */
export const REASON_LABEL: Readonly<Record<NotRecoverableReason, string>> = {
  synced: "synchronized from on-premises AD",
  hardDeleted: "deleted permanently",
  unsupported: "not supported",
};

/** Why, and what to do instead, per reason (a count goes in front). */
const REASON_SENTENCE: Readonly<Record<NotRecoverableReason, readonly [string, string]>> = {
  synced: [
    "is synchronized from on-premises Active Directory: fix it there (or in your sync rules).",
    "are synchronized from on-premises Active Directory: fix them there (or in your sync rules).",
  ],
  hardDeleted: [
    "was deleted permanently and cannot be restored: re-create it by hand if it is needed.",
    "were deleted permanently and cannot be restored: re-create them by hand if they are needed.",
  ],
  unsupported: [
    "is not supported: Rewind never deletes permanently, and its type has no soft delete (or cannot be restored). Handle it by hand.",
    "are not supported: Rewind never deletes permanently, and their types have no soft delete (or cannot be restored). Handle them by hand.",
  ],
};

/** One sentence per reason with a count, from a summary; a plain count when the report predates reasons. */
export function excludedLines(summary: ChangeSummary): string[] {
  const excluded = summary.excluded;
  if (!excluded) return summary.notRecoverable > 0 ? [`${plural(summary.notRecoverable, "change", "changes")} cannot be recovered (each change says why).`] : [];
  const lines: string[] = [];
  for (const reason of ["synced", "hardDeleted", "unsupported"] as const) {
    const n = excluded[reason] ?? 0;
    if (n > 0) lines.push(`${plural(n, "change", "changes")} ${REASON_SENTENCE[reason][n === 1 ? 0 : 1]}`);
  }
  return lines;
}

/** Changes per action over all types. */
export function countsByAction(summary: ChangeSummary): Record<RecoveryAction, number> {
  const counts: Record<RecoveryAction, number> = { restore: 0, update: 0, softDelete: 0 };
  for (const actions of Object.values(summary.byType)) {
    if (!actions) continue;
    for (const [action, n] of Object.entries(actions) as [RecoveryAction, number | undefined][]) counts[action] += n ?? 0;
  }
  return counts;
}

/** "All supported objects", "users and groups", "3 objects (user)", with the attributes it is narrowed to. */
export function describeScope(scope: Scope): string {
  const parts: string[] = [];
  if (scope.objects && scope.objects.length > 0) {
    const ids = scope.objects.reduce((n, o) => n + o.ids.length, 0);
    const types = [...new Set(scope.objects.map((o) => typeLabel(o.type)))].join(", ");
    parts.push(`${plural(ids, "object", "objects")} by id (${types})`);
  } else if (scope.types && scope.types.length > 0) {
    parts.push(`Types: ${scope.types.map(typeLabel).join(", ")}`);
  } else {
    parts.push("All supported objects");
  }
  if (scope.attributes && scope.attributes.length > 0) {
    const shown = scope.attributes.slice(0, 6).join(", ");
    const more = scope.attributes.length > 6 ? ` and ${formatCount(scope.attributes.length - 6)} more` : "";
    parts.push(`only ${clip(shown, 200)}${more}`);
  }
  return parts.join("; ");
}
