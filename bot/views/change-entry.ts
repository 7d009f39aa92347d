/** How one change (or one recovery outcome) reads on a card; shared by the lists that show changes. */
import type { ChangeEntry, TextColor } from "../../cards";
import type { Change, ChangeOutcome, IncomingLink, LinkChange } from "../../core/model/change";
import { propertyLabel } from "../../core/model/contained";
import type { DetailLevel } from "./fit-budget";
import { compactValue, formatCount, plural, tenantText } from "./format";
import { ACTION_NAME, CURRENT_STATE_LABEL, REASON_LABEL, typeLabel } from "./labels";

/** The change's display name, else its id. */
export function changeName(change: Change, level: DetailLevel): string {
  return change.displayName ? tenantText(change.displayName, level.nameChars) : change.id;
}

/** "user · update · exists now · id 0f8f…" */
export function changeDetail(change: Change): string {
  return `${typeLabel(change.entityTypeName)} · ${ACTION_NAME[change.recoveryAction]} · ${CURRENT_STATE_LABEL[change.currentState]} · id ${change.id}`;
}

/** "Cannot be recovered (synchronized from on-premises AD): …", or "" for a recoverable change. */
export function notRecoverableText(change: Change, level: DetailLevel): string {
  if (change.recoverable) return "";
  const reason = change.notRecoverableReason ? REASON_LABEL[change.notRecoverableReason] : "not recoverable";
  const detail = change.notRecoverableDetail ? `: ${tenantText(change.notRecoverableDetail, level.messageChars)}` : "";
  return `Cannot be recovered (${reason})${detail}`;
}

/** "Security-sensitive: Re-enables a disabled account…", or "" when the change has no flag (or cannot be recovered). */
export function sensitiveText(change: Change, level: DetailLevel): string {
  if (!change.recoverable || !change.sensitive || change.sensitive.length === 0) return "";
  return `Security-sensitive: ${tenantText(change.sensitive.join(" "), level.messageChars)}`;
}

/** A change as an entry of a changes page, with its outcome when it comes from a recovery. */
export function changeEntry(change: Change, level: DetailLevel, outcome?: ChangeOutcome): ChangeEntry {
  const flag = sensitiveText(change, level);
  const status = outcome
    ? outcomeStatus(outcome, level)
    : change.recoverable && flag
      ? { text: flag, color: "Attention" as const }
      : { text: notRecoverableText(change, level), color: "Warning" as const };
  const properties = change.deltaFromCurrent.properties;
  const shown = properties.slice(0, level.properties).map((p) => ({
    title: tenantText(propertyLabel(change.entityTypeName, p.name), 60),
    value: `${compactValue(p.backupValue, level.valueChars)} → ${compactValue(p.currentValue, level.valueChars)}`,
  }));
  const lines: string[] = [];
  if (properties.length > shown.length) lines.push(`and ${plural(properties.length - shown.length, "more property", "more properties")}`);
  for (const link of change.deltaFromCurrent.links) {
    const line = linkLine(link, level);
    if (line) lines.push(line);
  }
  if (change.incomingLinks && change.incomingLinks.length > 0) lines.push(incomingLine(change.incomingLinks, level));
  if (outcome && flag) lines.push(flag);
  return { name: changeName(change, level), detail: changeDetail(change), status: status.text, statusColor: status.color, properties: shown, lines };
}

function outcomeStatus(o: ChangeOutcome, level: DetailLevel): { text: string; color: TextColor } {
  const message = o.failureMessage ? `: ${tenantText(o.failureMessage, level.messageChars)}` : "";
  switch (o.outcome) {
    case "applied":
      return { text: "Applied", color: "Good" };
    case "failed":
      return { text: `Failed${message}`, color: "Attention" };
    case "skipped":
      return { text: `Skipped${message}`, color: "Warning" };
    case "pending":
      return { text: "Not applied yet", color: "Default" };
  }
}

/** "members: re-add 3, remove 1 (re-add Ada Admin, Ben Second, 1a2b…; remove 9c8d…)": names where known, else ids. */
function linkLine(link: LinkChange, level: DetailLevel): string {
  const parts: string[] = [];
  if (link.toAdd.length > 0) parts.push(`re-add ${formatCount(link.toAdd.length)}`);
  if (link.toRemove.length > 0) parts.push(`remove ${formatCount(link.toRemove.length)}`);
  if (parts.length === 0) return "";
  const targets: string[] = [];
  if (level.linkIds > 0) {
    const label = (id: string): string => (link.names !== undefined && Object.hasOwn(link.names, id) ? link.names[id]! : id);
    if (link.toAdd.length > 0) targets.push(`re-add ${shortList(link.toAdd, level.linkIds, label)}`);
    if (link.toRemove.length > 0) targets.push(`remove ${shortList(link.toRemove, level.linkIds, label)}`);
  }
  return `${link.link}: ${parts.join(", ")}${targets.length > 0 ? ` (${targets.join("; ")})` : ""}`;
}

/** "Ada Admin, Ben Second, …": the first `max` items by label (a name, else the id), then "…" if there are more. */
function shortList<T>(items: readonly T[], max: number, label: (item: T) => string): string {
  const shown = items
    .slice(0, max)
    .map((item) => tenantText(label(item), 40))
    .join(", ");
  return items.length > max ? `${shown}, …` : shown;
}

/**
 * "Linked from 5 objects in the backup (members ×3, manager ×2: Finance Approvers, Sales Team, …): recovery
 * re-adds any the restore does not bring back." Names where the report has them, as many as link targets.
 */
function incomingLine(links: readonly IncomingLink[], level: DetailLevel): string {
  const byLink = new Map<string, number>();
  for (const l of links) byLink.set(l.link, (byLink.get(l.link) ?? 0) + 1);
  const kinds = [...byLink].map(([link, n]) => `${link} ×${formatCount(n)}`).join(", ");
  const names = level.linkIds > 0 ? `: ${shortList(links, level.linkIds, (l) => l.name ?? l.id)}` : "";
  return `Linked from ${plural(links.length, "object", "objects")} in the backup (${kinds}${names}): recovery re-adds any the restore does not bring back.`;
}
