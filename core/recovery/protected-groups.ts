import type { LinkName, ObjectType } from "../model/catalog";
import type { Change } from "../model/change";
import type { Scope } from "../model/job";
import { scopeIds } from "../diff/scope";

/** The links that decide who holds a group's roles. */
const MEMBERSHIP_LINKS: ReadonlySet<LinkName> = new Set(["members", "owners"]);

/** Why a protected group's membership was left out of a recovery. */
export const PROTECTED_GROUP_REASON =
  "This group gives Rewind's own roles, so its members and owners are left out of a recovery unless the request names the group (recover <reportId> type=group id=<groupId>).";

/**
 * The groups that give Rewind's own roles (ROLE_GROUP_*) whose membership this recovery must not write: all of
 * them, but those the recovery's scope names one by one. A broad recovery must never quietly hand Rewind's
 * approval rights to whoever was a member in the backup.
 */
export function protectedGroupsFor(roleGroups: ReadonlySet<string>, scope: Scope): ReadonlySet<string> {
  if (roleGroups.size === 0) return roleGroups;
  const named = new Set(scopeIds(scope, "group") ?? []);
  return new Set([...roleGroups].filter((id) => !named.has(id)));
}

/** Whether a link of an object is one the recovery must leave alone. */
export function isProtectedLink(protectedGroups: ReadonlySet<string>, type: ObjectType, id: string, link: LinkName): boolean {
  return type === "group" && MEMBERSHIP_LINKS.has(link) && protectedGroups.has(id);
}

/**
 * A planned change without the membership of protected groups: the change itself, the change with those
 * links removed, or null when nothing else was left to write.
 */
export function withoutProtectedLinks(change: Change, protectedGroups: ReadonlySet<string>): Change | null {
  const { links, properties } = change.deltaFromCurrent;
  const kept = links.filter((l) => !isProtectedLink(protectedGroups, change.entityTypeName, change.id, l.link));
  if (kept.length === links.length) return change;
  if (change.recoveryAction === "update" && kept.length === 0 && properties.length === 0) return null;
  return { ...change, deltaFromCurrent: { properties, links: kept } };
}
