import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import type { ConversationStore } from "../bot/conversations/conversation-store";
import { openCosmosConversationStore } from "../bot/conversations/cosmos/cosmos-conversation-store";
import { openSqliteConversationStore } from "../bot/conversations/sqlite/sqlite-conversation-store";
import type { Store } from "../core/ports";
import { openCosmosStore } from "../core/store/cosmos/open-cosmos-store";
import { SqliteStore } from "../core/store/sqlite/sqlite-store";
import type { StoreSettings } from "./settings/store-env";

/** The opened stores (the engine's, and the bot's conversation state beside it) and how to close them. */
export interface OpenedStore {
  readonly store: Store;
  /** The bot's conversation references, posted cards and alert claims: the same file or database, its own tables or container. */
  readonly conversations: ConversationStore;
  /** Where the data lives, for the start-up message (no secrets). */
  readonly where: string;
  close(): Promise<void>;
}

/** Opens the stores its settings section names (STORE): the SQLite file, or the Cosmos DB account; the bot's conversation store beside the engine's. */
export async function openStore(settings: StoreSettings, log: Logger): Promise<OpenedStore> {
  if (settings.kind === "cosmos") {
    const opened = await openCosmosStore(settings.cosmos, log);
    try {
      const conversations = await openCosmosConversationStore(opened.database, log);
      return { store: opened.store, conversations, where: opened.where, close: opened.close };
    } catch (err) {
      await opened.close();
      throw err;
    }
  }
  const storeFile = settings.file;
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
