import { z } from "zod";
import { AUDIT_ACTIONS, type AuditEntry } from "../../model/audit";
import { LINK_NAMES, OBJECT_TYPES } from "../../model/catalog";
import { RECOVERY_ACTIONS, RECOVERY_STEPS, type Change, type StepOutcome } from "../../model/change";
import { JOB_STATES, type Job } from "../../model/job";
import type { JobRun } from "../../model/job-record";
import type { RecoveryRequest } from "../../model/recovery-request";

/**
 * The shapes of the job-side documents as stored (jobs, changes, outcomes, recovery requests, audit). Stored
 * text is a boundary: a damaged or foreign row must fail loudly on read, never pass as a model value. The
 * schemas mirror the model types (checked at compile time below) and add no rules of their own, so whatever
 * the engine may write can be read back.
 */

const count = z.number().int().nonnegative();

const ScopeSchema = z.object({
  types: z.array(z.enum(OBJECT_TYPES)).optional(),
  objects: z.array(z.object({ type: z.enum(OBJECT_TYPES), ids: z.array(z.string()) })).optional(),
  attributes: z.array(z.string()).optional(),
});

const ChangeSummarySchema = z.object({
  total: count,
  notRecoverable: count,
  byType: z.partialRecord(z.enum(OBJECT_TYPES), z.partialRecord(z.enum(RECOVERY_ACTIONS), count)),
  links: count,
  excluded: z.partialRecord(z.enum(["synced", "hardDeleted", "unsupported"]), count).optional(),
  sensitive: count.optional(),
  digest: z.string().optional(),
});

/** The fields of a job the store owns: kept in columns, never in the document. */
type StoreOwnedJobFields = "cancelRequested" | "cancelRequestedBy";

/** `Omit` over each member of a union (a plain `Omit` would merge the members). */
type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * A job document as stored: the domain job without the store-owned fields, with the runner's bookkeeping
 * (`JobRun` without `version`, which is store-owned) beside its fields. The same shape as before jobs were a
 * union, so every document written earlier reads back.
 */
export type StoredJob = OmitEach<Job, StoreOwnedJobFields> & Omit<JobRun, "version">;

const storedJobFields = {
  tenantId: z.string(),
  id: z.string(),
  backupId: z.string(),
  state: z.enum(JOB_STATES),
  scope: ScopeSchema,
  requestedBy: z.string(),
  createdAt: z.string(),
  startedAt: z.string().optional(),
  completedAt: z.string().optional(),
  progress: z.object({ done: count, total: count.nullable(), estimatedCompletionAt: z.string().nullable() }),
  summary: ChangeSummarySchema.optional(),
  error: z.string().optional(),
  attempts: count,
  resume: z.object({ state: z.enum(JOB_STATES), done: count, stalls: count }).optional(),
  lease: z.object({ owner: z.string(), expiresAt: z.string() }).optional(),
};

/** A recovery's own fields, which a report never has. */
const recoveryFields = {
  reportId: z.string(),
  approvedBy: z.string(),
  recoveryRequestId: z.string(),
  outcomes: z.object({ total: count, applied: count, failed: count, skipped: count }).optional(),
};

/** A report document: a recovery's fields on one is damage, refused like any other. */
const StoredReportJobSchema = z.object({
  ...storedJobFields,
  kind: z.literal("differenceReport"),
  reportId: z.never({ error: "a difference report has no reportId" }).optional(),
  approvedBy: z.never({ error: "a difference report has no approvedBy" }).optional(),
  recoveryRequestId: z.never({ error: "a difference report has no recoveryRequestId" }).optional(),
  outcomes: z.never({ error: "a difference report has no outcomes" }).optional(),
});

/** A recovery document: without its report, approver or request it is damaged, and refused. */
const StoredRecoveryJobSchema = z.object({ ...storedJobFields, kind: z.literal("recovery"), ...recoveryFields });

