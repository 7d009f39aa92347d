/**
 * The process-wide observer a simulator started without one gets. Only the test setup
 * (test/conformance/jest-setup.ts) and the benchmarks' `--graph-conformance` switch set it: the suites start
 * simulators in many places, and threading an option through each of them would touch every suite for a
 * concern none of them has.
 */
import type { SimObserver } from "./types";

let current: SimObserver | undefined;

/** Sets (or, with undefined, clears) the observer every simulator started afterwards gets by default. */
export function setDefaultObserver(observer: SimObserver | undefined): void {
  current = observer;
}

/** The observer set by `setDefaultObserver`, if any. */
export function defaultObserver(): SimObserver | undefined {
  return current;
}
