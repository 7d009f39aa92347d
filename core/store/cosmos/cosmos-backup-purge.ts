import type { Container } from "@azure/cosmos";
import type { CosmosBackupBulk } from "./cosmos-backup-bulk";
import { ChunkIdSchema, HeaderDocSchema, chunkPk, contentRef, parseContentRef, type HeaderDoc } from "./cosmos-backup-documents";
import { parseStored } from "../../../lib/stored-json";
import { queryAll } from "./cosmos-query";

/** Content documents the tenant's completed backups reference, other than `exceptBackupId`. */
export async function aliveContent(headers: Container, tenantId: string, exceptBackupId: string | null): Promise<Set<string>> {
  const alive = new Set<string>();
  const rows = await queryAll(headers, { query: "SELECT * FROM c WHERE c.pk = @pk AND c.state = 'completed'", parameters: [{ name: "@pk", value: tenantId }] });
  for (const raw of rows) {
    const header = parseStored(HeaderDocSchema, raw, "backup header");
    if (header.id === exceptBackupId) continue;
    for (const ref of header.refs ?? []) alive.add(ref);
  }
  return alive;
}

/**
 * Removes a backup's chunk documents (staged, sealed, and the content no other completed backup references),
 * and content of older, already deleted backups that only this one still referenced; with bulk deletes.
 * The header is the caller's to remove afterwards (until then the backup is listed as unfinished, so a purge
 * cut short is finished by `abandonBackup`).
 *
 * Not guarded: a backup being sealed at the same time that takes content from this one (it is the newest
 * completed backup then, which retention does not delete).
 */
export async function purgeBackupChunks(chunks: Container, headers: Container, bulk: CosmosBackupBulk, tenantId: string, header: HeaderDoc): Promise<void> {
  const backupId = header.id;
  const alive = await aliveContent(headers, tenantId, backupId);
  const pk = chunkPk(tenantId, backupId);
  // Ids first (a few per 500 objects), then the deletes: deleting under a paged query could skip documents.
  const doomed: Array<{ id: string; pk: string }> = [];
  for (const raw of await queryAll(chunks, { query: "SELECT c.id, c.kind FROM c WHERE c.pk = @pk", parameters: [{ name: "@pk", value: pk }] })) {
    const doc = parseStored(ChunkIdSchema, raw, "backup chunk");
    if (doc.kind === "content" && alive.has(contentRef(backupId, doc.id))) continue;
    doomed.push({ id: doc.id, pk });
  }
  for (const ref of header.refs ?? []) {
    if (alive.has(ref)) continue;
    const where = parseContentRef(tenantId, ref);
    if (where.backupId !== backupId) doomed.push({ id: where.id, pk: where.pk });
  }
  await bulk.delete(doomed);
}
