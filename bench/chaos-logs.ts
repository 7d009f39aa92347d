import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** What the replicas' own logs say, summed over every process of a run. */
export interface LogTally {
  /** Lines at warn and above, by message (with the HTTP status where the line has one). */
  readonly warnings: Record<string, number>;
  /** Lines at error and above, by message. */
  readonly errors: Record<string, number>;
  /** A few error lines as written. */
  readonly errorSample: string[];
  /** Job attempts started (a resumed one included), releases, and attempts that stopped for another to resume. */
  readonly attemptsStarted: number;
  readonly leasesReleased: number;
  readonly attemptsStopped: number;
  readonly lines: number;
}

const ERROR_SAMPLE = 5;

/** Tallies the JSON log lines of every `*.log` in `dir` (the replicas write theirs there). */
export function tallyLogs(dir: string): LogTally {
  const warnings: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const errorSample: string[] = [];
  let attemptsStarted = 0;
  let leasesReleased = 0;
  let attemptsStopped = 0;
  let lines = 0;
  for (const file of readdirSync(dir).filter((f) => f.startsWith("replica-") && f.endsWith(".log"))) {
    for (const line of readFileSync(path.join(dir, file), "utf8").split("\n")) {
      if (line.trim() === "") continue;
      let entry: { level?: number; msg?: string; status?: number };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue; // a line cut short by SIGKILL
      }
      lines++;
      const msg = entry.msg ?? "(no message)";
      if (msg === "job attempt started") attemptsStarted++;
      if (msg === "job lease released") leasesReleased++;
      if (msg === "job attempt stopped; another attempt will resume it") attemptsStopped++;
      const level = entry.level ?? 30;
      const key = entry.status !== undefined ? `${msg} (${entry.status})` : msg;
      if (level >= 50) {
        errors[key] = (errors[key] ?? 0) + 1;
        if (errorSample.length < ERROR_SAMPLE) errorSample.push(`${file}: ${line.slice(0, 600)}`);
      } else if (level >= 40) warnings[key] = (warnings[key] ?? 0) + 1;
    }
  }
  return { warnings, errors, errorSample, attemptsStarted, leasesReleased, attemptsStopped, lines };
}
