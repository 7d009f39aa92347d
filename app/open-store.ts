import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import { z } from "zod";
import type { Store } from "../core/ports";
import { openCosmosStore } from "../core/store/cosmos/open-cosmos-store";
import { SqliteStore } from "../core/store/sqlite/sqlite-store";

/** Which store Rewind keeps its data in: the embedded SQLite file (default) or Azure Cosmos DB. */
export const StoreKindSchema = z.enum(["sqlite", "cosmos"], { message: "must be sqlite or cosmos" }).default("sqlite");

/** An opened store and how to close it. */
export interface OpenedStore {
  readonly store: Store;
  /** Where the data lives, for the start-up message (no secrets). */
  readonly where: string;
  close(): Promise<void>;
}

/** Reads STORE (and the chosen store's settings) and opens it; every problem is one clear error. */
export async function openStore(env: Readonly<Record<string, string | undefined>>, storeFile: string, log: Logger): Promise<OpenedStore> {
  const kind = StoreKindSchema.safeParse(env.STORE === "" ? undefined : env.STORE);
  if (!kind.success) throw new Error(`Invalid setting STORE: ${kind.error.issues[0]?.message ?? "must be sqlite or cosmos"}.`);
  if (kind.data === "cosmos") {
    return openCosmosStore(env, log);
  }
  if (storeFile !== ":memory:") mkdirSync(path.dirname(path.resolve(storeFile)), { recursive: true });
  const store = SqliteStore.open({ file: storeFile, logger: log });
  return { store, where: path.resolve(storeFile), close: async () => store.close() };
}
