import { defaultResourceUnits, DEFAULT_WRITES_PER_150S } from "../sim/http/throttle";
import type { FaultOptions } from "../sim/types";
import type { ChaosOptions } from "./chaos-options";
import { prng } from "./engine-drift";

/**
 * The simulator's faults for the rates: of Graph's HTTP requests, `errorRate` are answered 503/504
 * and `dropRate` lose their connection; for a request that writes, `lostShare` of those strike after the write
 * was carried out (the answer lost: the client cannot tell it from "never arrived"), the rest before anything
 * is done. Writes inside a `$batch` also lose their own inner answer at `errorRate × lostShare`.
 */
export function chaosFaults(o: Pick<ChaosOptions, "errorRate" | "dropRate" | "lostShare">): FaultOptions {
  return { errorRate: o.errorRate, dropRate: o.dropRate, afterWriteShare: o.lostShare, lostInnerAnswerRate: o.errorRate * o.lostShare };
}

/** Graph's budgets cut to `share` of the tenant's normal ones (at least one unit each): a 429 storm. */
export function stormBudgets(users: number, share: number): { resourceUnitsPer10s: number; writesPer150s: number } {
  return {
    resourceUnitsPer10s: Math.max(1, Math.round(defaultResourceUnits(users) * share)),
    writesPer150s: Math.max(1, Math.round(DEFAULT_WRITES_PER_150S * share)),
  };
}

/**
 * Where in the recovery the kills and the storm happen, as positions from 0 (approved) to 1 (done): the
 * planning state takes the first `planShare` (what it took in the fault-free run), the running state the
 * rest, each in proportion to its own progress. Kill points are uniform in [0.03, 0.95] and at least 0.05
 * apart; the storm starts between 30% and 80% of the running state.
 */
export function chaosPoints(seed: number, kills: number, planShare: number): { kills: number[]; stormAt: number } {
  const random = prng(seed);
  let points: number[] = [];
  for (let tries = 0; tries < 1000; tries++) {
    points = Array.from({ length: kills }, () => 0.03 + random() * 0.92).sort((a, b) => a - b);
    if (points.every((p, i) => i === 0 || p - points[i - 1]! >= 0.05)) break;
  }
  // Not too early: the storm's length is estimated from the running state's pace so far.
  const stormAt = planShare + (1 - planShare) * (0.3 + random() * 0.5);
  return { kills: points, stormAt };
}
