import type { Container } from "@azure/cosmos";
import { queryPartition, wonRace } from "../../../lib/cosmos-calls";

/**
 * Retention of one tenant's posted cards and alert claims: a query within its partition and a delete per
 * document. The documents also carry a Cosmos `ttl`, which real Cosmos honours, but @vercel/cosmosdb-server never
 * expires anything, and a TTL counts from the last write, not from `postedAt`/`claimedAt`, so this sweep is
 * what keeps the rule exactly. Returns how many documents this call removed (one already gone is not counted).
 */
export async function purgeConversationDocs(container: Container, tenantId: string, cutoff: string): Promise<number> {
  const found = await queryPartition<{ id: string; pk: string }>(container, tenantId, {
    // Times are normalized ISO strings, so string order is time order.
    query: "SELECT c.id, c.pk FROM c WHERE c.pk = @pk AND ((c.kind = 'card' AND c.postedAt < @before) OR (c.kind = 'alert' AND c.claimedAt < @before))",
    parameters: [
      { name: "@pk", value: tenantId },
      { name: "@before", value: cutoff },
    ],
  });
  let removed = 0;
  for (const { id, pk } of found) if (await wonRace(() => container.item(id, pk).delete(), [404])) removed++;
  return removed;
}
