import type { Logger } from "pino";
import type { BackupStore } from "../ports";

const DAY_MS = 86_400_000;

/**
 * Removes completed backups older than the retention (by their timestamp id). Returns the removed ids.
 * The newest backup is always kept, whatever its age: a tenant whose captures have been failing for a
 * week must not end up with nothing to recover from.
 */
export async function applyBackupRetention(
  store: BackupStore,
  tenantId: string,
  now: Date,
  retentionDays: number,
  log: Logger,
): Promise<string[]> {
  const cutoff = now.getTime() - retentionDays * DAY_MS;
  const [newest, ...older] = await store.listBackups(tenantId);
  if (!newest) return [];
  const expired = older.filter((b) => Date.parse(b.id) < cutoff).map((b) => b.id);
  for (const id of expired) {
    await store.deleteBackup(tenantId, id);
    log.info({ tenantId, backupId: id, retentionDays }, "backup aged out");
  }
  return expired;
}
