import type { Database, Statement } from "better-sqlite3";

/** Tenant ids to the small integer key (`tk`) the bot's rows carry instead of the tenant's GUID. */
export class ConversationTenants {
  private readonly find: Statement<[string], number>;
  private readonly insert: Statement<[string]>;

  constructor(db: Database) {
    this.find = db.prepare<[string], number>("SELECT tk FROM conversation_tenants WHERE tenant_id = ?").pluck();
    this.insert = db.prepare<[string]>("INSERT INTO conversation_tenants (tenant_id) VALUES (?)");
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
