import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import type { Store } from "../core/ports";
import { openCosmosStore } from "../core/store/cosmos/open-cosmos-store";
import { SqliteStore } from "../core/store/sqlite/sqlite-store";
import type { StoreSettings } from "./settings/store-env";

/** An opened store and how to close it. */
export interface OpenedStore {
  readonly store: Store;
  /** Where the data lives, for the start-up message (no secrets). */
  readonly where: string;
  close(): Promise<void>;
}

/** Opens the store its settings section names (STORE): the SQLite file, or the Cosmos DB account. */
export async function openStore(settings: StoreSettings, log: Logger): Promise<OpenedStore> {
  if (settings.kind === "cosmos") {
    return openCosmosStore(settings.cosmos, log);
  }
  const storeFile = settings.file;
  if (storeFile !== ":memory:") mkdirSync(path.dirname(path.resolve(storeFile)), { recursive: true });
  const store = SqliteStore.open({ file: storeFile, logger: log });
  return { store, where: path.resolve(storeFile), close: async () => store.close() };
}
