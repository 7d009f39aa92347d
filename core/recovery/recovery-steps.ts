import type { Change, RecoveryAction, RecoveryStep, StepOutcome } from "../model/change";
import { RECOVERY_STEPS } from "../model/change";

/**
 * Which steps of a recovery (restores, property updates, links, soft-deletes, in that order) a planned change
 * needs. A restored object always gets a links step: restoring brings most of its links back, and the links
 * step re-reads it to write only what is still missing.
 */
export function stepsOf(change: Change): RecoveryStep[] {
  return RECOVERY_STEPS.filter((step) => stepApplies(step, change));
}

/** Whether `step` has something to do for `change`. */
export function stepApplies(step: RecoveryStep, change: Change): boolean {
  switch (step) {
    case "restore":
      return change.recoveryAction === "restore";
    case "update":
      return change.recoveryAction !== "softDelete" && change.deltaFromCurrent.properties.length > 0;
    case "links":
      return change.recoveryAction === "restore" || (change.recoveryAction === "update" && change.deltaFromCurrent.links.length > 0);
    case "softDelete":
      return change.recoveryAction === "softDelete";
  }
}

/** The actions a step's pass reads (so a pass over soft-deletes does not page through every update). */
export const STEP_ACTIONS: Readonly<Record<RecoveryStep, readonly RecoveryAction[]>> = {
  restore: ["restore"],
  update: ["restore", "update"],
  links: ["restore", "update"],
  softDelete: ["softDelete"],
};

/**
 * The step a skipped change's outcome is recorded under: its first step (a change the plan skipped has
 * every step undone; one record says why).
 */
export function firstStepOf(change: Change): RecoveryStep {
  return stepsOf(change)[0] ?? (change.recoveryAction === "update" ? "update" : change.recoveryAction);
}

/** Outcomes that end a step. `inFlight` does not: the write may or may not have reached Graph. */
export function isTerminalStatus(status: StepOutcome["status"]): boolean {
  return status !== "inFlight";
}

/**
 * Whether `step` should run for a change with these recorded outcomes: it applies, has not ended, and no
 * earlier step failed or was skipped (an object that could not be restored is not updated).
 */
export function stepIsDue(step: RecoveryStep, change: Change, outcomes: readonly StepOutcome[]): boolean {
  if (!stepApplies(step, change)) return false;
  for (const o of outcomes) {
    if (o.status === "skipped" || o.status === "failed") return false;
    if (o.step === step && isTerminalStatus(o.status)) return false;
  }
  return true;
}
