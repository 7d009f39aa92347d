import type { Container } from "@azure/cosmos";
import type { BackupLinks } from "../../model/backup";
import { OBJECT_TYPES, type LinkName, type ObjectType } from "../../model/catalog";
import type { BackupReadOptions } from "../../ports";
import { ContentDocSchema, SealedDocSchema, SealedRangeSchema, chunkPk, parseContentRef, type Body } from "./cosmos-backup-documents";
import { parseStored } from "../../../lib/stored-json";
import { queryAll } from "./cosmos-query";
import { backupLifecycle } from "../shared/backup-lifecycle";
import { compareIds, readFilter } from "../shared/backup-contents";

/** One object of a backup with its links, as `readBackup` yields it. */
export interface CosmosBackupEntry {
  readonly object: { type: ObjectType; id: string; deleted: boolean; properties: Readonly<Record<string, unknown>> };
  readonly links: readonly BackupLinks[];
}

/** Content documents kept between slices (consecutive slices mostly share them). */
const CONTENT_CACHE = 8;

/**
 * Reads a completed backup slice by slice: per type in catalog order, the sealed slices in id order (one
 * point read each), and the content documents their entries point at (a small cache). One batch per slice,
 * so memory holds one slice and a few content documents whatever the backup's size.
 */
export async function* readSealedBackup(
  chunks: Container,
  tenantId: string,
  backupId: string,
  presentTypes: ReadonlySet<ObjectType>,
  options: BackupReadOptions | undefined,
): AsyncGenerator<CosmosBackupEntry[]> {
  const pk = chunkPk(tenantId, backupId);
  const { types: typeFilter, ids } = readFilter(options);
  const idSet = ids ? new Set(ids) : null;
  if (ids?.length === 0) return;
  const cache = new Map<string, Record<string, Body>>();

  const content = async (ref: string): Promise<Record<string, Body>> => {
    const hit = cache.get(ref);
    if (hit !== undefined) {
      cache.delete(ref);
      cache.set(ref, hit);
      return hit;
    }
    const where = parseContentRef(tenantId, ref);
    const { resource } = await chunks.item(where.id, where.pk).read();
    if (resource === undefined) throw backupLifecycle.deletedWhileRead(backupId);
    const doc = parseStored(ContentDocSchema, resource, `content ${ref}`);
    cache.set(ref, doc.bodies);
    if (cache.size > CONTENT_CACHE) cache.delete(cache.keys().next().value!);
    return doc.bodies;
  };

  for (const type of OBJECT_TYPES) {
    if (!presentTypes.has(type) || (typeFilter !== null && !typeFilter.has(type))) continue;
    const ranges = await queryAll(chunks, {
      query: "SELECT c.id, c.firstId, c.lastId FROM c WHERE c.pk = @pk AND c.kind = 'sealed' AND c.type = @t ORDER BY c.position",
      parameters: [
        { name: "@pk", value: pk },
        { name: "@t", value: type },
      ],
    });
    for (const raw of ranges) {
      const range = parseStored(SealedRangeSchema, raw, "sealed slice range");
      if (ids !== null && !anyWithin(ids, range.firstId, range.lastId)) continue;
      const { resource } = await chunks.item(range.id, pk).read();
      if (resource === undefined) throw backupLifecycle.deletedWhileRead(backupId);
      const slice = parseStored(SealedDocSchema, resource, `sealed slice ${range.id}`);
      const batch: CosmosBackupEntry[] = [];
      for (const [id, deleted, hash, refIndex] of slice.entries) {
        if (idSet !== null && !idSet.has(id)) continue;
        const ref = slice.refs[refIndex];
        if (ref === undefined) throw new Error(`Stored sealed slice ${slice.id} is malformed: a reference is out of range.`);
        const body = (await content(ref))[hash];
        if (body === undefined) throw new Error(`Stored content ${ref} is malformed: it lacks ${type} ${id}.`);
        const links = Object.entries(body.links ?? {})
          .sort(([a], [b]) => compareIds(a, b))
          .map(([link, targets]) => ({ type, id, link: link as LinkName, targets: targets ?? [] }));
        batch.push({ object: { type, id, deleted: deleted !== 0, properties: body.properties }, links });
      }
      if (batch.length > 0) yield batch;
    }
  }
}

/** Whether a sorted list holds a value in [lo, hi]. */
function anyWithin(sorted: readonly string[], lo: string, hi: string): boolean {
  let a = 0;
  let b = sorted.length;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (sorted[mid]! < lo) a = mid + 1;
    else b = mid;
  }
  return a < sorted.length && sorted[a]! <= hi;
}
