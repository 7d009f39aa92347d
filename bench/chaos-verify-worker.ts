/**
 * After a chaos run (replicas stopped, faults off): reads what the recovery recorded in the store and what
 * the simulator's write log saw, checks one against the other (bench/chaos-ledger.ts), counts the audit
 * trail's entries for the job, and runs a new difference report of the same backup to see what is left.
 */
import pino from "pino";
import { systemClock } from "../core/system-clock";
import { GraphDirectory } from "../core/graph/graph-directory";
import { StaticTokenProvider } from "../core/graph/token-provider";
import { isTerminal, type Job } from "../core/model/job";
import type { Change, StepOutcome } from "../core/model/change";
import type { Store } from "../core/ports";
import { aggregateOutcome, bySeq } from "../core/recovery/outcome";
import { checkLedger, type LedgerFigures, type PlannedChange, type WriteEntry } from "./chaos-ledger";
import { openChaosStore } from "./chaos-store";
import { round2, runWorker } from "./engine-world";
import { FacadeDriver } from "./job-driver";
import { minWritesOfJob, type MinWrites } from "./min-writes";
import { SimControl, type SimConnection } from "./sim-control";
import { sleep } from "../lib/async";

export interface VerifyArgs {
  readonly conn: SimConnection;
  readonly requestId: string;
  readonly cosmos: { readonly endpoint: string; readonly databaseId: string };
  readonly jobId: string;
  readonly backupId: string;
  readonly requester: string;
  readonly approver: string;
}

/** Counts by reason (ids in the text replaced, so the same failure of many objects counts together). */
export type ByReason = Record<string, number>;

