import type { Logger } from "pino";
import type { BackupLinks, BackupObject, BackupSummary, BackupTrigger } from "../model/backup";
import { backupIdFor } from "../model/ids";
import { OBJECT_TYPES, type ObjectType } from "../model/catalog";
import { StoreConflictError } from "../model/store-error";
import type { BackupBatch, BackupStore, Clock, Directory, DirectoryRecord, ObjectRecord } from "../ports";
import { allOrStop } from "./all-or-stop";

/** What a capture needs. */
export interface CaptureDeps {
  readonly directory: Directory;
  readonly store: BackupStore;
  readonly clock: Clock;
  readonly log: Logger;
}

/** Who and why. */
export interface CaptureRequest {
  readonly tenantId: string;
  readonly trigger: BackupTrigger;
  readonly requestedBy?: string;
  readonly signal?: AbortSignal;
}

/** Seconds tried past the first when backups start within the same second: ids stay unique timestamps. */
const ID_ATTEMPTS = 60;

/**
 * Takes one backup: every supported type (live objects with properties and links, then soft-deleted ones)
 * read through the Directory and streamed into the Store batch by batch; memory does not grow with the
 * tenant. Types are read at the same time, so Graph's latency for one overlaps the work on another; when one
 * fails, the others stop. The backup is listed only once complete; a failed capture is abandoned, never left
 * half-visible.
 */
export async function captureBackup(deps: CaptureDeps, req: CaptureRequest): Promise<BackupSummary> {
  const { store, clock, log } = deps;
  const started = clock.now();
  const id = await beginWithUniqueId(store, req, started);
  const blog = log.child({ backupId: id, tenantId: req.tenantId });
  blog.info({ trigger: req.trigger }, "backup started");
  try {
    await allOrStop(
      req.signal,
      OBJECT_TYPES.map((type) => (signal) => captureType(deps, { ...req, signal }, (batch) => store.addToBackup(req.tenantId, id, batch), type)),
    );
    const summary = await store.completeBackup(req.tenantId, id, clock.now().toISOString());
    blog.info({ counts: summary.counts, links: summary.links, seconds: (clock.now().getTime() - started.getTime()) / 1000 }, "backup completed");
    return summary;
  } catch (err) {
    blog.error({ err }, "backup failed, abandoning it");
    await store.abandonBackup(req.tenantId, id).catch((e: unknown) => blog.error({ err: e }, "could not abandon the failed backup"));
    throw err;
  }
}

async function beginWithUniqueId(store: BackupStore, req: CaptureRequest, started: Date): Promise<string> {
  for (let i = 0; i < ID_ATTEMPTS; i++) {
    const id = backupIdFor(new Date(started.getTime() + i * 1000));
    try {
      await store.beginBackup(req.tenantId, {
        id,
        trigger: req.trigger,
        ...(req.requestedBy ? { requestedBy: req.requestedBy } : {}),
        startedAt: started.toISOString(),
      });
      return id;
    } catch (err) {
      if (!(err instanceof StoreConflictError)) throw err;
    }
  }
  throw new StoreConflictError(`No free backup id within ${ID_ATTEMPTS} seconds of ${started.toISOString()}.`);
}

/**
 * Streams one type (live objects with their links, then soft-deleted ones) into `write`: an open backup's, or
 * a job's comparison snapshot of the tenant's current state. `onObjects` counts objects as stored.
 */
export async function captureType(
  deps: { readonly directory: Directory },
  req: { readonly signal?: AbortSignal },
  write: (batch: BackupBatch) => Promise<void>,
  type: ObjectType,
  onObjects?: (count: number) => void,
): Promise<void> {
  const options = req.signal ? { signal: req.signal } : {};
  for await (const records of deps.directory.readAll(type, options)) {
    const batch = toBatch(records);
    if (batch.objects.length > 0 || batch.links.length > 0) await write(batch);
    if (batch.objects.length > 0) onObjects?.(batch.objects.length);
  }
  for await (const records of deps.directory.readDeleted(type, options)) {
    if (records.length === 0) continue;
    await write({ objects: records.map((r) => toObject(r, true)), links: [] });
    onObjects?.(records.length);
  }
}

/** Directory records to what a backup keeps. Delta tokens and removals do not occur in a full read. */
export function toBatch(records: readonly DirectoryRecord[]): BackupBatch {
  const objects: BackupObject[] = [];
  const links: BackupLinks[] = [];
  for (const r of records) {
    if (r.kind === "object") objects.push(toObject(r, false));
    else if (r.kind === "links" && r.targets.length > 0) links.push({ type: r.type, id: r.id, link: r.link, targets: r.targets.map((t) => t.id) });
  }
  return { objects, links };
}

/** A directory object as a backup keeps it. */
export function toObject(r: ObjectRecord, deleted: boolean): BackupObject {
  return { type: r.type, id: r.id, deleted, properties: r.properties };
}
