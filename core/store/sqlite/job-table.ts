import type { Database, Statement } from "better-sqlite3";
import { z } from "zod";
import { isTerminal, JOB_STATES, type Job, type JobFilter } from "../../model/job";
import type { JobRecord } from "../../model/job-record";
import { StoreNotFoundError } from "../../model/store-error";
import { ACTIVE_JOB_STATES, jobRules, TERMINAL_JOB_STATES } from "../shared/job-rules";
import type { ActiveJobSlots } from "./active-job-slots";
import { StoredJobSchema } from "../documents/stored-documents";
import { parseStored } from "../../../lib/stored-json";
import { timeKey } from "../../../lib/time-key";

const JobRowSchema = z.object({
  jk: z.number().int(),
  tenant_id: z.string(),
  id: z.string(),
  state: z.enum(JOB_STATES),
  version: z.number().int(),
  cancel_requested: z.number().int(),
  cancel_requested_by: z.string().nullable(),
  doc: z.string(),
});
type JobRow = z.infer<typeof JobRowSchema>;

const SELECT_JOB = `SELECT j.jk, t.tenant_id, j.id, j.state, j.version, j.cancel_requested, j.cancel_requested_by, j.doc
  FROM jobs j JOIN tenants t ON t.tk = j.tk`;

/** SQL list of states, for `state IN (…)` (constants from the model, never input). */
const sqlList = (states: readonly string[]) => states.map((s) => `'${s}'`).join(", ");
const ACTIVE_STATES = sqlList(ACTIVE_JOB_STATES);
const TERMINAL_STATES = sqlList(TERMINAL_JOB_STATES);

/** The columns written from a job (its document and what queries filter on); the store-owned fields are not among them. */
interface JobColumns {
  readonly kind: string;
  readonly backupId: string;
  readonly state: string;
  readonly createdAt: string;
  readonly completedAt: string | null;
  readonly doc: string;
}

/**
 * The `jobs` table: each job's document plus the columns listings filter and sort on. `version` and the
 * cancel flag live only in columns: the flag is set by `requestCancel` without a version bump, so an update
 * written from an older read can neither clear it nor be refused because of it. Methods run inside the
 * caller's transaction.
 */
export class JobTable {
  private readonly s: {
    readonly find: Statement<[number, string], unknown>;
    readonly byKey: Statement<[number], unknown>;
    readonly insert: Statement<[{ tk: number; id: string; version: number; cancelRequested: number; cancelRequestedBy: string | null } & JobColumns]>;
    readonly replace: Statement<[{ jk: number; version: number } & JobColumns]>;
    readonly cancel: Statement<[string, number]>;
    readonly list: Statement<[{ tk: number; backupId: string | null; kind: string | null }], unknown>;
    readonly active: Statement<[number], unknown>;
    readonly completedBefore: Statement<[number, string], { tenant_id: string; id: string }>;
    readonly remove: Statement<[number]>;
  };

  constructor(
    db: Database,
    private readonly slots: ActiveJobSlots,
  ) {
    this.s = {
      find: db.prepare(`${SELECT_JOB} WHERE j.tk = ? AND j.id = ?`),
      byKey: db.prepare(`${SELECT_JOB} WHERE j.jk = ?`),
      insert: db.prepare(
        `INSERT INTO jobs (tk, id, kind, backup_id, state, created_at, completed_at, version, cancel_requested, cancel_requested_by, doc)
         VALUES (@tk, @id, @kind, @backupId, @state, @createdAt, @completedAt, @version, @cancelRequested, @cancelRequestedBy, @doc)`,
      ),
      // The version in the WHERE repeats the check made before it: the write itself is the compare-and-set.
      replace: db.prepare(
        `UPDATE jobs SET kind = @kind, backup_id = @backupId, state = @state, created_at = @createdAt, completed_at = @completedAt,
           doc = @doc, version = @version + 1
         WHERE jk = @jk AND version = @version`,
      ),
      cancel: db.prepare("UPDATE jobs SET cancel_requested = 1, cancel_requested_by = ? WHERE jk = ?"),
      list: db.prepare(
        `${SELECT_JOB} WHERE j.tk = @tk AND (@backupId IS NULL OR j.backup_id = @backupId) AND (@kind IS NULL OR j.kind = @kind)
         ORDER BY j.created_at DESC, j.id DESC`,
      ),
      active: db.prepare(`${SELECT_JOB} WHERE j.tk = ? AND j.state IN (${ACTIVE_STATES}) ORDER BY j.created_at, j.jk`),
      // `+state` keeps the planner on the (tenant, completion) index: retention then reads only the tenant's old jobs.
      completedBefore: db.prepare(
        `SELECT t.tenant_id, j.id FROM jobs j JOIN tenants t ON t.tk = j.tk
         WHERE j.tk = ? AND j.completed_at < ? AND +j.state IN (${TERMINAL_STATES}) ORDER BY j.completed_at, j.jk`,
      ),
      remove: db.prepare("DELETE FROM jobs WHERE jk = ?"),
    };
  }

