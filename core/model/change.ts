import type { LinkName, ObjectType } from "./catalog";

/** What a recovery does to an object: write backup values back, restore it from deleted items, or soft-delete it. */
export const RECOVERY_ACTIONS = ["restore", "update", "softDelete"] as const;
export type RecoveryAction = (typeof RECOVERY_ACTIONS)[number];

/** Where the object is now. */
export type CurrentState = "active" | "softDeleted" | "hardDeleted";

/** Why a change cannot be recovered. */
export type NotRecoverableReason = "synced" | "hardDeleted" | "unsupported";

/** One property that differs; recovery writes `backupValue` back (null when the backup had none). */
export interface PropertyChange {
  readonly name: string;
  readonly backupValue: unknown;
  readonly currentValue: unknown;
}

/** One link that differs, as what recovery writes: re-add `toAdd` (in the backup, gone now), remove `toRemove` (added since). */
export interface LinkChange {
  readonly link: LinkName;
  readonly toAdd: readonly string[];
  readonly toRemove: readonly string[];
  /**
   * Display names of the first targets of each list (`NAMED_TARGETS`), by id, where the backup or the tenant
   * knows them: what the cards show instead of bare ids. For reading only; recovery writes ids.
   */
  readonly names?: Readonly<Record<string, string>>;
}

/** Targets per list (to add, to remove) whose names a change carries: more than a card ever shows. */
export const NAMED_TARGETS = 10;

/** A link another object held to this one in the backup (`type`/`id` is that other object). */
export interface IncomingLink {
  readonly type: ObjectType;
  readonly id: string;
  readonly link: LinkName;
  /** That object's display name, for the cards (reports written before this field existed lack it). */
  readonly name?: string;
}

/** The differences recovery would write (Microsoft's `deltaFromCurrent`, with the current values beside them). */
export interface ChangeDelta {
  readonly properties: readonly PropertyChange[];
  readonly links: readonly LinkChange[];
}

/**
 * One object that differs between a backup and the tenant now; close to Microsoft's
 * `recoveryChangeObjectBase` (id, entityTypeName, displayName, recoveryAction, deltaFromCurrent, currentState).
 */
export interface Change {
  /** Position in its job's list: changes are kept in (type in catalog order, id) order. */
  readonly seq: number;
  readonly id: string;
  readonly entityTypeName: ObjectType;
  readonly displayName: string | null;
  readonly recoveryAction: RecoveryAction;
  readonly deltaFromCurrent: ChangeDelta;
  readonly currentState: CurrentState;
  readonly recoverable: boolean;
  readonly notRecoverableReason?: NotRecoverableReason;
  /** A sentence for the admin: why not, and what to do instead. */
  readonly notRecoverableDetail?: string;
  /**
   * For a restore: links other objects held to this one in the backup that are gone now. They are not listed
   * again on those objects (restoring usually brings them back); recovery checks each after the restore and
   * re-adds what did not come back.
   */
  readonly incomingLinks?: readonly IncomingLink[];
  /**
   * Why writing this change back weakens or widens the tenant's security (an account re-enabled, a
   * Conditional Access policy turned off, a privileged group's members…), in words for the approver. Absent
   * when nothing about it is security-sensitive.
   */
  readonly sensitive?: readonly string[];
}

/** Change counts by type and action, and how many cannot be recovered. */
export interface ChangeSummary {
  readonly total: number;
  readonly notRecoverable: number;
  readonly byType: Readonly<Partial<Record<ObjectType, Readonly<Partial<Record<RecoveryAction, number>>>>>>;
  /** Link targets to add or remove, over all changes. */
  readonly links: number;
  /** Not recoverable changes by reason (reports written before this field existed lack it). */
  readonly excluded?: Readonly<Partial<Record<NotRecoverableReason, number>>>;
  /** Recoverable changes flagged security-sensitive (reports written before this field existed lack it). */
  readonly sensitive?: number;
  /**
   * SHA-256 (hex) of the report's changes in `seq` order, as calculated: an approval names it, so a card for
   * other changes (tampered, or of another report) cannot start a recovery.
   */
  readonly digest?: string;
}

/** The steps of a recovery, in the order they run. */
export const RECOVERY_STEPS = ["restore", "update", "links", "softDelete"] as const;
export type RecoveryStep = (typeof RECOVERY_STEPS)[number];

/**
 * The record of one step of one change of a recovery. `inFlight` is written before the write is sent, so a
 * restarted job knows to re-read that object before writing again (nothing is applied twice).
 */
export interface StepOutcome {
  readonly seq: number;
  readonly step: RecoveryStep;
  readonly status: "inFlight" | "applied" | "failed" | "skipped";
  /** Graph's error message (failed) or the reason (skipped). */
  readonly message?: string;
  readonly at: string;
}

/** One change's outcome in a recovery: applied, failed (with Graph's message) or skipped (with the reason). */
export interface ChangeOutcome {
  readonly change: Change;
  readonly outcome: "applied" | "failed" | "skipped" | "pending";
  readonly failureMessage?: string;
}
