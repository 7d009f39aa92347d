import { z } from "zod";
import { BACKUP_TRIGGERS, type BackupTrigger } from "../../model/backup";
import { LINK_NAMES, OBJECT_TYPES } from "../../model/catalog";
import { StoredCountsSchema } from "../documents/stored-backup-values";
import { BackupStateSchema } from "../shared/backup-lifecycle";

/**
 * The documents a backup is kept in. Stored documents are a boundary: every read is parsed with these schemas.
 *
 * - `backups` container, pk = tenantId, id = backupId: the header (state, trigger, counts, and the content
 *   documents the backup references).
 * - `backupChunks` container, pk = `${tenantId}|${backupId}`:
 *   - `staged`: one batch as `addToBackup` got it (objects with their property hash, raw link chunks); removed
 *     once the backup is completed.
 *   - `content`: object bodies (properties and unioned links) by content hash. Content is shared between backups
 *     of a tenant: a later backup references an earlier backup's content document instead of storing an
 *     unchanged object again. A content document outlives its backup while a completed backup references it.
 *   - `sealed`: one sorted slice of a completed backup (one type, ids firstId..lastId, at most
 *     `SEALED_OBJECTS` entries): each entry is (id, deleted, content hash, content document).
 * Every chunk document carries `tenantId` and its own size in `bytes` (the sum is `backupStorageBytes`).
 */

/**
 * Cosmos DB refuses items over 2 MB (the JSON text, system properties included). Chunk documents are kept
 * below this many bytes of JSON, which leaves room for the system properties and the `bytes` field.
 */
export const MAX_CHUNK_BYTES = 1_500_000;

/** Objects per sealed slice (a read yields one slice per batch). */
export const SEALED_OBJECTS = 500;

/** Bodies per content document (fewer when they would pass `MAX_CHUNK_BYTES`). */
export const CONTENT_BODIES = 500;


/**
 * The trigger earlier versions stored a job's comparison snapshot under, as a backup of its own. Such headers
 * are still read (so a database written by them stays readable) but never listed, counted as unfinished, nor
 * taken as the previous backup; the clean-up of old comparison snapshots removes them.
 */
export const LEGACY_COMPARISON_TRIGGER = "comparison";

export const HeaderDocSchema = z.object({
  id: z.string(),
  pk: z.string(),
  tenantId: z.string(),
  /** A header earlier versions wrote for a job's comparison snapshot may still carry `LEGACY_COMPARISON_TRIGGER`. */
  backupTrigger: z.enum([...BACKUP_TRIGGERS, LEGACY_COMPARISON_TRIGGER]),
  requestedBy: z.string().optional(),
  startedAt: z.string(),
  state: BackupStateSchema,
  completedAt: z.string().optional(),
  counts: StoredCountsSchema.optional(),
  links: z.number().int().nonnegative().optional(),
  /** Content documents (`ContentRef`s) the completed backup's entries point at. */
  refs: z.array(z.string()).optional(),
  _etag: z.string().optional(),
});
export type HeaderDoc = z.infer<typeof HeaderDocSchema>;
/** The header of a real backup (not a legacy comparison snapshot). */
export type BackupHeaderDoc = HeaderDoc & { readonly backupTrigger: BackupTrigger };

/** The header as a backup's, or null for a legacy comparison snapshot's. */
export function backupHeader(header: HeaderDoc): BackupHeaderDoc | null {
  return header.backupTrigger === LEGACY_COMPARISON_TRIGGER ? null : (header as BackupHeaderDoc);
}

/** One object of a staged batch. */
export const StagedObjectSchema = z.object({
  type: z.enum(OBJECT_TYPES),
  id: z.string(),
  deleted: z.boolean(),
  /** Hash of the canonical properties. */
  hash: z.string(),
  /** Position in its batch (last write wins within a batch too). */
  position: z.number().int(),
  properties: z.record(z.string(), z.unknown()),
});
export type StagedObject = z.infer<typeof StagedObjectSchema>;

/** One link chunk of a staged batch. */
export const StagedLinkSchema = z.object({
  type: z.enum(OBJECT_TYPES),
  id: z.string(),
  link: z.enum(LINK_NAMES),
  targets: z.array(z.string()),
});
export type StagedLink = z.infer<typeof StagedLinkSchema>;

/** One staged object's key, as the completion's key query returns it. */
export const StagedKeySchema = StagedObjectSchema.omit({ properties: true }).extend({ seq: z.number() });
export const StagedBodySchema = StagedObjectSchema.pick({ id: true, hash: true, properties: true });
export const StagedLinkRowSchema = StagedLinkSchema.omit({ type: true });

const PropertiesSchema = z.record(z.string(), z.unknown());
const LinkSetsSchema = z.partialRecord(z.enum(LINK_NAMES), z.array(z.string()));

/**
 * An object's body: its properties and its link target sets (sorted, each once; absent links left out).
 * Content documents are shared by later backups, so bodies earlier versions wrote with one-letter fields
 * (`p`, `l`) are still read, as the same body; new ones are written with the names.
 */
export const BodySchema = z.union([
  z.object({ properties: PropertiesSchema, links: LinkSetsSchema.optional() }),
  z.object({ p: PropertiesSchema, l: LinkSetsSchema.optional() }).transform(({ p, l }) => ({ properties: p, ...(l !== undefined ? { links: l } : {}) })),
]);
export type Body = z.output<typeof BodySchema>;

export const ContentDocSchema = z.object({
  id: z.string(),
  kind: z.literal("content"),
  bodies: z.record(z.string(), BodySchema),
});

/** (id, deleted 0/1, content hash, index into `refs`, [earlier hash, its index into `refs`]). */
const EntrySchema = z.union([
  z.tuple([z.string(), z.number().int(), z.string(), z.number().int()]),
  z.tuple([z.string(), z.number().int(), z.string(), z.number().int(), z.string(), z.number().int()]),
]);
export type SealedEntry = z.infer<typeof EntrySchema>;

export const SealedDocSchema = z.object({
  id: z.string(),
  kind: z.literal("sealed"),
  type: z.enum(OBJECT_TYPES),
  position: z.number().int(),
  firstId: z.string(),
  lastId: z.string(),
  refs: z.array(z.string()),
  entries: z.array(EntrySchema),
});
export type SealedDoc = z.infer<typeof SealedDocSchema>;

export const SealedRangeSchema = z.object({ id: z.string(), firstId: z.string(), lastId: z.string() });
export const ChunkIdSchema = z.object({ id: z.string(), kind: z.string() });

/** The partition of a backup's chunk documents. */
export function chunkPk(tenantId: string, backupId: string): string {
  return `${tenantId}|${backupId}`;
}

/** A content document named across backups: `${backupId}/${documentId}`. */
export type ContentRef = string;

export function contentRef(backupId: string, documentId: string): ContentRef {
  return `${backupId}/${documentId}`;
}

/** Where a content reference points: its backup's partition and the document id. */
export function parseContentRef(tenantId: string, ref: ContentRef): { pk: string; id: string; backupId: string } {
  const slash = ref.indexOf("/");
  if (slash <= 0) throw new Error(`Malformed content reference ${JSON.stringify(ref)} in a stored backup.`);
  const backupId = ref.slice(0, slash);
  return { backupId, pk: chunkPk(tenantId, backupId), id: ref.slice(slash + 1) };
}

/** Adds `bytes` (the JSON size of the rest of the document) to a chunk document. */
export function withBytes<T extends Record<string, unknown>>(doc: T): T & { bytes: number } {
  return { ...doc, bytes: Buffer.byteLength(JSON.stringify(doc)) };
}
