/**
 * The bot's own clean-up of its posted cards and alert claims: on its own timer, past the jobs' retention plus
 * a day, this tenant's only; conversations stay.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import pino from "pino";
import { CONVERSATION_STATE_RETENTION_DAYS, ConversationCleanup } from "../../bot/conversations/conversation-cleanup";
import { openSqliteConversationStore, type SqliteConversationStore } from "../../bot/conversations/sqlite/sqlite-conversation-store";
import { JOB_RETENTION_DAYS } from "../../core/engine";
import { ManualClock } from "../backup/manual-clock";
import { tempDir } from "../contract/sqlite-temp";

const TENANT = "5a5a5a5a-0000-4000-8000-0000000000e1";
const NEIGHBOUR = "5a5a5a5a-0000-4000-8000-0000000000e2";
const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 26, 9, 0);
const iso = (ms: number) => new Date(ms).toISOString();

describe("the bot's clean-up of posted cards and alert claims", () => {
  let dir: string;
  let store: SqliteConversationStore;
  beforeEach(() => {
    dir = tempDir();
    store = openSqliteConversationStore({ file: path.join(dir, "rewind.db") });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const card = (tenantId: string, subject: string, postedAt: number) =>
    store.addPostedCard({ tenantId, subject, conversationId: "c1", activityId: "a1", postedAt: iso(postedAt), updatedAt: iso(postedAt), fingerprint: "f" });

  it("removes this tenant's cards and claims past retention (a day after their jobs') at start and then every hour, never a neighbour's nor a conversation", async () => {
    const clock = new ManualClock(T0);
    const keep = (JOB_RETENTION_DAYS + 1) * DAY;
    expect(CONVERSATION_STATE_RETENTION_DAYS * DAY).toBe(keep);
    await store.saveConversation(TENANT, { conversationId: "c1", conversationType: "personal", reference: {}, at: iso(T0 - 30 * DAY) });
    await card(TENANT, "job:old", T0 - keep - 1);
    await card(TENANT, "job:later", T0 - keep + 30 * 60_000); // due half an hour from now
    await card(NEIGHBOUR, "job:old", T0 - 30 * DAY);
    await store.claimAlert(TENANT, "job:old:finished:c1", "p", iso(T0 - keep - 1), iso(T0 - keep - 2));

    const cleanup = new ConversationCleanup(store, TENANT, clock, pino({ level: "silent" }));
    await cleanup.start();
    expect(await store.listPostedCards(TENANT, "job:old")).toEqual([]);
    expect(await store.listPostedCards(TENANT, "job:later")).toHaveLength(1);
    expect(await store.claimAlert(TENANT, "job:old:finished:c1", "q", iso(T0), iso(T0 - 1))).toBe(true); // the old claim went
    expect(await store.listPostedCards(NEIGHBOUR, "job:old")).toHaveLength(1);
    expect(await store.getConversation(TENANT, "c1")).not.toBeNull();

    clock.advance(HOUR);
    await new Promise((r) => setImmediate(r));
    for (let i = 0; i < 20 && (await store.listPostedCards(TENANT, "job:later")).length > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await store.listPostedCards(TENANT, "job:later")).toEqual([]);
    await cleanup.stop();
  });
});
