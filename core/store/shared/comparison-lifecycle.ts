import { z } from "zod";
import { StoreConflictError, StoreNotFoundError } from "../../model/store-error";

/**
 * The states of a comparison snapshot (a job's read of the tenant's current state): `open` while batches are
 * added, `sealing` while a store sorts it (a Cosmos store; one cut short is finished by finishing again),
 * `finished` once readable, `dropping` while it is removed step by step (a drop cut short is finished by
 * dropping again, or by the clean-up of old snapshots).
 */
const COMPARISON_STATES = ["open", "sealing", "finished", "dropping"] as const;
export type ComparisonState = (typeof COMPARISON_STATES)[number];
export const ComparisonStateSchema = z.enum(COMPARISON_STATES);

type Found<H> = H | null | undefined;
type WithState = { readonly state: ComparisonState };

/** The comparison snapshot's rules, one set for every store, with the one message each refusal carries. */
export const comparisonLifecycle = {
  /** `beginComparison` with an id the tenant already has (drop it first). */
  taken(comparisonId: string): StoreConflictError {
    return new StoreConflictError(`Comparison ${comparisonId} already exists.`);
  },

  /** `addToComparison`: only an open snapshot takes batches. */
  requireOpen<H extends WithState>(comparisonId: string, found: Found<H>): H {
    if (found?.state !== "open") throw notBeingWritten(comparisonId);
    return found;
  },

  /** `finishComparison`: an open snapshot, or one whose sealing stopped halfway. */
  requireFinishable<H extends WithState>(comparisonId: string, found: Found<H>): H {
    if (found?.state !== "open" && found?.state !== "sealing") throw notBeingWritten(comparisonId);
    return found;
  },

  /** `readComparison`: only a finished snapshot is readable. */
  requireFinished<H extends WithState>(comparisonId: string, found: Found<H>): H {
    if (found?.state !== "finished") throw new StoreNotFoundError(`No finished comparison ${comparisonId}.`);
    return found;
  },

  /** A snapshot being finished was dropped by another caller meanwhile. */
  droppedMeanwhile(comparisonId: string): StoreNotFoundError {
    return new StoreNotFoundError(`Comparison ${comparisonId} was dropped meanwhile.`);
  },

  /** A snapshot being read was dropped meanwhile. */
  droppedWhileRead(comparisonId: string): StoreNotFoundError {
    return new StoreNotFoundError(`Comparison ${comparisonId} was dropped while it was read.`);
  },
} as const;

function notBeingWritten(comparisonId: string): StoreNotFoundError {
  return new StoreNotFoundError(`No comparison ${comparisonId} is being written.`);
}
