import type { Job, JobState } from "../core/model/job";
import { isTerminal } from "../core/model/job";
import type { JobRecord } from "../core/model/job-record";
import type { Store } from "../core/ports";

/** A finished job with the seconds it spent in each state and in all. */
export interface TimedJob {
  readonly job: Job;
  readonly secondsIn: Partial<Record<JobState, number>>;
  /** When each state was entered (epoch ms). */
  readonly enteredAt: Partial<Record<JobState, number>>;
  readonly totalSeconds: number;
}

interface Watch {
  readonly transitions: Array<{ state: JobState; at: number }>;
  ended?: Job;
  done?: (job: Job) => void;
}

/**
 * Times jobs by the store writes that move them between states: the engine's store is wrapped so every
 * `updateJob` is noted (with performance.now()) the moment it returns. Exact even while the engine holds the
 * event loop (polling would only see a state change once it lets go), and costs the engine nothing.
 */
export class JobStateLog {
  private readonly watches = new Map<string, Watch>();

  /** The store to give the engine. */
  wrap(store: Store): Store {
    return new Proxy(store, {
      get: (target, prop, receiver) => {
        if (prop === "updateJob") {
          return async (record: JobRecord): Promise<JobRecord> => {
            const stored = await target.updateJob(record);
            this.note(stored.job);
            return stored;
          };
        }
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  /** Resolves once the job (asked for at `started`, performance.now()) has ended, with its time in each state. */
  async follow(jobId: string, started: number): Promise<TimedJob> {
    const w = this.watch(jobId);
    const job = w.ended ?? (await new Promise<Job>((resolve) => (w.done = resolve)));
    const secondsIn: Partial<Record<JobState, number>> = {};
    const enteredAt: Partial<Record<JobState, number>> = { queued: performance.timeOrigin + started };
    let state: JobState = "queued";
    let since = started;
    for (const t of w.transitions) {
      if (t.state === state) continue;
      secondsIn[state] = round(((secondsIn[state] ?? 0) * 1000 + t.at - since) / 1000);
      state = t.state;
      since = t.at;
      enteredAt[state] ??= performance.timeOrigin + t.at;
    }
    this.watches.delete(jobId);
    return { job, secondsIn, enteredAt, totalSeconds: round((since - started) / 1000) };
  }

  private watch(jobId: string): Watch {
    let w = this.watches.get(jobId);
    if (!w) this.watches.set(jobId, (w = { transitions: [] }));
    return w;
  }

  private note(job: Job): void {
    const w = this.watch(job.id);
    const last = w.transitions[w.transitions.length - 1];
    if (last?.state !== job.state) w.transitions.push({ state: job.state, at: performance.now() });
    if (isTerminal(job.state)) {
      w.ended = job;
      w.done?.(job);
    }
  }
}

const round = (x: number): number => Math.round(x * 100) / 100;
