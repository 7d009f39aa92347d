/**
 * The interfaces the engine needs from the outside world. Adapters (core/graph, core/store) implement them;
 * the engine depends only on these.
 */
import type { AuditEntry } from "./model/audit";
import type { BackupLinks, BackupObject, BackupSummary, BackupTrigger } from "./model/backup";
import type { LinkName, ObjectType } from "./model/catalog";
import type { Change, StepOutcome } from "./model/change";
import type { DirectoryErrorInfo } from "./model/directory-error";
import type { ChangeQuery, Job, JobFilter } from "./model/job";
import type { JobRecord } from "./model/job-record";
import type { RecoveryRequest } from "./model/recovery-request";

/** The kind of directory object at the other end of a link, from Graph's `@odata.type`. */
export type LinkTargetKind = "user" | "group" | "servicePrincipal" | "device" | "orgContact" | "other";

/** One end of a link. */
export interface LinkTarget {
  readonly id: string;
  readonly kind: LinkTargetKind;
}

/** An object's supported properties as read (plus identity and recovery flags). */
export interface ObjectRecord {
  readonly kind: "object";
  readonly type: ObjectType;
  readonly id: string;
  readonly properties: Readonly<Record<string, unknown>>;
  /** Soft-deleted objects (read from deleted items) carry their deletion time. */
  readonly deletedDateTime?: string;
  /** From an incremental delta read: only the changed properties are present. */
  readonly partial?: boolean;
}

/**
 * A chunk of one object's link targets. Chunks are additive: Graph may split a large member list over pages,
 * so consumers union every chunk of (id, link).
 */
export interface LinksRecord {
  readonly kind: "links";
  readonly type: ObjectType;
  readonly id: string;
  readonly link: LinkName;
  readonly targets: readonly LinkTarget[];
  /** Targets removed since the delta token (incremental delta reads only). */
  readonly removed?: readonly LinkTarget[];
}

/** An object that left the directory since a delta token: `changed` = soft-deleted, `deleted` = gone for good. */
export interface RemovedRecord {
  readonly kind: "removed";
  readonly type: ObjectType;
  readonly id: string;
  readonly reason: "changed" | "deleted";
}

/** The token to read the next changes from (end of a delta enumeration). */
export interface DeltaTokenRecord {
  readonly kind: "deltaToken";
  readonly type: ObjectType;
  readonly token: string;
}

/**
 * What a read yields. Reads are replayable: after a restart (expired skip token, retry) a record may come
 * again, so consumers treat every record as an upsert.
 */
export type DirectoryRecord = ObjectRecord | LinksRecord | RemovedRecord | DeltaTokenRecord;

/** The outcome of one link write, per target. */
export interface LinkWriteOutcome {
  readonly targetId: string;
  /** `applied`, `alreadyDone` (present when adding / absent when removing), or `failed` with Graph's error. */
  readonly outcome: "applied" | "alreadyDone" | "failed";
  readonly error?: DirectoryErrorInfo;
}

export type { DirectoryErrorInfo } from "./model/directory-error";

/** The outcome of one object write. */
export type WriteOutcome = { readonly ok: true } | { readonly ok: false; readonly error: DirectoryErrorInfo };

/** Options common to reads. */
export interface ReadOptions {
  /** Stops the enumeration at the next page boundary. */
  readonly signal?: AbortSignal;
  /** Read only these properties (default: every supported property of the type). */
  readonly select?: readonly string[];
}

/**
 * The directory (Microsoft Graph) as the engine sees it. Reads stream in batches (about one Graph page
 * each): a store writes a batch in one transaction, and a million records cost a thousand awaits, not a
 * million.
 */