  /** The key of tenant `tk`'s job, or undefined. */
  keyOf(tk: number, id: string): number | undefined {
    const row = this.row(tk, id);
    return row?.jk;
  }

  /**
   * Inserts a new job with a fresh run, taking the tenant's active slot when it is not terminal; returns its
   * record. Call inside a write transaction.
   */
  create(tk: number, job: Job): JobRecord {
    if (this.s.find.get(tk, job.id) !== undefined) throw jobRules.taken(job.id);
    const record = jobRules.created(job);
    const { owned } = jobRules.split(record);
    const jk = Number(
      this.s.insert.run({
        tk,
        id: job.id,
        version: owned.version,
        cancelRequested: owned.cancelRequested ? 1 : 0,
        cancelRequestedBy: owned.cancelRequestedBy ?? null,
        ...columns(record),
      }).lastInsertRowid,
    );
    // A conflict here throws, and the caller's transaction takes the insert back with it.
    if (!isTerminal(job.state)) this.slots.take(tk, jk);
    return record;
  }

  get(tk: number, id: string): JobRecord | null {
    const row = this.row(tk, id);
    return row === undefined ? null : toRecord(row);
  }

  /** Newest first (by `createdAt`, then id). */
  list(tk: number, filter: JobFilter | undefined): Job[] {
    return this.s.list.all({ tk, backupId: filter?.backupId ?? null, kind: filter?.kind ?? null }).map((r) => toRecord(JobRowSchema.parse(r)).job);
  }

  /** Tenant `tk`'s non-terminal jobs with their runs, oldest first. */
  listActive(tk: number): JobRecord[] {
    return this.s.active.all(tk).map((r) => toRecord(JobRowSchema.parse(r)));
  }

  /**
   * Compare-and-set on `version`; frees the tenant's slot when the job becomes terminal. Returns the job as
   * stored. Call inside a write transaction.
   */
  update(tk: number, record: JobRecord): JobRecord {
    const { job } = record;
    const row = this.row(tk, job.id);
    if (row === undefined) throw jobRules.missing(job.id);
    jobRules.checkUpdate(row, record);
    if (this.s.replace.run({ jk: row.jk, version: record.run.version, ...columns(record) }).changes !== 1) throw jobRules.lostRace(job.id);
    if (isTerminal(job.state)) this.slots.release(row.jk);
    return this.require(row.jk);
  }

  /**
   * Sets the cancel flag of a non-terminal job (version unchanged); a second request keeps the first
   * requester. Returns the job as stored, or null when unknown. Call inside a write transaction.
   */
  requestCancel(tk: number, id: string, by: string): JobRecord | null {
    const row = this.row(tk, id);
    if (row === undefined) return null;
    if (!jobRules.cancelTakesEffect({ state: row.state, cancelRequested: row.cancel_requested !== 0 })) return toRecord(row);
    this.s.cancel.run(by, row.jk);
    return this.require(row.jk);
  }

  /** Removes a job row and frees its slot; its changes and outcomes must be gone. Call inside a write transaction. */
  remove(jk: number): void {
    this.slots.release(jk);
    this.s.remove.run(jk);
  }

  /** Tenant `tk`'s terminal jobs completed before `before` (a normalized time key), oldest first. */
  completedBefore(tk: number, before: string): Array<{ tenantId: string; id: string }> {
    return this.s.completedBefore.all(tk, before).map((r) => ({ tenantId: r.tenant_id, id: r.id }));
  }

  private row(tk: number, id: string): JobRow | undefined {
    const row = this.s.find.get(tk, id);
    return row === undefined ? undefined : JobRowSchema.parse(row);
  }

  private require(jk: number): JobRecord {
    const row = this.s.byKey.get(jk);
    if (row === undefined) throw new StoreNotFoundError(`Job ${jk} vanished while it was written.`);
    return toRecord(JobRowSchema.parse(row));
  }
}

/** What a job record writes: its document without the store-owned fields, and the columns queries use. */
function columns(record: JobRecord): JobColumns {
  const { job } = record;
  const { doc } = jobRules.split(record);
  return {
    kind: job.kind,
    backupId: job.backupId,
    state: job.state,
    createdAt: timeKey(job.createdAt, "createdAt"),
    completedAt: job.completedAt === undefined ? null : timeKey(job.completedAt, "completedAt"),
    doc: JSON.stringify(doc),
  };
}

/** A stored job's record: its document (parsed by kind) with the store-owned columns laid over it. */
function toRecord(row: JobRow): JobRecord {
  const doc = parseStored(StoredJobSchema, row.doc, `job ${row.id}`);
  return jobRules.join({ tenantId: row.tenant_id, id: row.id }, doc, {
    version: row.version,
    cancelRequested: row.cancel_requested !== 0,
    cancelRequestedBy: row.cancel_requested_by ?? undefined,
  });
}
