import type { Clock } from "./ports";

/** The real clock, the `Clock` every part is given in production. Timers do not keep the process alive on their own. */
export const systemClock: Clock = {
  now: () => new Date(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};
