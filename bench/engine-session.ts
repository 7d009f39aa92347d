import { EngineWorld, type WorkerArgs } from "./engine-world";
import { FacadeDriver, type JobDriver } from "./job-driver";
import { JobStateLog, type TimedJob } from "./job-states";
import { LoopBlock } from "./loop-block";
import { PeakRss } from "./peak-rss";

/** What a measured piece of work cost the engine's process besides time. */
export interface ProcessCost {
  /** Peak resident memory while it ran (sampled every 50 ms). */
  readonly peakRssMiB: number;
  /** Longest stretch the event loop went without a turn. */
  readonly maxLoopBlockMs: number;
}

/**
 * The engine started through `createEngine` in a benchmark worker, acting as the simulated tenant's two
 * Global Administrators, with its store watched for job state changes and its process for memory and
 * event-loop blocking.
 */
export class EngineSession {
  private readonly rss = new PeakRss();
  private readonly loop = new LoopBlock();

  private constructor(
    readonly world: EngineWorld,
    readonly driver: JobDriver,
    private readonly states: JobStateLog,
  ) {}

  static async open(args: WorkerArgs): Promise<EngineSession> {
    const world = EngineWorld.open(args);
    const [requester, approver] = await world.graph.directoryRoleMembers("Global Administrator");
    if (!requester || !approver) throw new Error("The simulated tenant needs two Global Administrators to act as (requester and approver).");
    const states = new JobStateLog();
    const deps = { ...world.deps, store: states.wrap(world.store) };
    return new EngineSession(world, await new FacadeDriver(deps, world.tenantId, requester, approver).start(), states);
  }

  /** Runs `fn` and reports what it cost the process. */
  async measure<T>(fn: () => Promise<T>): Promise<{ result: T } & ProcessCost> {
    this.rss.reset();
    this.loop.reset();
    const result = await fn();
    return { result, peakRssMiB: this.rss.peakMiB(), maxLoopBlockMs: this.loop.maxMs() };
  }

  async report(backupId: string): Promise<TimedJob> {
    const started = performance.now();
    const job = await this.driver.startReport(backupId);
    return this.states.follow(job.id, started);
  }

  async recovery(reportId: string): Promise<TimedJob> {
    const started = performance.now();
    const job = await this.driver.startRecovery(reportId);
    return this.states.follow(job.id, started);
  }

  async close(): Promise<void> {
    this.rss.stop();
    this.loop.stop();
    await this.driver.stop();
    await this.world.close();
  }
}
