/**
 * The one home of id rules: what a GUID (tenant, user, object, job, recovery request) and a backup id look
 * like, and their canonical form. The command parser, the card verbs, the engine's input checks and the
 * settings all read ids through here, so "is this an id" has one answer everywhere.
 */
import { z } from "zod";

/** A GUID as Entra writes them: 8-4-4-4-12 hex digits (any case on input; lower case once parsed). */
const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A backup id in its canonical form: the UTC second it started, upper-case `T` and `Z`. */
const BACKUP_ID_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** A GUID shown in messages as an example of a job or request id. */
export const GUID_EXAMPLE = "3f2b8c1e-6d4a-4c1b-9e2f-0a1b2c3d4e5f";
/** An object id shown in messages as an example. */
export const OBJECT_ID_EXAMPLE = "0a0a0a0a-0000-4000-8000-000000000001";
/** A backup id shown in messages as an example. */
export const BACKUP_ID_EXAMPLE = "2026-11-25T02:00:00Z";

/** A GUID in lower case (tenant, user, group, object, job and recovery request ids). */
export type Guid = string;
/** A backup id: the UTC second the backup started, as `backupIdFor` writes it. */
export type BackupId = string;

/** Whether `value` is a GUID, in any case. */
export function isGuid(value: string): boolean {
  return GUID_PATTERN.test(value);
}

/** `value` as a canonical (lower-case) GUID, or null when it is not one. */
export function parseGuid(value: string): Guid | null {
  return GUID_PATTERN.test(value) ? value.toLowerCase() : null;
}

/** The id of a backup started at `at`: its UTC timestamp to the second. */
export function backupIdFor(at: Date): BackupId {
  return `${at.toISOString().slice(0, 19)}Z`;
}

/**
 * `value` as a canonical backup id, or null when it is not one. Backup ids are UTC timestamps, so any case
 * is accepted (`2026-11-25t02:00:00z` is the same second) and upper-cased; the timestamp must be a real
 * second (no 30 February), i.e. exactly what `backupIdFor` would write for it.
 */
export function parseBackupId(value: string): BackupId | null {
  const upper = value.toUpperCase();
  if (!BACKUP_ID_PATTERN.test(upper)) return null;
  const ms = Date.parse(upper);
  return !Number.isNaN(ms) && backupIdFor(new Date(ms)) === upper ? upper : null;
}

/** What a schema's refusal says: a fixed text, or zod's error map (to say "is missing" for an absent field). */
export type IdError = string | z.core.$ZodErrorMap;

/** A zod schema for a GUID, yielding it in lower case; `error` is what a refusal says. */
export function guidSchema(error: IdError = "must be a GUID") {
  return z
    .string({ error })
    .regex(GUID_PATTERN, { error })
    .transform((s) => s.toLowerCase());
}

/** A zod schema for a backup id in any case, yielding its canonical form; `error` is what a refusal says. */
export function backupIdSchema(error: IdError = `must be a backup id such as ${BACKUP_ID_EXAMPLE}`) {
  return z
    .string({ error })
    .refine((s) => parseBackupId(s) !== null, { error })
    .transform((s) => parseBackupId(s)!);
}

/** A tenant id (the directory's GUID). */
export const TenantIdSchema = guidSchema("must be the tenant's GUID");
/** A job id (reports, recoveries). */
export const JobIdSchema = guidSchema("must be a job id (a GUID)");
/** A backup id. */
export const BackupIdSchema = backupIdSchema();
