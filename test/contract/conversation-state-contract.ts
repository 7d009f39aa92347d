import { MAX_CONVERSATION_MEMBERS, type PostedCard } from "../../core/model/conversation";
import type { ConversationStore } from "../../core/ports";

const T1 = "d0d0d0d0-0000-4000-8000-00000000d0d0";
const T2 = "e1e1e1e1-0000-4000-8000-00000000e1e1";
const at = (minute: number): string => new Date(Date.UTC(2026, 10, 26, 9, minute)).toISOString();
const ref = (id: string) => ({ conversation: { id }, serviceUrl: "https://smba.trafficmanager.net/emea/", bot: { id: "28:bot" } });
const member = (n: number, minute: number) => ({ userId: `user-${n}`, channelUserId: `29:user-${n}`, name: `User ${n}`, lastSeenAt: at(minute) });

function card(over: Partial<PostedCard> = {}): PostedCard {
  return { tenantId: T1, subject: "job:1", conversationId: "c1", activityId: "a1", postedAt: at(0), updatedAt: at(0), fingerprint: "queued", ...over };
}

/**
 * The ConversationStore contract, written against the port only: every Store implementation (SQLite now,
 * Cosmos later) runs it. `open` gives a fresh, empty store.
 */
export function conversationStateContract(name: string, open: () => Promise<{ store: ConversationStore; close(): Promise<void> }>): void {
  describe(`${name}: conversation state (the bot's references, posted cards, alert claims)`, () => {
    let store: ConversationStore;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ store, close } = await open());
    });
    afterEach(async () => close());

    it("keeps one record per conversation, merges the people seen there, and isolates tenants", async () => {
      await store.saveConversation(T1, { conversationId: "c1", conversationType: "personal", reference: ref("c1"), member: member(1, 1), at: at(1) });
      const saved = await store.saveConversation(T1, { conversationId: "c1", conversationType: "channel", reference: ref("c1b"), member: member(2, 2), at: at(2) });
      expect(saved).toMatchObject({ tenantId: T1, conversationId: "c1", conversationType: "channel", reference: ref("c1b"), updatedAt: at(2) });
      expect(saved.members.map((m) => m.userId)).toEqual(["user-2", "user-1"]);
      // The same person again replaces their entry (newest first).
      const again = await store.saveConversation(T1, { conversationId: "c1", conversationType: "channel", reference: ref("c1b"), member: { ...member(1, 3), name: "Renamed" }, at: at(3) });
      expect(again.members.map((m) => [m.userId, m.name])).toEqual([
        ["user-1", "Renamed"],
        ["user-2", "User 2"],
      ]);
      // Saving without a member keeps the members.
      expect((await store.saveConversation(T1, { conversationId: "c1", conversationType: "channel", reference: ref("c1b"), at: at(4) })).members).toHaveLength(2);
      await store.saveConversation(T1, { conversationId: "c2", conversationType: "personal", reference: ref("c2"), at: at(5) });
      expect((await store.listConversations(T1)).map((c) => c.conversationId)).toEqual(["c2", "c1"]);
      expect(await store.getConversation(T2, "c1")).toBeNull();
      expect(await store.listConversations(T2)).toEqual([]);
    });

    it(`keeps the ${MAX_CONVERSATION_MEMBERS} people seen most recently`, async () => {
      for (let n = 0; n < MAX_CONVERSATION_MEMBERS + 5; n++) {
        await store.saveConversation(T1, { conversationId: "c1", conversationType: "channel", reference: ref("c1"), member: member(n, n % 60), at: at(n % 60) });
      }
      const record = (await store.getConversation(T1, "c1"))!;
      expect(record.members).toHaveLength(MAX_CONVERSATION_MEMBERS);
      const seen = record.members.map((m) => m.lastSeenAt);
      expect([...seen].sort().reverse()).toEqual(seen);
    });

    it("flags a conversation stale, clears the flag when it is saved again, and forgets it with its cards", async () => {
      await store.saveConversation(T1, { conversationId: "c1", conversationType: "personal", reference: ref("c1"), at: at(1) });
      await store.markConversationStale(T1, "c1", "BotNotInConversationRoster", at(2));
      await store.markConversationStale(T1, "unknown", "x", at(2)); // a no-op
      expect((await store.getConversation(T1, "c1"))?.stale).toEqual({ at: at(2), reason: "BotNotInConversationRoster" });
      await store.saveConversation(T1, { conversationId: "c1", conversationType: "personal", reference: ref("c1"), at: at(3) });
      expect((await store.getConversation(T1, "c1"))?.stale).toBeUndefined();
      await store.addPostedCard(card());
      await store.addPostedCard(card({ conversationId: "c2", activityId: "a2" }));
      await store.deleteConversation(T1, "c1");
      await store.deleteConversation(T1, "unknown");
      expect(await store.getConversation(T1, "c1")).toBeNull();
      expect((await store.listPostedCards(T1, "job:1")).map((c) => c.conversationId)).toEqual(["c2"]);
    });

    it("lists posted cards by subject, replacing by key, with followers (no activity) as their own rows", async () => {
      await store.addPostedCard(card());
      await store.addPostedCard(card({ fingerprint: "loadingData|10", updatedAt: at(1) }));
      await store.addPostedCard(card({ activityId: null, postedAt: at(2), updatedAt: at(2) }));
      await store.addPostedCard(card({ subject: "job:2", postedAt: at(3) }));
      await store.addPostedCard({ ...card(), tenantId: T2 });
      const cards = await store.listPostedCards(T1, "job:1");
      expect(cards.map((c) => [c.activityId, c.fingerprint])).toEqual([
        ["a1", "loadingData|10"],
        [null, "queued"],
      ]);
      expect(await store.listPostedCards(T1, "job:3")).toEqual([]);
    });

    it("lets exactly one of two concurrent updates of a card win", async () => {
      await store.addPostedCard(card());
      const [a, b] = await Promise.all([
        store.touchPostedCard(T1, "job:1", "c1", "a1", at(0), { updatedAt: at(1), fingerprint: "x" }),
        store.touchPostedCard(T1, "job:1", "c1", "a1", at(0), { updatedAt: at(2), fingerprint: "y" }),
      ]);
      expect([a, b].filter(Boolean)).toHaveLength(1);
      const [stored] = await store.listPostedCards(T1, "job:1");
      expect(stored!.fingerprint).toBe(a ? "x" : "y");
      expect(await store.touchPostedCard(T1, "job:1", "c1", "a1", at(0), { updatedAt: at(3), fingerprint: "z" })).toBe(false);
      expect(await store.touchPostedCard(T1, "job:1", "c1", "nope", stored!.updatedAt, { updatedAt: at(3), fingerprint: "z" })).toBe(false);
      expect(await store.touchPostedCard(T2, "job:1", "c1", "a1", stored!.updatedAt, { updatedAt: at(3), fingerprint: "z" })).toBe(false);
    });

    it("claims an alert once; a stale unsent claim moves to a new owner; a sent one never comes back", async () => {
      expect(await store.claimAlert(T1, "k", "p1", at(10), at(0))).toBe(true);
      expect(await store.claimAlert(T1, "k", "p2", at(11), at(5))).toBe(false); // fresh claim held by p1
      expect(await store.alertSent(T1, "k")).toBe(false);
      expect(await store.claimAlert(T1, "k", "p2", at(20), at(15))).toBe(true); // p1 died: its claim is older than 15
      await store.completeAlert(T1, "k", "p1", at(21)); // not p1's any more: no effect
      expect(await store.alertSent(T1, "k")).toBe(false);
      await store.completeAlert(T1, "k", "p2", at(21));
      expect(await store.alertSent(T1, "k")).toBe(true);
      expect(await store.claimAlert(T1, "k", "p3", at(59), at(58))).toBe(false);
      // Released claims are free again at once; another tenant's key is its own.
      expect(await store.claimAlert(T1, "r", "p1", at(30), at(0))).toBe(true);
      await store.releaseAlert(T1, "r", "p2"); // not the owner: kept
      expect(await store.claimAlert(T1, "r", "p2", at(31), at(0))).toBe(false);
      await store.releaseAlert(T1, "r", "p1");
      expect(await store.claimAlert(T1, "r", "p2", at(31), at(0))).toBe(true);
      expect(await store.claimAlert(T2, "k", "p1", at(31), at(0))).toBe(true);
    });

    it("purges old posted cards and alert records", async () => {
      await store.addPostedCard(card({ postedAt: at(1) }));
      await store.addPostedCard(card({ subject: "job:2", postedAt: at(20) }));
      await store.claimAlert(T1, "old", "p", at(1), at(0));
      await store.claimAlert(T1, "new", "p", at(20), at(0));
      expect(await store.purgeConversationState(at(10))).toBe(2);
      expect(await store.listPostedCards(T1, "job:1")).toEqual([]);
      expect(await store.listPostedCards(T1, "job:2")).toHaveLength(1);
      expect(await store.claimAlert(T1, "old", "q", at(21), at(0))).toBe(true);
      expect(await store.claimAlert(T1, "new", "q", at(21), at(0))).toBe(false);
    });
  });
}
