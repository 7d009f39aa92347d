import type { LinkName, ObjectType } from "./catalog";

/** Why a backup was taken: on its schedule, or asked for by an administrator. */
export type BackupTrigger = "scheduled" | "onDemand";

/** Every trigger, for stored values read back. */
export const BACKUP_TRIGGERS: readonly BackupTrigger[] = ["scheduled", "onDemand"];

/** Object counts of one type in a backup. */
export interface TypeCounts {
  /** Live objects. */
  readonly live: number;
  /** Soft-deleted objects (restorable for 30 days). */
  readonly deleted: number;
}

/** A completed backup as listed: its id is its UTC timestamp, to the second (`2026-11-25T02:00:00Z`). */
export interface BackupSummary {
  readonly tenantId: string;
  readonly id: string;
  readonly trigger: BackupTrigger;
  /** Object id of who asked for an on-demand backup. */
  readonly requestedBy?: string;
  readonly startedAt: string;
  readonly completedAt: string;
  readonly counts: Readonly<Partial<Record<ObjectType, TypeCounts>>>;
  /** Link targets held (members, owners, managers, sponsors). */
  readonly links: number;
}

/** One object as a backup holds it: its supported properties, and whether it was soft-deleted then. */
export interface BackupObject {
  readonly type: ObjectType;
  readonly id: string;
  readonly deleted: boolean;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** One object's targets of one link: a raw chunk when written, the sorted union when read back. */
export interface BackupLinks {
  readonly type: ObjectType;
  readonly id: string;
  readonly link: LinkName;
  readonly targets: readonly string[];
}
