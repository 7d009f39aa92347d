import https from "node:https";
import type { Logger } from "pino";
import type { OpenedStore } from "../app/open-store";
import { openCosmosConversationStore } from "../bot/conversations/cosmos/cosmos-conversation-store";
import { CosmosBackupStore } from "../core/store/cosmos/cosmos-backup-store";
import { connectCosmos } from "../core/store/cosmos/cosmos-config";
import { CosmosJobStore } from "../core/store/cosmos/cosmos-job-store";
import { composeCosmosStore } from "../core/store/cosmos/cosmos-store";
import { EMULATOR_KEY } from "./cosmos-meter";

/**
 * The Cosmos store as production opens it (client options, timeouts, containers created when missing, the
 * engine's parts composed, and the bot's conversation store beside them), on the Cosmos DB test server of bench/cosmos-server-child.ts. Only the TLS check is
 * off: the server's bundled certificate is self-signed. Every process of the chaos benchmark opens its own.
 */
export async function openChaosStore(endpoint: string, databaseId: string, log: Logger): Promise<OpenedStore> {
  const agent = new https.Agent({ rejectUnauthorized: false, keepAlive: true });
  const { client, containers } = await connectCosmos({ endpoint, databaseId, auth: { kind: "key", key: EMULATOR_KEY } }, { agent });
  const clog = log.child({ component: "cosmos-store" });
  const store = composeCosmosStore(
    { backups: new CosmosBackupStore(containers, clog), jobs: new CosmosJobStore(containers, clog) },
    clog,
  );
  const conversations = await openCosmosConversationStore(containers.jobs.database, clog);
  return {
    store,
    conversations,
    where: `Cosmos DB test server ${endpoint} database ${databaseId}`,
    close: async () => {
      await store.close();
      client.dispose();
      agent.destroy();
    },
  };
}
