import type { BackupSummary } from "../../core/model/backup";
import { formatCount, plural } from "./format";
import { TYPES_IN_ORDER, typeCount } from "./labels";

/** "10,234 users (12 soft-deleted) · 532 groups · … · 45,120 links" */
export function countsLine(backup: BackupSummary): string {
  const parts: string[] = [];
  for (const type of TYPES_IN_ORDER) {
    const c = backup.counts[type];
    if (!c) continue;
    parts.push(`${typeCount(type, c.live)}${c.deleted > 0 ? ` (${formatCount(c.deleted)} soft-deleted)` : ""}`);
  }
  parts.push(plural(backup.links, "link", "links"));
  return parts.join(" · ");
}

/** One fact per type: "10,234 (12 soft-deleted)". */
export function countFacts(backup: BackupSummary): { title: string; value: string }[] {
  const facts: { title: string; value: string }[] = [];
  for (const type of TYPES_IN_ORDER) {
    const c = backup.counts[type];
    if (!c) continue;
    const heading = typeCount(type, c.live).replace(/^[\d,]+ /, "");
    facts.push({ title: heading[0]!.toUpperCase() + heading.slice(1), value: `${formatCount(c.live)}${c.deleted > 0 ? ` (${formatCount(c.deleted)} soft-deleted)` : ""}` });
  }
  facts.push({ title: "Links", value: formatCount(backup.links) });
  return facts;
}
