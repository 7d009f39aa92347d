import type { Change } from "../model/change";
import type { ObjectType } from "../model/catalog";
import type { Scope } from "../model/job";
import { scopeIds, scopeTypes } from "../diff/scope";
import { attributeOf } from "../model/contained";

/**
 * The attributes a recovery may write: those its report compared (a report narrowed to some attributes shows
 * nothing about the others), further narrowed by the recovery's own scope. Null: all of them.
 */
export function recoveryAttributes(reportScope: Scope, jobScope: Scope): ReadonlySet<string> | null {
  const report = reportScope.attributes ? new Set(reportScope.attributes) : null;
  const job = jobScope.attributes ? new Set(jobScope.attributes) : null;
  if (report && job) return new Set([...job].filter((a) => report.has(a)));
  return job ?? report;
}

/** Which of a report's changes a recovery's scope covers (types and/or object ids; empty = all). */
export class RecoveryScopeFilter {
  /** Per type in scope: the ids named, or null for the whole type. */
  private readonly byType: ReadonlyMap<ObjectType, ReadonlySet<string> | null>;

  constructor(scope: Scope) {
    this.byType = new Map(
      scopeTypes(scope).map((type) => {
        const ids = scopeIds(scope, type);
        return [type, ids ? new Set(ids) : null] as const;
      }),
    );
  }

  /** The types in scope, in catalog order (to read only their changes). */
  get types(): ObjectType[] {
    return [...this.byType.keys()];
  }

  includes(change: Change): boolean {
    const ids = this.byType.get(change.entityTypeName);
    return ids !== undefined && (ids === null || ids.has(change.id));
  }
}

/**
 * A change narrowed to some attributes, or null when nothing of it is left to recover. Restores and
 * soft-deletes concern the whole object and are kept (as the difference report does).
 */
export function narrowToAttributes(change: Change, attributes: ReadonlySet<string> | null): Change | null {
  if (attributes === null) return change;
  const { properties, links } = change.deltaFromCurrent;
  const keptProperties = properties.filter((p) => attributes.has(attributeOf(change.entityTypeName, p.name)));
  const keptLinks = links.filter((l) => attributes.has(l.link));
  if (keptProperties.length === properties.length && keptLinks.length === links.length) return change;
  if (change.recoveryAction === "update" && keptProperties.length === 0 && keptLinks.length === 0) return null;
  return { ...change, deltaFromCurrent: { properties: keptProperties, links: keptLinks } };
}