export interface Directory {
  /** Every live object of a type with its properties and links; includes a delta token where Graph has delta. */
  readAll(type: ObjectType, options?: ReadOptions): AsyncIterable<readonly DirectoryRecord[]>;
  /** Changes since a delta token (users and groups); throws `DirectoryError` with status 410 when a full read is needed. */
  readChanges(type: ObjectType, token: string, options?: ReadOptions): AsyncIterable<readonly DirectoryRecord[]>;
  /** Soft-deleted objects of a type (with their properties), from deleted items. */
  readDeleted(type: ObjectType, options?: ReadOptions): AsyncIterable<readonly ObjectRecord[]>;
  /** One object with its properties and all its links, or null when it is not live. */
  getObject(type: ObjectType, id: string): Promise<{ object: ObjectRecord; links: LinksRecord[] } | null>;
  /** One soft-deleted object of a type, or null when it is not in that type's deleted items. */
  getDeleted(type: ObjectType, id: string): Promise<ObjectRecord | null>;
  /** The targets of one link of a live object (manager: zero or one), or null when it is not live. */
  getLinkTargets(type: ObjectType, id: string, link: LinkName): Promise<string[] | null>;
  /** Ids of the groups a live user, group or service principal is a direct member of, or null when not live. */
  memberOf(type: ObjectType, id: string): Promise<string[] | null>;

  /** Writes the given properties of one object in a single PATCH. */
  updateObject(type: ObjectType, id: string, properties: Readonly<Record<string, unknown>>): Promise<WriteOutcome>;
  /** Restores a soft-deleted object with its original id (from its type's deleted items). */
  restoreObject(type: ObjectType, id: string): Promise<WriteOutcome>;
  /** Soft-deletes an object (it stays restorable for 30 days). */
  softDeleteObject(type: ObjectType, id: string): Promise<WriteOutcome>;
  /** Adds link targets (members 20 per request; others one reference per request, batched). */
  addLinks(type: ObjectType, id: string, link: LinkName, targetIds: readonly string[]): Promise<LinkWriteOutcome[]>;
  /** Removes link targets. */
  removeLinks(type: ObjectType, id: string, link: LinkName, targetIds: readonly string[]): Promise<LinkWriteOutcome[]>;
  /** Many object writes at once, sent as `$batch` requests of 20; one outcome per write, in order. */
  writeMany(writes: readonly ObjectWrite[]): Promise<WriteOutcome[]>;

  /** Ids of the members of a directory role, by role display name (roles checks). */
  directoryRoleMembers(roleDisplayName: string): Promise<string[]>;
}

/** One object write for `writeMany`. */
export type ObjectWrite =
  | { readonly op: "update"; readonly type: ObjectType; readonly id: string; readonly properties: Readonly<Record<string, unknown>> }
  | { readonly op: "restore"; readonly type: ObjectType; readonly id: string }
  | { readonly op: "softDelete"; readonly type: ObjectType; readonly id: string };

/** What one backup write carries: objects (properties) and link chunks, as the Directory yields them. */
export interface BackupBatch {
  readonly objects: readonly BackupObject[];
  /** Additive: several chunks may name the same (type, id, link); the backup holds their union. */
  readonly links: readonly BackupLinks[];
}

/** Filters for reading a backup back. */
export interface BackupReadOptions {
  readonly types?: readonly ObjectType[];
  readonly ids?: readonly string[];
}

/**
 * Backups in the Store. A backup is written while in progress and becomes visible only once completed (a
 * partial backup would look like a mass deletion). Unchanged objects and link sets are stored once across
 * backups (content-addressed), so daily backups of a quiet tenant cost little more than one.
 */
export interface BackupStore {
  /** Starts a backup; fails with a `StoreConflictError` when the id is taken. */
  beginBackup(tenantId: string, backup: { id: string; trigger: BackupTrigger; requestedBy?: string; startedAt: string }): Promise<void>;
  /** Adds a batch to an in-progress backup, atomically. Objects are upserts by (type, id). */
  addToBackup(tenantId: string, backupId: string, batch: BackupBatch): Promise<void>;
  /** Seals a backup: from now on it is listed, with these counts. */
  completeBackup(tenantId: string, backupId: string, completedAt: string): Promise<BackupSummary>;
  /** Drops an in-progress backup (a failed capture) and everything written for it; an unknown id is a no-op. */
  abandonBackup(tenantId: string, backupId: string): Promise<void>;
  /** Completed backups, newest first (ids are UTC timestamps, so id order is time order). */
  listBackups(tenantId: string): Promise<BackupSummary[]>;
  /** One completed backup, or null. */
  getBackup(tenantId: string, backupId: string): Promise<BackupSummary | null>;
  /** Ids of backups begun but never completed nor abandoned (a process died mid-capture). */
  listUnfinishedBackups(tenantId: string): Promise<string[]>;
  /** A completed backup's objects, sorted by (type, id), in batches; each with its links. */
  readBackup(tenantId: string, backupId: string, options?: BackupReadOptions): AsyncIterable<ReadonlyArray<StoredEntry>>;
  /** Removes a completed backup; content no other backup shares is freed; an unknown id is a no-op. */
  deleteBackup(tenantId: string, backupId: string): Promise<void>;
  /** Bytes the tenant's backups take, content counted once. */
  backupStorageBytes(tenantId: string): Promise<number>;
}

