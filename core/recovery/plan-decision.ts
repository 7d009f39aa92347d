import type { UnnumberedChange } from "../diff/compare-object";
import { canonicalJson } from "../model/canonical-json";
import type { Change, LinkChange } from "../model/change";

/** The reasons a planned change is skipped (every change gets an outcome, a skip with its reason). */
export const SKIP_REASONS = {
  alreadyMatches: "The object already matches the backup.",
  changedSinceReport: "The object changed after the difference report; run a new report to recover it.",
  backupDiffers:
    "The backup's values for this object differ from those the approved difference report showed (the stored backup was changed), so nothing was written. Run a new report and check it.",
  notRecoverable: "This change cannot be recovered.",
} as const;

/** What the plan does with one of the report's changes. */
export type PlanDecision =
  /** Write `change`: what is still to write of the report's change, numbered with the report's seq. */
  | { readonly kind: "apply"; readonly change: Change }
  /** Record the report's change as skipped, with the reason. */
  | { readonly kind: "skip"; readonly change: Change; readonly reason: string };

/**
 * Decides one change of the plan from the report's change `reported` and the same object's difference now
 * (`fresh`, null when it matches the backup). A recovery writes only what the approved report showed:
 * the fresh difference must be part of the reported one (same action, same current values, no link target
 * the report did not list), else the object changed after the report and is skipped, never overwritten.
 *
 * `accountedByReport` names link targets the report left out of link differences on purpose (objects it
 * restores or soft-deletes itself, see `foldLinkTargets`): such a target in the fresh difference is not a
 * change after the report, and is not written either.
 */
export function decideChange(reported: Change, fresh: UnnumberedChange | null, accountedByReport: (targetId: string) => boolean): PlanDecision {
  if (!reported.recoverable) return skip(reported, reported.notRecoverableDetail ?? SKIP_REASONS.notRecoverable);
  if (fresh === null) return skip(reported, SKIP_REASONS.alreadyMatches);
  if (fresh.recoveryAction !== reported.recoveryAction) return skip(reported, SKIP_REASONS.changedSinceReport);
  // Became synchronized, or was purged from deleted items, since the report: say so rather than "changed".
  if (!fresh.recoverable) return skip(reported, fresh.notRecoverableDetail ?? SKIP_REASONS.changedSinceReport);

  // Both sides must be as approved: the current value (else the tenant changed since) and the backup value
  // (else the stored backup changed since, and writing it would write what nobody approved).
  const reportedProps = new Map(reported.deltaFromCurrent.properties.map((p) => [p.name, p]));
  for (const p of fresh.deltaFromCurrent.properties) {
    const r = reportedProps.get(p.name);
    if (!r || canonicalJson(r.currentValue ?? null) !== canonicalJson(p.currentValue ?? null)) return skip(reported, SKIP_REASONS.changedSinceReport);
    if (canonicalJson(r.backupValue ?? null) !== canonicalJson(p.backupValue ?? null)) return skip(reported, SKIP_REASONS.backupDiffers);
  }

  const links: LinkChange[] = [];
  for (const l of fresh.deltaFromCurrent.links) {
    const r = reported.deltaFromCurrent.links.find((x) => x.link === l.link);
    const toAdd = within(l.toAdd, new Set(r?.toAdd ?? []), accountedByReport);
    const toRemove = within(l.toRemove, new Set(r?.toRemove ?? []), accountedByReport);
    if (toAdd === null || toRemove === null) return skip(reported, SKIP_REASONS.changedSinceReport);
    if (toAdd.length > 0 || toRemove.length > 0) links.push({ link: l.link, toAdd, toRemove });
  }
  const properties = fresh.deltaFromCurrent.properties;
  if (fresh.recoveryAction === "update" && properties.length === 0 && links.length === 0) return skip(reported, SKIP_REASONS.alreadyMatches);
  const incoming = reported.incomingLinks ? { incomingLinks: reported.incomingLinks } : {};
  // The approver saw the report's security flags: the plan keeps them (for the audit of what is applied).
  const sensitive = reported.sensitive ? { sensitive: reported.sensitive } : {};
  return { kind: "apply", change: { ...fresh, seq: reported.seq, deltaFromCurrent: { properties, links }, ...incoming, ...sensitive } };
}

function skip(change: Change, reason: string): PlanDecision {
  return { kind: "skip", change, reason };
}

/** The fresh targets the report listed, or null when one was neither listed nor left out on purpose. */
function within(fresh: readonly string[], reported: ReadonlySet<string>, accounted: (id: string) => boolean): string[] | null {
  const out: string[] = [];
  for (const t of fresh) {
    if (reported.has(t)) out.push(t);
    else if (!accounted(t)) return null;
  }
  return out;
}
