import { RECOVERY_STEPS, type RecoveryStep } from "../core/model/change";
import type { JobStore } from "../core/ports";

/** When one recovery pass recorded its outcomes: how many, from the first to the last (ISO times). */
export interface PassTimeline {
  readonly outcomes: number;
  readonly firstAt: string | null;
  readonly lastAt: string | null;
  /** From the previous pass's last outcome (the first pass: from when the job was seen running) to this pass's last. */
  readonly seconds: number;
}

/**
 * Per pass of a finished recovery (restore, update, links, softDelete), from the step outcomes it stored:
 * each carries the time it was recorded, so the passes' durations need no instrumentation of the engine.
 * Only applied and failed outcomes count (skips are recorded while planning).
 */
export async function recoveryTimeline(store: JobStore, tenantId: string, jobId: string, runningSince: number | null): Promise<Record<RecoveryStep, PassTimeline>> {
  const times = new Map<RecoveryStep, number[]>(RECOVERY_STEPS.map((s) => [s, []]));
  for (const o of await store.readOutcomes(tenantId, jobId, 0, Number.MAX_SAFE_INTEGER)) {
    if (o.status === "applied" || o.status === "failed") times.get(o.step)!.push(Date.parse(o.at));
  }
  const out = {} as Record<RecoveryStep, PassTimeline>;
  let previousEnd: number | null = runningSince;
  for (const step of RECOVERY_STEPS) {
    const ts = times.get(step)!;
    if (ts.length === 0) {
      out[step] = { outcomes: 0, firstAt: null, lastAt: null, seconds: 0 };
      continue;
    }
    const first = ts.reduce((a, b) => Math.min(a, b));
    const last = ts.reduce((a, b) => Math.max(a, b));
    const start: number = previousEnd ?? first;
    out[step] = { outcomes: ts.length, firstAt: new Date(first).toISOString(), lastAt: new Date(last).toISOString(), seconds: Math.round(last - start) / 1000 };
    previousEnd = last;
  }
  return out;
}
