import type { SimStats } from "../types";

/** The counters behind `stats()`, owned by one simulator. */
export class StatsCounter {
  private s: SimStats = StatsCounter.empty();

  private static empty(): SimStats {
    return { requests: 0, throttled: 0, writes: 0, writesByObject: {}, resourceUnits: 0, faultsInjected: 0, faultsByKind: {}, httpRequests: 0 };
  }

  snapshot(): SimStats {
    return { ...this.s, writesByObject: { ...this.s.writesByObject }, faultsByKind: { ...this.s.faultsByKind } };
  }

  reset(): void {
    this.s = StatsCounter.empty();
  }

  httpRequest(): void {
    this.s.httpRequests++;
  }
  request(): void {
    this.s.requests++;
  }
  throttled(): void {
    this.s.throttled++;
  }
  /** An injected fault, by kind: `drop`, `503`, `504`, `hang`, `hangBody`, `lostAnswerDrop`, `lostAnswer503`… */
  fault(kind: string): void {
    this.s.faultsInjected++;
    this.s.faultsByKind[kind] = (this.s.faultsByKind[kind] ?? 0) + 1;
  }
  units(n: number): void {
    this.s.resourceUnits += n;
  }
  write(id: string): void {
    this.s.writes++;
    this.s.writesByObject[id] = (this.s.writesByObject[id] ?? 0) + 1;
  }
}
