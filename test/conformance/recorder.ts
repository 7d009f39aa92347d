/** Checks each exchange a simulator reports as it comes, into one tally (a checker failure is a finding too). */
import { checkExchange } from "./exchange-check";
import { graphModel } from "./csdl-model";
import { Tally } from "./tally";
import type { SimExchange } from "../../sim/index";

/** A tally fed by a simulator observer. */
export class ConformanceRecorder {
  readonly tally = new Tally();

  /** The observer to hand to the simulator. */
  readonly observe = (e: SimExchange): void => {
    try {
      this.tally.add(checkExchange(graphModel(), e));
    } catch (err) {
      this.tally.add({ violations: [{ rule: "checker.failed", method: e.method, pattern: e.path, detail: err instanceof Error ? err.message : String(err) }] });
    }
  };
}