/** One object as a backup or a comparison snapshot holds it, with its links, as the reads yield it. */
export interface StoredEntry {
  readonly object: BackupObject;
  readonly links: ReadonlyArray<BackupLinks>;
}

/**
 * Comparison snapshots: a job's read of the tenant's current state, kept while the job compares it with a
 * backup (a difference report, a recovery's plan) and dropped after. A scratch area apart from the backups:
 * never listed, never counted in a backup's storage, and cleaned up by age when a process died holding one.
 * Written in batches like a backup (objects are upserts by (type, id); link chunks add up), then finished,
 * then read back sorted like one, so a compare is a streaming merge of two sorted reads.
 */
export interface ComparisonStore {
  /** Starts an empty snapshot; `StoreConflictError` when the tenant has one with this id (drop it first). */
  beginComparison(tenantId: string, comparisonId: string, startedAt: string): Promise<void>;
  /** Adds a batch to an open snapshot, atomically; `StoreNotFoundError` when it is unknown or finished. */
  addToComparison(tenantId: string, comparisonId: string, batch: BackupBatch): Promise<void>;
  /** Ends the writing: from now on the snapshot is readable and takes no batch. */
  finishComparison(tenantId: string, comparisonId: string): Promise<void>;
  /** A finished snapshot's objects, sorted by (type, id), in batches, each with its links (like `readBackup`). */
  readComparison(tenantId: string, comparisonId: string, options?: BackupReadOptions): AsyncIterable<ReadonlyArray<StoredEntry>>;
  /** Removes a snapshot in whatever state it is; an unknown id is a no-op. */
  dropComparison(tenantId: string, comparisonId: string): Promise<void>;
  /**
   * Removes the tenant's snapshots begun before `before` (ISO), never another tenant's: those a process that
   * died mid-job left behind. Returns how many went.
   */
  dropComparisonsBegunBefore(tenantId: string, before: string): Promise<number>;
}

/**
 * Jobs (difference reports and recoveries) with their changes and recovery outcomes. The one-job-per-tenant
 * rule is the Store's to enforce atomically, so it holds across processes sharing one store.
 */
export interface JobStore {
  /**
   * Adds a new job with a fresh run (`NEW_JOB_RUN`: never attempted, version 0), which it returns. Fails with
   * `StoreConflictError` when the tenant already has a job in a non-terminal state (or the id is taken); the
   * check and the insert are one atomic step.
   */
  createJob(job: Job): Promise<JobRecord>;
  /** A job with its run record (the runner and the façade's job card read both). */
  getJob(tenantId: string, jobId: string): Promise<JobRecord | null>;
  /** A tenant's jobs, newest first (by `createdAt`, then id). */
  listJobs(tenantId: string, filter?: JobFilter): Promise<Job[]>;
  /**
   * A tenant's jobs that have not finished, with their run records (leases), oldest first (a starting process
   * looks for work a dead one left). Never another tenant's: a deployment runs jobs with its own tenant's Graph
   * credentials.
   */
  listActiveJobs(tenantId: string): Promise<JobRecord[]>;
  /**
   * Replaces a job and its run when its stored `run.version` still equals the record's (compare-and-set),
   * storing it with `version + 1`, which it returns. A terminal state frees the tenant for its next job in the
   * same atomic step. `cancelRequested`/`cancelRequestedBy` are not written here (see `requestCancel`), and are
   * returned as stored. Fails with `StoreConflictError` when stale, `StoreNotFoundError` when missing.
   */
  updateJob(record: JobRecord): Promise<JobRecord>;
  /**
   * Marks a non-terminal job `cancelRequested` (version unchanged); returns it as stored, or null when unknown.
   * A terminal job is returned unchanged; a second request keeps the first requester.
   */
  requestCancel(tenantId: string, jobId: string, by: string): Promise<JobRecord | null>;
  /** Removes a job with its changes and outcomes; an unknown id is a no-op. */
  deleteJob(tenantId: string, jobId: string): Promise<void>;
  /** A tenant's terminal jobs completed before `before` (ISO), oldest first, for retention. */
  listJobsCompletedBefore(tenantId: string, before: string): Promise<Array<{ tenantId: string; id: string }>>;

