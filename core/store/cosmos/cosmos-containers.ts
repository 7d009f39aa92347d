import type { Container, ContainerDefinition, CosmosClient, Database } from "@azure/cosmos";

/**
 * The containers of a Rewind database and their partition keys, chosen for the queries that run on them.
 * Every document carries `pk` (its partition key value, a string) and, where rows age out, `ttl`. Queries
 * always filter on `c.pk = @pk` as well (the emulator ignores the `partitionKey` option).
 */
export const CONTAINERS = {
  /** Backup headers (one per backup), per tenant: pk = tenantId. */
  backups: { id: "backups", partitionKey: { paths: ["/pk"] } },
  /** A backup's objects and links in chunk documents: pk = `${tenantId}|${backupId}`. */
  backupChunks: { id: "backupChunks", partitionKey: { paths: ["/pk"] } },
  /**
   * Comparison snapshots (a job's read of the current state, scratch): headers per tenant (pk = tenantId), and
   * each snapshot's staged, sealed and content documents in its own partition (pk = `${tenantId}|${id}`).
   */
  comparisons: { id: "comparisons", partitionKey: { paths: ["/pk"] } },
  /** Jobs and the tenant's one-active-job lock, per tenant: pk = tenantId. */
  jobs: { id: "jobs", partitionKey: { paths: ["/pk"] }, defaultTtl: -1 },
  /** A job's changes and recovery outcomes: pk = `${tenantId}|${jobId}`. */
  jobItems: { id: "jobItems", partitionKey: { paths: ["/pk"] }, defaultTtl: -1 },
  /** Recovery requests, per tenant: pk = tenantId. */
  requests: { id: "requests", partitionKey: { paths: ["/pk"] }, defaultTtl: -1 },
  /** The audit trail, per tenant: pk = tenantId. */
  audit: { id: "audit", partitionKey: { paths: ["/pk"] }, defaultTtl: -1 },
} as const satisfies Record<string, ContainerDefinition>;

export type ContainerName = keyof typeof CONTAINERS;

/** The opened containers of one database. */
export type CosmosContainers = { readonly [K in ContainerName]: Container };

/** Creates the database and its containers when missing (idempotent), and returns the containers. */
export async function openContainers(client: CosmosClient, databaseId: string): Promise<{ database: Database; containers: CosmosContainers }> {
  const { database } = await client.databases.createIfNotExists({ id: databaseId });
  const entries = await Promise.all(
    (Object.keys(CONTAINERS) as ContainerName[]).map(async (name) => {
      const { container } = await database.containers.createIfNotExists(CONTAINERS[name]);
      return [name, container] as const;
    }),
  );
  return { database, containers: Object.fromEntries(entries) as CosmosContainers };
}

