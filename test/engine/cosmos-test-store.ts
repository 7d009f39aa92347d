import https from "node:https";
import { CosmosClient } from "@azure/cosmos";
import type { Logger } from "pino";
import { CosmosBackupStore } from "../../core/store/cosmos/cosmos-backup-store";
import { openContainers, type CosmosContainers } from "../../core/store/cosmos/cosmos-containers";
import { CosmosConversationStore } from "../../core/store/cosmos/cosmos-conversation-store";
import { CosmosJobStore } from "../../core/store/cosmos/cosmos-job-store";
import { composeCosmosStore } from "../../core/store/cosmos/cosmos-store";
import type { Store } from "../../core/ports";

/** The whole Store over Cosmos containers (the three parts, composed as production composes them). */
export function cosmosStoreOn(containers: CosmosContainers, log: Logger): Store & { close(): Promise<void> } {
  return composeCosmosStore(
    { backups: new CosmosBackupStore(containers, log), jobs: new CosmosJobStore(containers, log), conversations: new CosmosConversationStore(containers, log) },
    log,
  );
}

/** Opens an existing test database from another process (the test server's certificate is self-signed). */
export async function openCosmosTestStore(endpoint: string, databaseId: string, log: Logger): Promise<Store & { close(): Promise<void> }> {
  const agent = new https.Agent({ rejectUnauthorized: false, keepAlive: true });
  const client = new CosmosClient({ endpoint, key: "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==", agent });
  const store = cosmosStoreOn((await openContainers(client, databaseId)).containers, log);
  return {
    ...store,
    close: async () => {
      client.dispose();
      agent.destroy();
    },
  };
}