export interface VerifyFigures {
  readonly job: { state: string; error: string | null; attempts: number; outcomes: unknown; summaryTotal: number | null };
  readonly changes: { total: number; applied: number; failed: number; skipped: number; pending: number; inFlightLeft: number };
  readonly failedByReason: ByReason;
  readonly skippedByReason: ByReason;
  readonly ledger: LedgerFigures;
  readonly writeLogEvicted: number;
  readonly minWrites: MinWrites;
  readonly writesToMinimum: number;
  /** changeApplied / changeFailed audit entries of the job, and objects audited more than once. */
  readonly audit: { applied: number; failed: number; duplicates: number; missingApplied: number };
  readonly after: { reportId: string; state: string; seconds: number; changes: number; outsideFailedOrSkipped: number; sample: string[] };
  /** The approved request names this job, and no job is left queued or running once the replicas stopped. */
  readonly request: { state: string; namesJob: boolean; activeJobsLeft: number };
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const PAGE = 1000;

function reasonOf(message: string | undefined): string {
  return (message ?? "(no message)").replace(GUID, "<id>").slice(0, 300);
}

async function allChanges(store: Store, tenantId: string, jobId: string): Promise<Change[]> {
  const out: Change[] = [];
  let afterSeq: number | undefined;
  for (;;) {
    const page = await store.readChanges(tenantId, jobId, { limit: PAGE, ...(afterSeq !== undefined ? { afterSeq } : {}) });
    out.push(...page);
    if (page.length < PAGE) return out;
    afterSeq = page[page.length - 1]!.seq;
  }
}

async function writeLog(sim: SimControl): Promise<{ entries: WriteEntry[]; evicted: number }> {
  const entries: WriteEntry[] = [];
  let evicted = 0;
  for (let after = 0; ; ) {
    const page = await sim.writeLog(after);
    evicted = page.evicted;
    if (page.entries.length === 0) return { entries, evicted };
    entries.push(...page.entries);
    after = page.entries[page.entries.length - 1]!.seq;
  }
}

async function auditOf(store: Store, job: Job, applied: ReadonlySet<string>): Promise<VerifyFigures["audit"]> {
  const entries = (await store.listAudit(job.tenantId, { since: job.createdAt, limit: 1_000_000 })).filter((e) => e.details?.["jobId"] === job.id);
  const seen = new Map<string, number>();
  let appliedN = 0;
  let failedN = 0;
  for (const e of entries) {
    if (e.action !== "changeApplied" && e.action !== "changeFailed") continue;
    if (e.action === "changeApplied") appliedN++;
    else failedN++;
    seen.set(e.target, (seen.get(e.target) ?? 0) + 1);
  }
  const duplicates = [...seen.values()].filter((n) => n > 1).length;
  const missingApplied = [...applied].filter((t) => !seen.has(t)).length;
  return { applied: appliedN, failed: failedN, duplicates, missingApplied };
}

async function afterReport(store: Store, args: VerifyArgs, leftAlone: ReadonlySet<string>): Promise<VerifyFigures["after"]> {
  const directory = new GraphDirectory({ tokenProvider: new StaticTokenProvider("chaos-verify"), baseUrl: args.conn.url, ca: args.conn.ca, writeBudget: false });
  const driver = await new FacadeDriver({ directory, store, clock: systemClock, log: pino({ level: "silent" }) }, args.conn.tenantId, args.requester, args.approver).start();
  try {
    const started = performance.now();
    let job = await driver.startReport(args.backupId);
    while (!isTerminal(job.state)) {
      await sleep(500);
      job = await driver.getJob(job.id);
    }
    const seconds = round2((performance.now() - started) / 1000);
    const left = job.state === "succeeded" ? await allChanges(store, args.conn.tenantId, job.id) : [];
    const outside = left.filter((c) => !leftAlone.has(`${c.entityTypeName}/${c.id}`));
    return {
      reportId: job.id,
      state: job.state,
      seconds,
      changes: left.length,
      outsideFailedOrSkipped: outside.length,
      sample: outside.slice(0, 10).map((c) => `${c.entityTypeName} ${c.id} ${c.recoveryAction} ${c.deltaFromCurrent.properties.map((p) => p.name).join(",")} ${c.deltaFromCurrent.links.map((l) => `${l.link}+${l.toAdd.length}-${l.toRemove.length}`).join(",")}`),
    };
  } finally {
    await driver.stop();
    await directory.close();
  }
}

async function main(args: VerifyArgs): Promise<VerifyFigures> {
  const log = pino({ level: "silent" });
  const opened = await openChaosStore(args.cosmos.endpoint, args.cosmos.databaseId, log);
  const store = opened.store;
  const sim = new SimControl(args.conn);
  const tenantId = args.conn.tenantId;
  try {
    const stored = await store.getJob(tenantId, args.jobId);
    if (!stored) throw new Error(`The recovery job ${args.jobId} is not in the store.`);
    const { job, run } = stored;
    const changes = await allChanges(store, tenantId, job.id);
    const records: StepOutcome[] = changes.length > 0 ? await store.readOutcomes(tenantId, job.id, 0, Number.MAX_SAFE_INTEGER) : [];
    const grouped = bySeq(records);
    const plan: PlannedChange[] = changes.map((change) => {
      const { outcome, failureMessage } = aggregateOutcome(change, grouped.get(change.seq) ?? []);
      return { change, outcome, ...(failureMessage !== undefined ? { message: failureMessage } : {}) };
    });
    const count = (o: PlannedChange["outcome"]): number => plan.filter((p) => p.outcome === o).length;
    const byReason = (o: "failed" | "skipped"): ByReason => {
      const out: ByReason = {};
      for (const p of plan) if (p.outcome === o) out[reasonOf(p.message)] = (out[reasonOf(p.message)] ?? 0) + 1;
      return out;
    };
    const written = await writeLog(sim);
    const ledger = checkLedger(plan, written.entries);
    const minWrites = await minWritesOfJob(store, tenantId, job.id);
    const applied = new Set(plan.filter((p) => p.outcome === "applied").map((p) => `${p.change.entityTypeName}/${p.change.id}`));
    const leftAlone = new Set(plan.filter((p) => p.outcome === "failed" || p.outcome === "skipped").map((p) => `${p.change.entityTypeName}/${p.change.id}`));
    const audit = await auditOf(store, job, applied);
    const request = await store.getRecoveryRequest(tenantId, args.requestId);
    const activeJobsLeft = (await store.listActiveJobs(tenantId)).length;
    const after = await afterReport(store, args, leftAlone);
    return {
      job: { state: job.state, error: job.error ?? null, attempts: run.attempts, outcomes: (job.kind === "recovery" ? job.outcomes : undefined) ?? null, summaryTotal: job.summary?.total ?? null },
      changes: { total: plan.length, applied: count("applied"), failed: count("failed"), skipped: count("skipped"), pending: count("pending"), inFlightLeft: records.filter((r) => r.status === "inFlight").length },
      failedByReason: byReason("failed"),
      skippedByReason: byReason("skipped"),
      ledger,
      writeLogEvicted: written.evicted,
      minWrites,
      writesToMinimum: round2(ledger.successfulWrites / Math.max(1, minWrites.total)),
      audit,
      after,
      request: { state: request?.state ?? "missing", namesJob: request?.recoveryJobId === job.id, activeJobsLeft },
    };
  } finally {
    await sim.close();
    await opened.close();
  }
}

runWorker(main);
