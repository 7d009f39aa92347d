import { OBJECT_TYPES, type ObjectType } from "../../model/catalog";
import { RECOVERY_ACTIONS, type RecoveryAction } from "../../model/change";
import type { ChangeQuery } from "../../model/job";
import { checkCount, checkLimit } from "./arguments";

/** A change query's filters as every store applies them. */
export interface ChangeFilter {
  /** Changes after this seq only; undefined from the first. */
  readonly afterSeq: number | undefined;
  /** The types allowed, each once; null when every type is. */
  readonly types: readonly ObjectType[] | null;
  /** The actions allowed, each once; null when every action is. */
  readonly actions: readonly RecoveryAction[] | null;
}

/**
 * The filters of a change query, one reading for every store: an empty or absent `types` or `actions` list
 * filters nothing, and a list naming every value is no filter either (so a store may take its unfiltered path).
 */
export function changeFilter(query: Omit<ChangeQuery, "limit">): ChangeFilter {
  const types = query.types?.length ? [...new Set(query.types)] : null;
  const actions = query.actions?.length ? [...new Set(query.actions)] : null;
  return {
    afterSeq: query.afterSeq,
    types: types === null || types.length === OBJECT_TYPES.length ? null : types,
    actions: actions === null || actions.length === RECOVERY_ACTIONS.length ? null : actions,
  };
}

/** `readChanges`'s query: its filters, and its page size checked. */
export function changePage(query: ChangeQuery): ChangeFilter & { readonly limit: number } {
  checkLimit(query.limit);
  return { ...changeFilter(query), limit: query.limit };
}

/** `nthChangeSeq`'s query: its filters, and `count` checked. */
export function nthChange(query: Omit<ChangeQuery, "limit">, count: number): ChangeFilter & { readonly count: number } {
  checkCount(count);
  return { ...changeFilter(query), count };
}
