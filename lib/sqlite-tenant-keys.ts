import type { Database, Statement } from "better-sqlite3";

/**
 * Tenant ids to the small integer key (`tk`) rows carry instead of the tenant's GUID, in a table of
 * `(tk INTEGER PRIMARY KEY, tenant_id TEXT UNIQUE)`: the engine's `tenants`, the bot's `conversation_tenants`.
 */
export class TenantKeys {
  private readonly find: Statement<[string], number>;
  private readonly insert: Statement<[string]>;

  /** `table` is one of the store's own table names, never input. */
  constructor(db: Database, table: "tenants" | "conversation_tenants") {
    this.find = db.prepare<[string], number>(`SELECT tk FROM ${table} WHERE tenant_id = ?`).pluck();
    this.insert = db.prepare<[string]>(`INSERT INTO ${table} (tenant_id) VALUES (?)`);
  }

  /** The tenant's key, or undefined when nothing was ever stored for it (so it has nothing to read). */
  keyOf(tenantId: string): number | undefined {
    return this.find.get(tenantId);
  }

  /** The tenant's key, created on first write. Call inside a write transaction. */
  ensure(tenantId: string): number {
    return this.find.get(tenantId) ?? Number(this.insert.run(tenantId).lastInsertRowid);
  }
}
