import { z } from "zod";
import type { BackupSummary, BackupTrigger, TypeCounts } from "../../model/backup";
import type { ObjectType } from "../../model/catalog";
import { StoreConflictError, StoreNotFoundError } from "../../model/store-error";

/**
 * The states of a stored backup: `open` while batches are added, `sealing` while its completion runs (no batch
 * is accepted; a completion cut short is finished by completing again), `completed` once listed and readable,
 * `deleting` while it is removed step by step (unlisted at once; a deletion cut short shows as unfinished and
 * is finished by abandoning it).
 */
const BACKUP_STATES = ["open", "sealing", "completed", "deleting"] as const;
export type BackupState = (typeof BACKUP_STATES)[number];
export const BackupStateSchema = z.enum(BACKUP_STATES);

/** Whatever a store keeps a backup's state in (a row, a header document); null or undefined when there is no such backup. */
type Found<H> = H | null | undefined;
type WithState = { readonly state: BackupState };

/**
 * The backup lifecycle's rules, one set for every store: which call a backup in a given state takes, and the
 * one message each refusal carries. An adapter finds the backup (its row or header, none when there is no such
 * backup), asks here, and does the writes itself with what it gets back.
 */
export const backupLifecycle = {
  /** `beginBackup` with an id the tenant already has, in any state. */
  taken(backupId: string): StoreConflictError {
    return new StoreConflictError(`Backup ${backupId} already exists.`);
  },

  /** `addToBackup`: only an open backup takes batches. */
  requireOpen<H extends WithState>(backupId: string, found: Found<H>): H {
    if (found?.state !== "open") throw notBeingWritten(backupId);
    return found;
  },

  /** `completeBackup`: an open backup, or a sealing one whose completion stopped halfway (completing it again finishes it). */
  requireCompletable<H extends WithState>(backupId: string, found: Found<H>): H {
    if (found?.state !== "open" && found?.state !== "sealing") throw notBeingWritten(backupId);
    return found;
  },

  /** `readBackup` (and `getBackup`, which answers null instead): only a completed backup is readable. */
  requireCompleted<H extends WithState>(backupId: string, found: Found<H>): H {
    if (found?.state !== "completed") throw new StoreNotFoundError(`No completed backup ${backupId}.`);
    return found;
  },

  /** `abandonBackup`: what to remove, or null (an unknown id is a no-op); a completed backup is deleted, not abandoned. */
  abandon<H extends WithState>(backupId: string, found: Found<H>): H | null {
    if (found === null || found === undefined) return null;
    if (found.state === "completed") throw new StoreNotFoundError(`Backup ${backupId} is completed; delete it instead.`);
    return found;
  },

  /** `deleteBackup`: what to remove, or null (an unknown id is a no-op); a backup still being written is abandoned, not deleted. */
  delete<H extends WithState>(backupId: string, found: Found<H>): H | null {
    if (found === null || found === undefined) return null;
    if (found.state === "open" || found.state === "sealing") throw new StoreNotFoundError(`Backup ${backupId} is still being written; abandon it instead.`);
    return found;
  },

  /** Listed by `listBackups` and answered by `getBackup`. */
  isListed(state: BackupState): boolean {
    return state === "completed";
  },

  /** Listed by `listUnfinishedBackups`: begun and never completed, or a deletion that stopped halfway. */
  isUnfinished(state: BackupState): boolean {
    return state !== "completed";
  },

  /** A backup being completed was abandoned, completed or deleted by another caller meanwhile. */
  changedMeanwhile(backupId: string): StoreNotFoundError {
    return new StoreNotFoundError(`Backup ${backupId} was abandoned, completed or deleted meanwhile.`);
  },

  /** A backup being read was deleted meanwhile. */
  deletedWhileRead(backupId: string): StoreNotFoundError {
    return new StoreNotFoundError(`Backup ${backupId} was deleted while it was read.`);
  },
} as const;

function notBeingWritten(backupId: string): StoreNotFoundError {
  return new StoreNotFoundError(`No backup ${backupId} is being written.`);
}

/** A stored backup's header, whatever the store keeps it in. */
export interface StoredBackupHeader {
  readonly id: string;
  readonly trigger: BackupTrigger;
  readonly requestedBy?: string | undefined;
  readonly startedAt: string;
  readonly state: BackupState;
  readonly completedAt?: string | undefined;
  readonly counts?: Readonly<Partial<Record<ObjectType, TypeCounts>>> | undefined;
  readonly links?: number | undefined;
}

/** The summary of a completed backup; a header that is not completed has none (a caller's bug). */
export function backupSummary(tenantId: string, header: StoredBackupHeader): BackupSummary {
  if (header.state !== "completed" || header.completedAt === undefined || header.counts === undefined) {
    throw new Error(`Backup ${header.id} has no summary: it is ${header.state}.`);
  }
  return {
    tenantId,
    id: header.id,
    trigger: header.trigger,
    ...(header.requestedBy !== undefined ? { requestedBy: header.requestedBy } : {}),
    startedAt: header.startedAt,
    completedAt: header.completedAt,
    counts: header.counts,
    links: header.links ?? 0,
  };
}
