import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import { z } from "zod";
import type { ConversationStore } from "../bot/conversations/conversation-store";
import { openCosmosConversationStore } from "../bot/conversations/cosmos/cosmos-conversation-store";
import { openSqliteConversationStore } from "../bot/conversations/sqlite/sqlite-conversation-store";
import type { Store } from "../core/ports";
import { openCosmosStore } from "../core/store/cosmos/open-cosmos-store";
import { SqliteStore } from "../core/store/sqlite/sqlite-store";

/** Which store Rewind keeps its data in: the embedded SQLite file (default) or Azure Cosmos DB. */
export const StoreKindSchema = z.enum(["sqlite", "cosmos"], { message: "must be sqlite or cosmos" }).default("sqlite");

/** The opened stores (the engine's, and the bot's conversation state beside it) and how to close them. */
export interface OpenedStore {
  readonly store: Store;
  /** The bot's conversation references, posted cards and alert claims: the same file or database, its own tables or container. */
  readonly conversations: ConversationStore;
  /** Where the data lives, for the start-up message (no secrets). */
  readonly where: string;
  close(): Promise<void>;
}

/** Reads STORE (and the chosen store's settings) and opens it; every problem is one clear error. */
export async function openStore(env: Readonly<Record<string, string | undefined>>, storeFile: string, log: Logger): Promise<OpenedStore> {
  const kind = StoreKindSchema.safeParse(env.STORE === "" ? undefined : env.STORE);
  if (!kind.success) throw new Error(`Invalid setting STORE: ${kind.error.issues[0]?.message ?? "must be sqlite or cosmos"}.`);
  if (kind.data === "cosmos") {
    const opened = await openCosmosStore(env, log);
    try {
      const conversations = await openCosmosConversationStore(opened.database, log);
      return { store: opened.store, conversations, where: opened.where, close: opened.close };
    } catch (err) {
      await opened.close();
      throw err;
    }
  }
  if (storeFile !== ":memory:") mkdirSync(path.dirname(path.resolve(storeFile)), { recursive: true });
  // The engine migrates the file first; the bot's tables go beside its own, on a connection of the bot's.
  const store = SqliteStore.open({ file: storeFile, logger: log });
  let conversations: ReturnType<typeof openSqliteConversationStore>;
  try {
    conversations = openSqliteConversationStore({ file: storeFile, logger: log });
  } catch (err) {
    store.close();
    throw err;
  }
  return {
    store,
    conversations,
    where: path.resolve(storeFile),
    close: async () => {
      conversations.close();
      store.close();
    },
  };
}
