import type { Logger } from "pino";
import type { AuditStore, BackupStore, ConversationStore, JobStore, RecoveryRequestStore, Store } from "../../ports";

/** The parts a Cosmos store is made of, one per concern (each with its own containers). */
export interface CosmosStoreParts {
  readonly backups: BackupStore;
  readonly jobs: JobStore & RecoveryRequestStore & AuditStore;
  readonly conversations: ConversationStore;
}

/**
 * The Store port over Cosmos DB: each call goes to the part that owns it. Built by binding the parts' own
 * methods, so a method added to a port and to its part needs no line here; the type check still requires
 * every port method to exist on some part.
 */
export function composeCosmosStore(parts: CosmosStoreParts, log: Logger): Store & { close(): Promise<void> } {
  const store: Record<string, unknown> = {};
  for (const part of [parts.backups, parts.jobs, parts.conversations]) {
    for (let proto = Object.getPrototypeOf(part) as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
      for (const name of Object.getOwnPropertyNames(proto)) {
        const member = (part as unknown as Record<string, unknown>)[name];
        if (name === "constructor" || name.startsWith("_") || typeof member !== "function" || name in store) continue;
        store[name] = (member as (...args: unknown[]) => unknown).bind(part);
      }
    }
  }
  store.close = async () => log.debug("cosmos store closed");
  return store as unknown as Store & { close(): Promise<void> };
}