/** A job document, by kind. */
export const StoredJobSchema = z.discriminatedUnion("kind", [StoredReportJobSchema, StoredRecoveryJobSchema]);

/** One change of a job. */
export const StoredChangeSchema = z.object({
  seq: z.number().int(),
  id: z.string(),
  entityTypeName: z.enum(OBJECT_TYPES),
  displayName: z.string().nullable(),
  recoveryAction: z.enum(RECOVERY_ACTIONS),
  deltaFromCurrent: z.object({
    properties: z.array(z.object({ name: z.string(), backupValue: z.unknown(), currentValue: z.unknown() })),
    links: z.array(z.object({ link: z.enum(LINK_NAMES), toAdd: z.array(z.string()), toRemove: z.array(z.string()), names: z.record(z.string(), z.string()).optional() })),
  }),
  currentState: z.enum(["active", "softDeleted", "hardDeleted"]),
  recoverable: z.boolean(),
  notRecoverableReason: z.enum(["synced", "hardDeleted", "unsupported"]).optional(),
  notRecoverableDetail: z.string().optional(),
  incomingLinks: z.array(z.object({ type: z.enum(OBJECT_TYPES), id: z.string(), link: z.enum(LINK_NAMES), name: z.string().optional() })).optional(),
  sensitive: z.array(z.string()).optional(),
});

/** One outcome row's step and status (the other fields are plain columns). */
export const StoredStepSchema = z.enum(RECOVERY_STEPS);
export const StoredStepStatusSchema = z.enum(["inFlight", "applied", "failed", "skipped"]);

/** A recovery request document: the request without `version` (a column). */
export const StoredRecoveryRequestSchema = z.object({
  tenantId: z.string(),
  id: z.string(),
  reportId: z.string(),
  backupId: z.string(),
  scope: ScopeSchema,
  requestedBy: z.string(),
  requestedAt: z.string(),
  // Requests stored before approvals were bound to a digest read back as expired.
  digest: z.string().default(""),
  expiresAt: z.string().default("1970-01-01T00:00:00.000Z"),
  state: z.enum(["pending", "approved", "rejected", "withdrawn"]),
  decidedBy: z.string().optional(),
  decidedAt: z.string().optional(),
  reason: z.string().optional(),
  recoveryJobId: z.string().optional(),
});

/** An audit entry. */
export const StoredAuditEntrySchema = z.object({
  tenantId: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  target: z.string(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});

// Compile-time checks: each schema's output is a model value, and names every field of it (zod drops keys it
// does not know, so a model field the schema missed would be lost on read). A model change the schema misses
// fails the build here.
type Assignable<T, U extends T> = U;
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false;
type Expect<T extends true> = T;
export type _Checks = [
  Assignable<StoredJob, z.infer<typeof StoredJobSchema>>,
  Expect<SameKeys<Omit<Extract<StoredJob, { kind: "recovery" }>, "kind">, Omit<z.infer<typeof StoredRecoveryJobSchema>, "kind">>>,
  Expect<SameKeys<Omit<Extract<StoredJob, { kind: "differenceReport" }>, "kind">, Omit<z.infer<typeof StoredReportJobSchema>, "kind" | keyof typeof recoveryFields>>>,
  Assignable<Change, z.infer<typeof StoredChangeSchema>>,
  Expect<SameKeys<Change, z.infer<typeof StoredChangeSchema>>>,
  Assignable<StepOutcome["step"], z.infer<typeof StoredStepSchema>>,
  Assignable<StepOutcome["status"], z.infer<typeof StoredStepStatusSchema>>,
  Assignable<Omit<RecoveryRequest, "version">, z.infer<typeof StoredRecoveryRequestSchema>>,
  Expect<SameKeys<Omit<RecoveryRequest, "version">, z.infer<typeof StoredRecoveryRequestSchema>>>,
  Assignable<AuditEntry, z.infer<typeof StoredAuditEntrySchema>>,
  Expect<SameKeys<AuditEntry, z.infer<typeof StoredAuditEntrySchema>>>,
];
