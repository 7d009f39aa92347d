import https from "node:https";
import { CosmosClient } from "@azure/cosmos";
import type { Logger } from "pino";
import type { OpenedStore } from "../../app/open-store";
import { openCosmosConversationStore } from "../../bot/conversations/cosmos/cosmos-conversation-store";
import { CosmosBackupStore } from "../../core/store/cosmos/cosmos-backup-store";
import { openContainers, type CosmosContainers } from "../../core/store/cosmos/cosmos-containers";
import { CosmosJobStore } from "../../core/store/cosmos/cosmos-job-store";
import { composeCosmosStore } from "../../core/store/cosmos/cosmos-store";
import type { Store } from "../../core/ports";

/** The whole Store over Cosmos containers (its parts, composed as production composes them). */
export function cosmosStoreOn(containers: CosmosContainers, log: Logger): Store & { close(): Promise<void> } {
  return composeCosmosStore({ backups: new CosmosBackupStore(containers, log), jobs: new CosmosJobStore(containers, log) }, log);
}

/** The engine's store and the bot's conversation store in the database of `containers`, as the app opens them. */
export async function cosmosStoresOn(containers: CosmosContainers, log: Logger, where = "Cosmos DB emulator"): Promise<OpenedStore> {
  const store = cosmosStoreOn(containers, log);
  const conversations = await openCosmosConversationStore(containers.jobs.database, log);
  return { store, conversations, where, close: () => store.close() };
}

/** A client of the test server from this process (its certificate is self-signed); dispose of it with `close`. */
function testClient(endpoint: string): { client: CosmosClient; close(): void } {
  const agent = new https.Agent({ rejectUnauthorized: false, keepAlive: true });
  const client = new CosmosClient({ endpoint, key: "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==", agent });
  return {
    client,
    close: () => {
      client.dispose();
      agent.destroy();
    },
  };
}

/** Opens an existing test database from another process (the test server's certificate is self-signed). */
export async function openCosmosTestStore(endpoint: string, databaseId: string, log: Logger): Promise<Store & { close(): Promise<void> }> {
  const { client, close } = testClient(endpoint);
  const store = cosmosStoreOn((await openContainers(client, databaseId)).containers, log);
  return { ...store, close: async () => close() };
}

/** Both stores (the engine's and the bot's) of an existing test database, opened as another process would. */
export async function openCosmosTestStores(endpoint: string, databaseId: string, log: Logger): Promise<OpenedStore> {
  const { client, close } = testClient(endpoint);
  const opened = await cosmosStoresOn((await openContainers(client, databaseId)).containers, log, `Cosmos DB emulator ${databaseId}`);
  return { ...opened, close: async () => close() };
}
