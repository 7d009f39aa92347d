import type { Container } from "@azure/cosmos";
import { timeKey } from "../sqlite/time-key";
import { wonRace } from "./cosmos-conversation-point-read";

/**
 * Retention of posted cards and alert claims, of every tenant: an explicit query and a delete per document.
 * The documents also carry a Cosmos `ttl`, which real Cosmos honours, but @vercel/cosmosdb-server never
 * expires anything, and a TTL counts from the last write, not from `postedAt`/`claimedAt`, so this sweep is
 * what keeps the rule exactly. Returns how many documents this call removed (one already gone is not counted).
 */
export async function purgeConversationDocs(container: Container, before: string): Promise<number> {
  const cutoff = timeKey(before, "before");
  const { resources } = await container.items
    .query<{ id: string; pk: string }>({
      // Cross-partition: every tenant's. Times are normalized ISO strings, so string order is time order.
      query: "SELECT c.id, c.pk FROM c WHERE (c.kind = 'card' AND c.postedAt < @before) OR (c.kind = 'alert' AND c.claimedAt < @before)",
      parameters: [{ name: "@before", value: cutoff }],
    })
    .fetchAll();
  let removed = 0;
  for (const { id, pk } of resources) if (await wonRace(() => container.item(id, pk).delete(), [404])) removed++;
  return removed;
}
