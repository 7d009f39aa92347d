import https from "node:https";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { CosmosClient } from "@azure/cosmos";
import { createHttpsServer } from "@vercel/cosmosdb-server";
import { openContainers, type CosmosContainers } from "../../core/store/cosmos/cosmos-containers";
import { makeEmulatorQueriesLinear } from "../../scripts/cosmos-emulator/linear-emulator-queries";

/** The emulator's well-known key (public; the test server accepts any). */
const KEY = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

/** A @vercel/cosmosdb-server on 127.0.0.1 for one test file, and a client that trusts its self-signed certificate. */
export interface CosmosTestServer {
  readonly endpoint: string;
  readonly client: CosmosClient;
  /** A fresh database with Rewind's containers (one per test keeps tests apart). */
  freshContainers(): Promise<CosmosContainers>;
  /** The same, with the database's name (for another process to open it too). */
  freshDatabase(): Promise<{ databaseId: string; containers: CosmosContainers }>;
  close(): Promise<void>;
}

export async function startCosmosTestServer(): Promise<CosmosTestServer> {
  makeEmulatorQueriesLinear();
  const server = createHttpsServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The bundled certificate is self-signed and expired: only this test client skips verification.
  const agent = new https.Agent({ rejectUnauthorized: false, keepAlive: true });
  const client = new CosmosClient({ endpoint, key: KEY, agent });
  return {
    endpoint,
    client,
    async freshContainers() {
      return (await openContainers(client, `rewind-${randomUUID()}`)).containers;
    },
    async freshDatabase() {
      const databaseId = `rewind-${randomUUID()}`;
      return { databaseId, containers: (await openContainers(client, databaseId)).containers };
    },
    async close() {
      client.dispose();
      agent.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
