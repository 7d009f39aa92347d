import { createEngine, type Engine } from "../core/engine";
import { DEFAULT_ENGINE_CONFIG } from "../core/engine-config";
import type { EngineDeps } from "../core/jobs/job-handler";
import type { Job } from "../core/model/job";

/** How the benchmark starts and watches jobs. */
export interface JobDriver {
  readonly via: string;
  startReport(backupId: string): Promise<Job>;
  startRecovery(reportId: string): Promise<Job>;
  getJob(jobId: string): Promise<Job>;
  stop(): Promise<void>;
}

/**
 * The engine as the bot drives it: `createEngine` (no scheduled backups) and its façade, acting as two Global
 * Administrators of the simulated tenant: one runs the report and asks for the recovery, the other approves it.
 */
export class FacadeDriver implements JobDriver {
  readonly via = "createEngine façade (startDifferenceReport, requestRecovery, startRecovery, getJob) as two Global Administrators";
  private readonly engine: Engine;

  constructor(
    deps: EngineDeps,
    tenantId: string,
    private readonly requester: string,
    private readonly approver: string,
  ) {
    this.engine = createEngine(deps, {
      tenantId,
      scheduleBackups: false,
      config: DEFAULT_ENGINE_CONFIG,
    });
  }

  async start(): Promise<this> {
    await this.engine.start();
    return this;
  }

  startReport(backupId: string): Promise<Job> {
    return this.engine.rewind.startDifferenceReport({ userId: this.requester }, { backupId });
  }

  async startRecovery(reportId: string): Promise<Job> {
    const request = await this.engine.rewind.requestRecovery({ userId: this.requester }, { reportId });
    return this.engine.rewind.startRecovery({ userId: this.approver }, { requestId: request.id, reportId: request.reportId, digest: request.digest });
  }

  getJob(jobId: string): Promise<Job> {
    return this.engine.rewind.getJob({ userId: this.requester }, jobId);
  }

  stop(): Promise<void> {
    return this.engine.stop();
  }
}
