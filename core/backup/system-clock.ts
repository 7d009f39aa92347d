import type { Clock } from "../ports";

/** The real clock. Timers do not keep the process alive on their own. */
export const systemClock: Clock = {
  now: () => new Date(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};