  /**
   * Adds changes to a job; upserts by `seq`, so a replayed batch changes nothing. `StoreNotFoundError` when
   * the tenant has no such job. (The reads below return nothing for an unknown job.)
   */
  putChanges(tenantId: string, jobId: string, changes: readonly Change[]): Promise<void>;
  /** A page of a job's changes in `seq` order, filtered by type and action. */
  readChanges(tenantId: string, jobId: string, query: ChangeQuery): Promise<Change[]>;
  /**
   * The `seq` of the `count`-th change (from 1) after `afterSeq` that the filters allow, or null when there are
   * fewer (or no such job): a cursor deep into a filtered list without reading the changes it skips.
   */
  nthChangeSeq(tenantId: string, jobId: string, query: Omit<ChangeQuery, "limit">, count: number): Promise<number | null>;
  /** The changes at these `seq`s (missing ones are left out), in `seq` order. */
  getChanges(tenantId: string, jobId: string, seqs: readonly number[]): Promise<Change[]>;
  /** Drops a job's changes and outcomes (a report that restarts or is canceled shows no partial results). */
  clearChanges(tenantId: string, jobId: string): Promise<void>;

  /** Records recovery step outcomes; upserts by (`seq`, `step`). `StoreNotFoundError` when the tenant has no such job. */
  putOutcomes(tenantId: string, jobId: string, outcomes: readonly StepOutcome[]): Promise<void>;
  /** Step outcomes of a recovery with `seq` in [fromSeq, toSeq], in (`seq`, step) order. */
  readOutcomes(tenantId: string, jobId: string, fromSeq: number, toSeq: number): Promise<StepOutcome[]>;
  /** Seqs of a recovery's changes that have at least one `failed` step, ascending, after `afterSeq`. */
  failedSeqs(tenantId: string, jobId: string, afterSeq: number, limit: number): Promise<number[]>;
}

/** Recovery requests waiting for (or past) approval. */
export interface RecoveryRequestStore {
  /** Adds a request; `StoreConflictError` when the id is taken. */
  createRecoveryRequest(request: RecoveryRequest): Promise<void>;
  getRecoveryRequest(tenantId: string, requestId: string): Promise<RecoveryRequest | null>;
  /** A tenant's requests, newest first; `pendingOnly` lists those still waiting. */
  listRecoveryRequests(tenantId: string, options?: { pendingOnly?: boolean }): Promise<RecoveryRequest[]>;
  /** Compare-and-set on `version`, like `updateJob`. */
  updateRecoveryRequest(request: RecoveryRequest): Promise<RecoveryRequest>;
}

/** The audit trail. */
export interface AuditStore {
  appendAudit(entries: readonly AuditEntry[]): Promise<void>;
  /** A tenant's entries, newest first, optionally since a time (ISO, inclusive). */
  listAudit(tenantId: string, options: { since?: string; limit: number }): Promise<AuditEntry[]>;
  /** Removes a tenant's entries older than `before` (ISO), never another tenant's; returns how many. */
  purgeAudit(tenantId: string, before: string): Promise<number>;
}

/** Everything the engine keeps. */
export type Store = BackupStore & ComparisonStore & JobStore & RecoveryRequestStore & AuditStore;

/** Time, injectable so schedules and retention can be tested without waiting. */
export interface Clock {
  now(): Date;
  /** Calls `fn` after `ms`; returns a function that cancels it. */
  setTimer(ms: number, fn: () => void): () => void;
}
