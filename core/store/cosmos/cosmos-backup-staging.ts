import { createHash } from "node:crypto";
import type { JSONObject } from "@azure/cosmos";
import { canonicalJson } from "../../model/canonical-json";
import type { BackupBatch } from "../../ports";
import { MAX_CHUNK_BYTES, withBytes, type StagedLink, type StagedObject } from "./cosmos-backup-documents";
import { checkObjectType } from "../shared/backup-contents";

/** A short content hash (SHA-256, 128 bits, base64url). */
export function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("base64url").slice(0, 22);
}


/**
 * Turns one batch into staged chunk documents: normally one document for the whole batch (one write
 * operation, so the batch lands whole or not at all); a batch whose JSON would pass `MAX_CHUNK_BYTES` is cut
 * into several documents, written in one bulk call (then a failure can leave part of it: the capture fails
 * and its backup is abandoned).
 */
export function stagedDocuments(tenantId: string, pk: string, seq: number, batch: BackupBatch): Array<JSONObject & { pk: string }> {
  const parts: Array<{ objects: StagedObject[]; links: StagedLink[]; size: number }> = [];
  let part = { objects: [] as StagedObject[], links: [] as StagedLink[], size: 0 };
  const add = (size: number): void => {
    if (part.size + size > MAX_CHUNK_BYTES && (part.objects.length > 0 || part.links.length > 0)) {
      parts.push(part);
      part = { objects: [], links: [], size: 0 };
    }
    part.size += size;
  };
  batch.objects.forEach((object, position) => {
    checkObjectType(object.type);
    const text = canonicalJson(object.properties);
    const staged: StagedObject = { type: object.type, id: object.id, deleted: object.deleted, hash: shortHash(text), position, properties: { ...object.properties } };
    add(text.length * 1.1 + object.id.length + 80);
    part.objects.push(staged);
  });
  for (const chunk of batch.links) {
    if (chunk.targets.length === 0) continue; // a link with no targets is stored as nothing
    checkObjectType(chunk.type);
    add(chunk.targets.reduce((s, t) => s + t.length + 3, 0) + chunk.id.length + 60);
    part.links.push({ type: chunk.type, id: chunk.id, link: chunk.link, targets: [...chunk.targets] });
  }
  if (part.objects.length > 0 || part.links.length > 0) parts.push(part);
  return parts.map((p, k) =>
    withBytes({ id: `staged-${seq}-${k}`, pk, tenantId, kind: "staged", seq, objects: p.objects, links: p.links } as JSONObject & { pk: string }),
  );
}
