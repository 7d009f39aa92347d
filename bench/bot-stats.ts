/** The target for a command or click that starts no job. */
export const TARGET_P95_MS = 150;

/** A probe's timings, summarised. */
export interface LatencyFigures {
  readonly name: string;
  readonly kind: "message" | "click";
  readonly n: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  /** p95 under the target (and no failed sample). */
  readonly meetsTarget: boolean;
  /** Samples that answered other than expected (HTTP status, error card where a card was due, no reply). */
  readonly failures: number;
  /** Messages only: POST → the bot's HTTP 200 (the turn's end, after its reply was sent). */
  readonly httpP95Ms?: number;
  /** Size of the reply or invoke answer (the last sample's), bytes. */
  readonly answerBytes: number;
  readonly firstFailure?: string;
}

/** Nearest-rank percentile (p in 0..100) of some numbers. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export const ms1 = (x: number): number => Math.round(x * 10) / 10;

/** Collects one probe's samples. */
export class LatencySeries {
  private readonly ms: number[] = [];
  private readonly http: number[] = [];
  private failures = 0;
  private firstFailure?: string;
  private bytes = 0;

  constructor(
    readonly name: string,
    readonly kind: "message" | "click",
  ) {}

  add(ms: number, bytes: number, httpMs?: number): void {
    this.ms.push(ms);
    this.bytes = bytes;
    if (httpMs !== undefined) this.http.push(httpMs);
  }

  fail(why: string): void {
    this.failures++;
    this.firstFailure ??= why.slice(0, 300);
  }

  figures(): LatencyFigures {
    const p95 = percentile(this.ms, 95);
    return {
      name: this.name,
      kind: this.kind,
      n: this.ms.length,
      p50Ms: ms1(percentile(this.ms, 50)),
      p95Ms: ms1(p95),
      maxMs: ms1(this.ms.length ? Math.max(...this.ms) : Number.NaN),
      meetsTarget: this.ms.length > 0 && this.failures === 0 && p95 < TARGET_P95_MS,
      failures: this.failures,
      ...(this.http.length ? { httpP95Ms: ms1(percentile(this.http, 95)) } : {}),
      answerBytes: this.bytes,
      ...(this.firstFailure ? { firstFailure: this.firstFailure } : {}),
    };
  }
}

/** A readable table of latency figures. */
export function latencyTable(rows: readonly LatencyFigures[]): string {
  const head = ["command / click", "n", "p50 ms", "p95 ms", "max ms", "p95<150", "fail", "bytes"];
  const body = rows.map((r) => [r.name, String(r.n), r.p50Ms.toFixed(1), r.p95Ms.toFixed(1), r.maxMs.toFixed(1), r.meetsTarget ? "yes" : "NO", String(r.failures), String(r.answerBytes)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}
