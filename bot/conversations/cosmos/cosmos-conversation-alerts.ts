import type { Container } from "@azure/cosmos";
import type { Logger } from "pino";
import { hasStatus, readDoc, wonRace } from "../../../lib/cosmos-calls";
import { AlertDocSchema, alertDocId, type AlertDoc, type Unsaved } from "./cosmos-conversation-documents";

/** How often a claim starts over when the key was released or purged between its create and its read. */
const CLAIM_ATTEMPTS = 5;

/**
 * Alert claims in the `conversations` container, one document per (tenant, alert key), its id a hash of the key.
 * Each step is one conditional write, which is what makes it atomic across replicas: a free key is claimed by a
 * create (409: someone else has it); a stale unsent claim is taken over, completed or released by a write
 * carrying the etag read (IfMatch; 412: someone else changed it first, so this caller lost). Each document
 * carries a Cosmos `ttl` (counted from its last write).
 */
export class CosmosConversationAlerts {
  constructor(
    private readonly container: Container,
    private readonly ttlSeconds: number,
    private readonly log: Logger,
  ) {}

  /** True when `owner` now holds the claim: the key was free, or its claim is older than `staleBefore` and unsent (times normalized). */
  async claim(tenantId: string, key: string, owner: string, claimedAt: string, stale: string): Promise<boolean> {
    const id = alertDocId(key);
    const fresh: Unsaved<AlertDoc> = { id, pk: tenantId, kind: "alert", key, owner, claimedAt, sentAt: null, ttl: this.ttlSeconds };
    for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt++) {
      if (await wonRace(() => this.container.items.create(fresh), [409])) return true;
      const held = await this.read(tenantId, key);
      if (held === null) continue; // released or purged since the create: the key is free again
      if (held.sentAt !== null || held.claimedAt >= stale) return false;
      const { _etag, ...rest } = held;
      const takeover: Unsaved<AlertDoc> = { ...rest, owner, claimedAt, ttl: this.ttlSeconds };
      let gone = false;
      const won = await wonRace(async () => {
        const { statusCode } = await this.container.item(id, tenantId).replace(takeover, { accessCondition: { type: "IfMatch", condition: _etag } });
        gone = statusCode === 404;
      }, [412]).catch((err: unknown) => {
        if (!hasStatus(err, 404)) throw err;
        gone = true;
        return false;
      });
      if (gone) continue; // released or purged since the read: the key is free again
      if (won) this.log.info({ tenantId, key, owner, from: held.owner, claimedBefore: held.claimedAt }, "stale alert claim taken over");
      return won;
    }
    return false;
  }

  /** Marks the alert sent if `owner` holds the claim; otherwise a no-op. */
  async complete(tenantId: string, key: string, owner: string, sentAt: string): Promise<void> {
    const held = await this.read(tenantId, key);
    if (held === null || held.owner !== owner || held.sentAt !== null) return;
    const { _etag, ...rest } = held;
    const sent: Unsaved<AlertDoc> = { ...rest, sentAt, ttl: this.ttlSeconds };
    const won = await wonRace(() => this.container.item(held.id, tenantId).replace(sent, { accessCondition: { type: "IfMatch", condition: _etag } }), [404, 412]);
    if (!won) this.log.warn({ tenantId, key, owner }, "alert claim was taken over before it was marked sent");
  }

  /** Frees an unsent claim held by `owner` (the key is free again at once); otherwise a no-op. */
  async release(tenantId: string, key: string, owner: string): Promise<void> {
    const held = await this.read(tenantId, key);
    if (held === null || held.owner !== owner || held.sentAt !== null) return;
    await wonRace(() => this.container.item(held.id, tenantId).delete({ accessCondition: { type: "IfMatch", condition: held._etag } }), [404, 412]);
  }

  async isSent(tenantId: string, key: string): Promise<boolean> {
    return (await this.read(tenantId, key))?.sentAt != null;
  }

  private async read(tenantId: string, key: string): Promise<AlertDoc | null> {
    const doc = await readDoc(this.container, alertDocId(key), tenantId, AlertDocSchema, `alert claim ${key}`);
    if (doc !== null && doc.key !== key) throw new Error(`Stored alert claim ${doc.id} names ${doc.key}, not ${key}.`);
    return doc;
  }
}
