import type { ThrottlingOptions } from "../types";

/**
 * Graph's identity-and-access resource-unit budgets per 10 s, by tenant size, and its write budget per 150 s
 * (https://learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits).
 */
export function defaultResourceUnits(users: number): number {
  return users > 500 ? 8000 : users >= 50 ? 5000 : 3500;
}
export const DEFAULT_WRITES_PER_150S = 3000;
const RU_WINDOW_MS = 10000;
const WRITE_WINDOW_MS = 150000;

/** The answer to "may this request run now?", with the headers Graph attaches either way. */
export type Verdict =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; headers: Record<string, string>; reason: "ResourceUnitLimitExceeded" | "WriteLimitExceeded"; retryAfterMs: number };

class Window {
  private start = -Infinity;
  used = 0;
  constructor(readonly lengthMs: number) {}
  roll(now: number): void {
    if (now >= this.start + this.lengthMs) {
      this.start = now;
      this.used = 0;
    }
  }
  reset(): void {
    this.start = -Infinity;
    this.used = 0;
  }
  remainingMs(now: number): number {
    return Math.max(0, this.start + this.lengthMs - now);
  }
}

/**
 * Graph's identity throttling for one app+tenant pair: a resource-unit budget per 10 s window and a write
 * budget per 150 s window (both scaled by `timeScale`). A refused request consumes nothing; it gets 429 with
 * `Retry-After` (https://learn.microsoft.com/graph/throttling).
 */
export class Throttle {
  private enabled = true;
  private ruLimit: number;
  private writeLimit = DEFAULT_WRITES_PER_150S;
  private readonly ru: Window;
  private readonly writes: Window;

  constructor(private readonly users: number, timeScale: number, private readonly scope: string, private readonly now: () => number) {
    this.ruLimit = defaultResourceUnits(users);
    this.ru = new Window(RU_WINDOW_MS * timeScale);
    this.writes = new Window(WRITE_WINDOW_MS * timeScale);
  }

  /** Sets the budgets; the current windows start afresh. */
  configure(t: ThrottlingOptions): void {
    this.ru.reset();
    this.writes.reset();
    if (typeof t === "boolean") {
      this.enabled = t;
      this.ruLimit = defaultResourceUnits(this.users);
      this.writeLimit = DEFAULT_WRITES_PER_150S;
      return;
    }
    this.enabled = true;
    this.ruLimit = t.resourceUnitsPer10s ?? defaultResourceUnits(this.users);
    this.writeLimit = t.writesPer150s ?? DEFAULT_WRITES_PER_150S;
  }

  /** Charges `units` resource units (and one write unit when `write`), or refuses with the time to wait. */
  charge(units: number, write: boolean): Verdict {
    const headers: Record<string, string> = { "x-ms-resource-unit": String(units) };
    if (!this.enabled) return { ok: true, headers };
    const now = this.now();
    this.ru.roll(now);
    this.writes.roll(now);
    let refusal: "ResourceUnitLimitExceeded" | "WriteLimitExceeded" | undefined;
    let wait = 0;
    if (this.ru.used + units > this.ruLimit) {
      refusal = "ResourceUnitLimitExceeded";
      wait = this.ru.remainingMs(now);
    } else if (write && this.writes.used + 1 > this.writeLimit) {
      refusal = "WriteLimitExceeded";
      wait = this.writes.remainingMs(now);
    }
    if (refusal) {
      const ms = Math.max(1, Math.ceil(wait));
      return {
        ok: false,
        reason: refusal,
        retryAfterMs: ms,
        headers: {
          ...headers,
          "Retry-After": String(Math.max(1, Math.ceil(ms / 1000))),
          "retry-after-ms": String(ms),
          "x-ms-throttle-scope": this.scope,
          "x-ms-throttle-information": refusal,
          "x-ms-throttle-limit-percentage": "1.0",
        },
      };
    }
    this.ru.used += units;
    if (write) this.writes.used += 1;
    const pct = Math.max(this.ru.used / this.ruLimit, write ? this.writes.used / this.writeLimit : 0);
    if (pct >= 0.8) headers["x-ms-throttle-limit-percentage"] = (Math.floor(pct * 10) / 10).toFixed(1);
    return { ok: true, headers };
  }
}
