import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openSqliteConversationStore, type SqliteConversationStore } from "../../bot/conversations/sqlite/sqlite-conversation-store";

/** A conversation store in a temporary folder that knows one personal chat, reached through the given Bot Connector url. */
export async function storeWithChat(serviceUrl: string, tenantId: string, conversationId: string): Promise<{ store: SqliteConversationStore; close(): void }> {
  const dir = mkdtempSync(path.join(tmpdir(), "rewind-chat-"));
  const store = openSqliteConversationStore({ file: path.join(dir, "store.db") });
  await store.saveConversation(tenantId, {
    conversationId,
    conversationType: "personal",
    reference: { serviceUrl, channelId: "msteams", conversation: { id: conversationId, tenantId }, bot: { id: "28:rewind" }, user: { id: "29:ada" } },
    at: new Date().toISOString(),
  });
  return {
    store,
    close(): void {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
