import { OBJECT_TYPES, type ObjectType } from "./model/catalog";
import { RECOVERY_ACTIONS, type RecoveryAction } from "./model/change";
import { badRequestError } from "./model/errors";
import { BACKUP_ID_EXAMPLE, GUID_EXAMPLE, parseBackupId, parseGuid } from "./model/ids";

/** Default and largest page of changes (Microsoft's getChanges: 100 and 999). */
const DEFAULT_PAGE = 100;
const MAX_PAGE = 999;

/** A backup id from outside in its canonical form (any case accepted), or a 400 naming the accepted shape. */
export function checkBackupId(value: unknown): string {
  const id = typeof value === "string" ? parseBackupId(value) : null;
  if (id === null) {
    throw badRequestError(
      `"${String(value).slice(0, 40)}" is not a backup id.`,
      `A backup id is its UTC timestamp, such as ${BACKUP_ID_EXAMPLE}; list the backups to see them.`,
    );
  }
  return id;
}

/** A job or request id from outside (a GUID, returned in lower case), or a 400. */
export function checkId(value: unknown, what: "job" | "recovery request"): string {
  const id = typeof value === "string" ? parseGuid(value) : null;
  if (id === null) {
    throw badRequestError(`"${String(value).slice(0, 40)}" is not a ${what} id.`, `A ${what} id is a GUID such as ${GUID_EXAMPLE}.`);
  }
  return id;
}

/** A paging cursor (opaque to callers: the last seq read), or a 400. */
export function checkCursor(value: unknown): number {
  if (value === undefined || value === null || value === "") return 0;
  if (typeof value !== "string" || !/^\d{1,9}$/.test(value)) {
    throw badRequestError("The page cursor is not one this service gave out.", "Start again from the first page.");
  }
  return Number(value);
}

/** How many changes to skip before a page (to reach page n directly), or a 400. */
export function checkSkip(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 100_000_000) {
    throw badRequestError(`"skip" must be a whole number of changes from 0 (got ${String(value).slice(0, 20)}).`);
  }
  return value;
}

/** A page size, or a 400. */
export function checkTop(value: unknown): number {
  if (value === undefined) return DEFAULT_PAGE;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_PAGE) {
    throw badRequestError(`A page holds 1 to ${MAX_PAGE} changes (got ${String(value)}).`);
  }
  return value;
}

/** Object types from outside, or a 400 naming the accepted ones. */
export function checkTypes(values: readonly unknown[] | undefined): ObjectType[] | undefined {
  if (values === undefined) return undefined;
  return values.map((t) => {
    if (typeof t !== "string" || !(OBJECT_TYPES as readonly string[]).includes(t)) {
      throw badRequestError(`Unknown object type "${String(t).slice(0, 40)}".`, `Accepted types: ${OBJECT_TYPES.join(", ")}.`);
    }
    return t as ObjectType;
  });
}

/** Recovery actions from outside, or a 400. */
export function checkActions(values: readonly unknown[] | undefined): RecoveryAction[] | undefined {
  if (values === undefined) return undefined;
  return values.map((a) => {
    if (typeof a !== "string" || !(RECOVERY_ACTIONS as readonly string[]).includes(a)) {
      throw badRequestError(`Unknown recovery action "${String(a).slice(0, 40)}".`, `Accepted actions: ${RECOVERY_ACTIONS.join(", ")}.`);
    }
    return a as RecoveryAction;
  });
}
