import type { Database } from "@azure/cosmos";
import type { Logger } from "pino";
import type { Store } from "../../ports";
import { CosmosBackupStore } from "./cosmos-backup-store";
import { connectCosmos, type CosmosSettings } from "./cosmos-config";
import { CosmosJobStore } from "./cosmos-job-store";
import { composeCosmosStore } from "./cosmos-store";

/**
 * Opens the Cosmos DB store from its settings section (STORE=cosmos): connection, containers, parts. The
 * database is handed back too, for a front end that keeps its own containers there.
 */
export async function openCosmosStore(settings: CosmosSettings, log: Logger): Promise<{ store: Store; database: Database; where: string; close(): Promise<void> }> {
  const { client, containers } = await connectCosmos(settings);
  const clog = log.child({ component: "cosmos-store" });
  const store = composeCosmosStore(
    {
      backups: new CosmosBackupStore(containers, clog),
      jobs: new CosmosJobStore(containers, clog),
    },
    clog,
  );
  return {
    store,
    database: containers.jobs.database,
    where: `Cosmos DB ${settings.endpoint} database ${settings.databaseId}`,
    close: async () => {
      await store.close();
      client.dispose();
    },
  };
}
