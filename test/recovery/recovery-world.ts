import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { captureBackup } from "../../core/backup/capture";
import { DifferenceReportHandler } from "../../core/diff/report-handler";
import type { EngineDeps } from "../../core/jobs/job-handler";
import type { Change, StepOutcome } from "../../core/model/change";
import type { Job, Scope } from "../../core/model/job";
import type { Directory } from "../../core/ports";
import { RecoveryHandler, type RecoveryHandlerOptions } from "../../core/recovery/recovery-handler";
import { SqliteStore } from "../../core/store/sqlite/sqlite-store";
import { DEMO_TENANT_ID } from "../../sim/index";
import { DriftClient } from "../../sim/drift";
import { startFixture, type Fixture } from "../graph/gateway-fixture";
import { createApprovedRecovery, createJob, engineDeps, runAttempt, type AttemptResult } from "./test-context";

export const TENANT = DEMO_TENANT_ID;
export const ADA = "0a0a0a0a-0000-4000-8000-000000000001";
export const BEN = "0a0a0a0a-0000-4000-8000-000000000002";

/**
 * One demo tenant in the simulator (over HTTPS, through the real gateway), a SQLite store on a temp file and
 * a backup of the tenant as it started: what every recovery test begins with.
 */
export class RecoveryWorld {
  readonly deps: EngineDeps;
  readonly drift: DriftClient;

  private constructor(
    readonly f: Fixture,
    readonly store: SqliteStore,
    private readonly dir: string,
    readonly backupId: string,
  ) {
    this.deps = engineDeps(store, f.graph);
    this.drift = new DriftClient(f.sim.url, f.sim.ca);
  }

  static async start(): Promise<RecoveryWorld> {
    const f = await startFixture({ throttling: false });
    const dir = mkdtempSync(path.join(tmpdir(), "rewind-recovery-"));
    const store = SqliteStore.open({ file: path.join(dir, "rewind.db") });
    const deps = engineDeps(store, f.graph);
    const backup = await captureBackup(deps, { tenantId: TENANT, trigger: "scheduled" });
    return new RecoveryWorld(f, store, dir, backup.id);
  }

  /** The store's SQLite file (for tests that change it behind the store's back). */
  get storeFile(): string {
    return path.join(this.dir, "rewind.db");
  }

  /** Runs a difference report of the backup against the tenant now; it must succeed. */
  async report(scope: Scope = {}, options: { roleGroups?: ReadonlySet<string> } = {}): Promise<Job> {
    const job = await createJob(this.store, { tenantId: TENANT, kind: "differenceReport", backupId: this.backupId, scope });
    const run = await runAttempt(new DifferenceReportHandler(options), this.deps, job.id, TENANT);
    if (run.job.state !== "succeeded") throw new Error(`report ended ${run.job.state}: ${String(run.error ?? run.job.error)}`);
    return run.job;
  }

  /** Creates a recovery job of a report as an approval does (requested by Ada, approved by Ben). */
  recoveryJob(report: Job, scope: Scope = {}): Promise<Job> {
    return createApprovedRecovery(this.store, { tenantId: TENANT, report, scope, requestedBy: ADA, approvedBy: BEN });
  }

  /** Runs one attempt of a recovery job, through `directory` when given (a wrapped gateway). */
  attempt(job: Job, options: { directory?: Directory; signal?: AbortSignal; handler?: RecoveryHandlerOptions } = {}): Promise<AttemptResult> {
    const deps = options.directory ? engineDeps(this.store, options.directory) : this.deps;
    return runAttempt(new RecoveryHandler(options.handler), deps, job.id, TENANT, options.signal);
  }

  /** Every change of a job, in seq order. */
  async changes(jobId: string): Promise<Change[]> {
    const out: Change[] = [];
    for (;;) {
      const page = await this.store.readChanges(TENANT, jobId, { limit: 200, ...(out.length > 0 ? { afterSeq: out[out.length - 1]!.seq } : {}) });
      out.push(...page);
      if (page.length < 200) return out;
    }
  }

  /** Every step record of a recovery. */
  outcomes(jobId: string): Promise<StepOutcome[]> {
    return this.store.readOutcomes(TENANT, jobId, 0, Number.MAX_SAFE_INTEGER);
  }

  /** Successful writes per object id since the last reset, as the simulator counted them. */
  writes(): Record<string, number> {
    return this.f.sim.stats().writesByObject;
  }

  async close(): Promise<void> {
    await this.drift.close();
    this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
    await this.f.close();
  }
}
