import type { AuditEntry } from "../../model/audit";

/** An audit entry read back from a tenant's own rows; one naming another tenant is damage, not data to return. */
export function ownAuditEntry(tenantId: string, entry: AuditEntry): AuditEntry {
  if (entry.tenantId !== tenantId) throw new Error(`A stored audit entry of tenant ${tenantId} names another tenant.`);
  return entry;
}
