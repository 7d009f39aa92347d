import { canonicalJson } from "../model/canonical-json";
import type { Change } from "../model/change";
import { propertyValue } from "../model/contained";
import type { Directory, ObjectWrite } from "../ports";
import { mapConcurrent } from "../../lib/pool";
import { graphMessage, type StepEnv, type StepResult, type StepWork } from "./step-work";

/** The steps written as whole-object writes through `$batch`. */
export type ObjectStep = "restore" | "update" | "softDelete";

/** Why a resumed step cannot be written, when the object went away meanwhile. */
export const GONE_MESSAGES = {
  notRestorable: "The object is no longer in deleted items (it was deleted permanently), so it cannot be restored.",
  noLongerExists: "The object no longer exists in the directory, so its properties cannot be written.",
} as const;

/**
 * Runs a restore, update or soft-delete step for a page of changes: one write per object (an update carries
 * all its properties in one PATCH, the backup's values, null where the backup had none), sent together
 * through `writeMany` (`$batch` of 20). Resumed changes are re-read first and written only if the write is
 * still missing, so nothing is written twice.
 */
export async function applyObjectStep(step: ObjectStep, work: readonly StepWork[], env: StepEnv): Promise<StepResult[]> {
  const decided = await mapConcurrent(work, env.concurrency, (w) => (w.resumed ? recheck(step, w.change, env.directory) : Promise.resolve(firstWrite(step, w.change))));
  const writes: Array<{ seq: number; write: ObjectWrite }> = [];
  decided.forEach((d, i) => {
    if ("write" in d) writes.push({ seq: work[i]!.change.seq, write: d.write });
  });
  const answers = writes.length > 0 ? await env.directory.writeMany(writes.map((w) => w.write)) : [];
  const bySeq = new Map<number, StepResult>();
  writes.forEach((w, i) => {
    const answer = answers[i];
    bySeq.set(w.seq, answer?.ok ? { seq: w.seq, status: "applied" } : { seq: w.seq, status: "failed", message: graphMessage(answer && !answer.ok ? answer.error : undefined) });
  });
  return decided.map((d, i) => ("write" in d ? bySeq.get(work[i]!.change.seq)! : d));
}

type Decision = { readonly write: ObjectWrite } | StepResult;

/** The write a step sends the first time. */
function firstWrite(step: ObjectStep, change: Change): Decision {
  const { entityTypeName: type, id } = change;
  switch (step) {
    case "restore":
      return { write: { op: "restore", type, id } };
    case "softDelete":
      return { write: { op: "softDelete", type, id } };
    case "update":
      return { write: { op: "update", type, id, properties: backupValues(change, () => true) } };
  }
}

/** For a step found in flight: what is still to write, judged from the object as it is now. */
async function recheck(step: ObjectStep, change: Change, directory: Directory): Promise<Decision> {
  const { entityTypeName: type, id, seq } = change;
  const live = await directory.getObject(type, id);
  switch (step) {
    case "restore":
      if (live) return { seq, status: "applied" };
      return (await directory.getDeleted(type, id)) ? firstWrite(step, change) : { seq, status: "failed", message: GONE_MESSAGES.notRestorable };
    case "softDelete":
      return live ? firstWrite(step, change) : { seq, status: "applied" };
    case "update": {
      if (!live) return { seq, status: "failed", message: GONE_MESSAGES.noLongerExists };
      const current = live.object.properties;
      const missing = backupValues(change, (name, value) => canonicalJson(propertyValue(type, current, name) ?? null) !== canonicalJson(value));
      return Object.keys(missing).length === 0 ? { seq, status: "applied" } : { write: { op: "update", type, id, properties: missing } };
    }
  }
}

/** The backup's values of a change's properties that `keep` accepts. */
function backupValues(change: Change, keep: (name: string, value: unknown) => boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of change.deltaFromCurrent.properties) {
    const value = p.backupValue ?? null;
    if (keep(p.name, value)) out[p.name] = value;
  }
  return out;
}
