/**
 * The ConversationStore contract (what the Teams bot keeps: conversation references with the people seen
 * there, the cards it posted, the alerts it claimed and sent): what every store (SQLite, Cosmos) must do,
 * written against the port only. A store's test file calls `conversationStoreContract` with a factory that
 * opens a fresh, empty store per test.
 */
import { MAX_CONVERSATION_MEMBERS, type ConversationMember, type PostedCard } from "../../bot/conversations/conversation";
import type { ConversationStore } from "../../bot/conversations/conversation-store";

/** A fresh store for one test, and how to dispose of it. */
export type OpenConversationStore = () => Promise<{ store: ConversationStore; close(): Promise<void> }>;

const T1 = "d0d0d0d0-0000-4000-8000-0000000000a1";
const T2 = "d0d0d0d0-0000-4000-8000-0000000000b2";
const T3 = "d0d0d0d0-0000-4000-8000-0000000000c3";

/** A time on 26 November 2026, `minutes` after 09:00 (normalized, as the store gives times back). */
const at = (minutes: number): string => new Date(Date.UTC(2026, 10, 26, 9, minutes)).toISOString();
/** `ms` milliseconds after `iso`. */
const plusMs = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();

/** A Bot Framework conversation reference, as the bot stores it (JSON). */
function reference(conversationId: string, serviceUrl = "https://smba.trafficmanager.net/emea/"): Record<string, unknown> {
  return {
    activityId: "f:1234",
    user: { id: "29:1ada", aadObjectId: "0a0a0a0a-0000-4000-8000-000000000001", name: "Ada Lovelace" },
    bot: { id: "28:rewind-bot", name: "Rewind" },
    conversation: { id: conversationId, conversationType: "personal", tenantId: T1, isGroup: false },
    channelId: "msteams",
    locale: "en-GB",
    serviceUrl,
  };
}

/** Person `n`, last seen at minute `minutes`. */
function person(n: number, minutes: number, over: Partial<ConversationMember> = {}): ConversationMember {
  return { userId: `0b0b0b0b-0000-4000-8000-${n.toString(16).padStart(12, "0")}`, channelUserId: `29:person-${n}`, name: `Person ${n}`, lastSeenAt: at(minutes), ...over };
}

/** A progress card posted in conversation "c1" about job 1, by T1; `over` changes any field. */
function card(over: Partial<PostedCard> = {}): PostedCard {
  return { tenantId: T1, subject: "job:1", conversationId: "c1", activityId: "act-1", postedAt: at(0), updatedAt: at(0), fingerprint: "queued", ...over };
}

export function conversationStoreContract(name: string, open: OpenConversationStore): void {
  describe(`ConversationStore contract: ${name}`, () => {
    let store: ConversationStore;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ store, close } = await open());
    });
    afterEach(async () => {
      await close();
    });

    /** Saves conversation `id` of `tenantId` at minute `minutes`, optionally with a person seen there. */
    const save = (tenantId: string, id: string, minutes: number, member?: ConversationMember, conversationType = "personal") =>
      store.saveConversation(tenantId, { conversationId: id, conversationType, reference: reference(id), ...(member ? { member } : {}), at: at(minutes) });
    /** The record as stored now (it must exist). */
    const current = async (tenantId: string, id: string) => {
      const record = await store.getConversation(tenantId, id);
      if (record === null) throw new Error(`conversation ${id} is not stored`);
      return record;
    };
    const userIds = (members: readonly ConversationMember[]) => members.map((m) => m.userId);

    describe("conversations", () => {
      it("saves a reference and returns the record as stored, which reads back the same", async () => {
        const saved = await save(T1, "a:1ada", 1);
        expect(saved).toEqual({ tenantId: T1, conversationId: "a:1ada", conversationType: "personal", reference: reference("a:1ada"), members: [], updatedAt: at(1) });
        expect(saved).not.toHaveProperty("stale");
        expect(await store.getConversation(T1, "a:1ada")).toEqual(saved);
        expect(await store.listConversations(T1)).toEqual([saved]);
      });

      it("keeps a reference's JSON as given, nested values and all", async () => {
        const odd = { ...reference("19:x@thread.tacv2"), conversation: { id: "19:x@thread.tacv2", name: "Ops — Élan ✓", isGroup: true }, list: [1, "two", null, { three: 3 }], flag: false };
        await store.saveConversation(T1, { conversationId: "19:x@thread.tacv2", conversationType: "channel", reference: odd, at: at(1) });
        expect((await current(T1, "19:x@thread.tacv2")).reference).toEqual(odd);
      });

      it("returns null for an unknown conversation and an empty list for a tenant with none", async () => {
        expect(await store.getConversation(T1, "nope")).toBeNull();
        expect(await store.listConversations(T1)).toEqual([]);
      });

      it("keeps one record per conversation: a save replaces the reference, the type and updatedAt", async () => {
        await save(T1, "c1", 1, undefined, "personal");
        const again = await store.saveConversation(T1, { conversationId: "c1", conversationType: "groupChat", reference: reference("c1", "https://smba.trafficmanager.net/amer/"), at: at(2) });
        expect(again).toMatchObject({ conversationType: "groupChat", reference: reference("c1", "https://smba.trafficmanager.net/amer/"), updatedAt: at(2) });
        expect(await store.listConversations(T1)).toEqual([again]);
      });

      it("keeps a conversation type it does not know as given", async () => {
        await save(T1, "m1", 1, undefined, "meeting");
        expect((await current(T1, "m1")).conversationType).toBe("meeting");
      });

      it("gives times back normalized, so a time without milliseconds reads back as the same instant", async () => {
        const saved = await store.saveConversation(T1, {
          conversationId: "c1",
          conversationType: "personal",
          reference: reference("c1"),
          member: person(1, 0, { lastSeenAt: "2026-11-26T09:05:00Z" }),
          at: "2026-11-26T09:05:00Z",
        });
        expect(saved.updatedAt).toBe(at(5));
        expect(saved.members[0]!.lastSeenAt).toBe(at(5));
      });

      it("lists the most recently updated first; a save moves a conversation to the top", async () => {
        await save(T1, "c1", 1);
        await save(T1, "c2", 2);
        await save(T1, "c3", 3);
        expect((await store.listConversations(T1)).map((c) => c.conversationId)).toEqual(["c3", "c2", "c1"]);
        await save(T1, "c1", 4);
        expect((await store.listConversations(T1)).map((c) => c.conversationId)).toEqual(["c1", "c3", "c2"]);
      });
    });

    describe("people seen in a conversation", () => {
      it("adds each person seen, newest first, and keeps them when a save names no one", async () => {
        await save(T1, "c1", 1, person(1, 1));
        await save(T1, "c1", 2, person(2, 2));
        const saved = await save(T1, "c1", 3, person(3, 3));
        expect(saved.members).toEqual([person(3, 3), person(2, 2), person(1, 1)]);
        expect((await save(T1, "c1", 4)).members).toEqual(saved.members);
      });

      it("replaces the entry of someone seen again (same userId), with their new name and Teams id", async () => {
        await save(T1, "c1", 1, person(1, 1));
        await save(T1, "c1", 2, person(2, 2));
        const seen = person(1, 3, { name: "Ada L.", channelUserId: "29:ada-new" });
        const saved = await save(T1, "c1", 3, seen);
        expect(saved.members).toEqual([seen, person(2, 2)]);
      });

      it("orders by lastSeenAt, not by when a save came: a late save of an earlier sighting takes its place", async () => {
        await save(T1, "c1", 5, person(1, 5));
        await save(T1, "c1", 6, person(2, 1));
        expect(userIds((await current(T1, "c1")).members)).toEqual([person(1, 5).userId, person(2, 1).userId]);
      });

      it("keeps a person without a name without one", async () => {
        const { name: _unnamed, ...nameless } = person(1, 1);
        const saved = await save(T1, "c1", 1, nameless);
        expect(saved.members).toEqual([nameless]);
        expect(saved.members[0]).not.toHaveProperty("name");
      });

      it("keeps only a person's own fields, whatever else the caller's object carries", async () => {
        const carrying = { ...person(1, 1), role: "owner", tenantId: T1 } as ConversationMember;
        await save(T1, "c1", 1, carrying);
        expect((await current(T1, "c1")).members).toEqual([person(1, 1)]);
      });

      it(`keeps the ${MAX_CONVERSATION_MEMBERS} people seen most recently, newest first`, async () => {
        const extra = 5;
        for (let n = 0; n < MAX_CONVERSATION_MEMBERS + extra; n++) await save(T1, "c1", n, person(n, n));
        const { members } = await current(T1, "c1");
        expect(members).toHaveLength(MAX_CONVERSATION_MEMBERS);
        // The five seen first are the ones dropped; the rest are newest first.
        const expected = Array.from({ length: MAX_CONVERSATION_MEMBERS }, (_, i) => person(MAX_CONVERSATION_MEMBERS + extra - 1 - i, MAX_CONVERSATION_MEMBERS + extra - 1 - i));
        expect(members).toEqual(expected);

        // Someone kept who is seen again moves to the front, and no one is dropped for it.
        const again = await save(T1, "c1", 500, person(50, 500));
        expect(again.members).toHaveLength(MAX_CONVERSATION_MEMBERS);
        expect(again.members[0]).toEqual(person(50, 500));
        expect(userIds(again.members)).toContain(person(extra, extra).userId);

        // A sighting older than everyone kept, when the list is full, is not kept.
        const old = await save(T1, "c1", 501, person(9999, 0));
        expect(userIds(old.members)).not.toContain(person(9999, 0).userId);
        expect(old.members).toHaveLength(MAX_CONVERSATION_MEMBERS);
        expect(old.updatedAt).toBe(at(501));
      });
    });

    describe("stale conversations", () => {
      it("flags a conversation stale without touching the rest of the record, and lists it flagged", async () => {
        const saved = await save(T1, "c1", 1, person(1, 1));
        await save(T1, "c2", 2);
        await store.markConversationStale(T1, "c1", "BotNotInConversationRoster", at(3));
        const stale = await current(T1, "c1");
        expect(stale).toEqual({ ...saved, stale: { at: at(3), reason: "BotNotInConversationRoster" } });
        expect((await store.listConversations(T1)).map((c) => [c.conversationId, c.stale?.reason])).toEqual([
          ["c2", undefined],
          ["c1", "BotNotInConversationRoster"],
        ]);
      });

      it("takes the latest flag when marked again, and clears it when the conversation is saved again", async () => {
        await save(T1, "c1", 1);
        await store.markConversationStale(T1, "c1", "Forbidden", at(2));
        await store.markConversationStale(T1, "c1", "BotNotInConversationRoster", at(3));
        expect((await current(T1, "c1")).stale).toEqual({ at: at(3), reason: "BotNotInConversationRoster" });
        const saved = await save(T1, "c1", 4);
        expect(saved).not.toHaveProperty("stale");
        expect(await current(T1, "c1")).not.toHaveProperty("stale");
      });

      it("does nothing for an unknown conversation or tenant (no record appears)", async () => {
        await store.markConversationStale(T1, "nope", "Forbidden", at(1));
        await store.markConversationStale(T2, "nope", "Forbidden", at(1));
        expect(await store.getConversation(T1, "nope")).toBeNull();
        expect(await store.listConversations(T1)).toEqual([]);
      });
    });

    describe("deleting a conversation", () => {
      it("removes the conversation and every card posted there, and nothing of other conversations", async () => {
        await save(T1, "c1", 1, person(1, 1));
        await save(T1, "c2", 2);
        await store.addPostedCard(card());
        await store.addPostedCard(card({ activityId: null }));
        await store.addPostedCard(card({ subject: "request:9", activityId: "act-9" }));
        await store.addPostedCard(card({ conversationId: "c2", activityId: "act-2" }));
        await store.deleteConversation(T1, "c1");
        expect(await store.getConversation(T1, "c1")).toBeNull();
        expect((await store.listConversations(T1)).map((c) => c.conversationId)).toEqual(["c2"]);
        expect(await store.listPostedCards(T1, "job:1")).toEqual([card({ conversationId: "c2", activityId: "act-2" })]);
        expect(await store.listPostedCards(T1, "request:9")).toEqual([]);
      });

      it("is a no-op for an unknown conversation or tenant", async () => {
        await save(T1, "c1", 1);
        await store.deleteConversation(T1, "nope");
        await store.deleteConversation(T2, "c1");
        expect((await store.listConversations(T1)).map((c) => c.conversationId)).toEqual(["c1"]);
      });

      it("forgets the people seen: the conversation saved again starts afresh", async () => {
        await save(T1, "c1", 1, person(1, 1));
        await store.markConversationStale(T1, "c1", "Forbidden", at(2));
        await store.deleteConversation(T1, "c1");
        const fresh = await save(T1, "c1", 3);
        expect(fresh.members).toEqual([]);
        expect(fresh).not.toHaveProperty("stale");
      });
    });

    describe("posted cards", () => {
      it("reads a card back as written, a follower (no activity) included", async () => {
        const follower = card({ conversationId: "c2", activityId: null, postedAt: at(1), updatedAt: at(1), fingerprint: "" });
        await store.addPostedCard(card());
        await store.addPostedCard(follower);
        expect(await store.listPostedCards(T1, "job:1")).toEqual([card(), follower]);
      });

      it("replaces a card posted again with the same (subject, conversation, activity)", async () => {
        await store.addPostedCard(card());
        const replaced = card({ postedAt: at(1), updatedAt: at(2), fingerprint: "running|40" });
        await store.addPostedCard(replaced);
        expect(await store.listPostedCards(T1, "job:1")).toEqual([replaced]);
      });

      it("keeps one follower row per subject and conversation, beside that conversation's cards", async () => {
        await store.addPostedCard(card({ activityId: null }));
        await store.addPostedCard(card({ activityId: null, fingerprint: "again" }));
        await store.addPostedCard(card({ activityId: null, conversationId: "c2" }));
        await store.addPostedCard(card({ activityId: "act-1" }));
        await store.addPostedCard(card({ activityId: "act-1b" }));
        const cards = await store.listPostedCards(T1, "job:1");
        expect(cards).toHaveLength(4);
        expect(cards.filter((c) => c.activityId === null).map((c) => [c.conversationId, c.fingerprint])).toEqual(
          expect.arrayContaining([
            ["c1", "again"],
            ["c2", "queued"],
          ]),
        );
        expect(cards.filter((c) => c.activityId !== null).map((c) => c.activityId).sort()).toEqual(["act-1", "act-1b"]);
      });

      it("lists a subject's cards oldest first by postedAt, whatever order they were added in", async () => {
        await store.addPostedCard(card({ conversationId: "c3", activityId: "a3", postedAt: at(30) }));
        await store.addPostedCard(card({ conversationId: "c1", activityId: "a1", postedAt: at(10) }));
        await store.addPostedCard(card({ conversationId: "c2", activityId: "a2", postedAt: at(20) }));
        // An instant written without milliseconds orders as the instant it is.
        await store.addPostedCard(card({ conversationId: "c0", activityId: "a0", postedAt: "2026-11-26T09:05:00Z" }));
        expect((await store.listPostedCards(T1, "job:1")).map((c) => c.conversationId)).toEqual(["c0", "c1", "c2", "c3"]);
      });

      it("lists only the subject asked for, and nothing for an unknown one", async () => {
        await store.addPostedCard(card());
        await store.addPostedCard(card({ subject: "job:10" }));
        await store.addPostedCard(card({ subject: "request:1" }));
        expect((await store.listPostedCards(T1, "job:1")).map((c) => c.subject)).toEqual(["job:1"]);
        expect(await store.listPostedCards(T1, "job:2")).toEqual([]);
      });
    });

    describe("updating a card (compare-and-set)", () => {
      it("records the update when updatedAt is still the one expected", async () => {
        await store.addPostedCard(card());
        expect(await store.touchPostedCard(T1, "job:1", "c1", "act-1", at(0), { updatedAt: at(1), fingerprint: "running|10" })).toBe(true);
        expect(await store.listPostedCards(T1, "job:1")).toEqual([card({ updatedAt: at(1), fingerprint: "running|10" })]);
        // The value read back is the next expected one.
        expect(await store.touchPostedCard(T1, "job:1", "c1", "act-1", at(1), { updatedAt: at(2), fingerprint: "running|20" })).toBe(true);
        expect((await store.listPostedCards(T1, "job:1"))[0]).toMatchObject({ updatedAt: at(2), fingerprint: "running|20", postedAt: at(0) });
      });

      it("refuses a stale expected value and leaves the card as it is", async () => {
        await store.addPostedCard(card());
        await store.touchPostedCard(T1, "job:1", "c1", "act-1", at(0), { updatedAt: at(1), fingerprint: "running|10" });
        expect(await store.touchPostedCard(T1, "job:1", "c1", "act-1", at(0), { updatedAt: at(2), fingerprint: "running|20" })).toBe(false);
        expect(await store.listPostedCards(T1, "job:1")).toEqual([card({ updatedAt: at(1), fingerprint: "running|10" })]);
      });

      it("lets exactly one of two concurrent updates with the same expected value win", async () => {
        await store.addPostedCard(card());
        const [a, b] = await Promise.all([
          store.touchPostedCard(T1, "job:1", "c1", "act-1", at(0), { updatedAt: at(1), fingerprint: "from-a" }),
          store.touchPostedCard(T1, "job:1", "c1", "act-1", at(0), { updatedAt: at(2), fingerprint: "from-b" }),
        ]);
        expect([a, b].filter(Boolean)).toHaveLength(1);
        expect((await store.listPostedCards(T1, "job:1"))[0]).toMatchObject(a ? { updatedAt: at(1), fingerprint: "from-a" } : { updatedAt: at(2), fingerprint: "from-b" });
      });

      it("still lets only one win when the clock did not move (next updatedAt = expected): updatedAt moves forward anyway", async () => {
        await store.addPostedCard(card());
        const results = await Promise.all(
          ["x", "y", "z"].map((fingerprint) => store.touchPostedCard(T1, "job:1", "c1", "act-1", at(0), { updatedAt: at(0), fingerprint })),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const [stored] = await store.listPostedCards(T1, "job:1");
        expect(Date.parse(stored!.updatedAt)).toBeGreaterThan(Date.parse(at(0)));
        expect(stored!.fingerprint).toBe(["x", "y", "z"][results.indexOf(true)]);
        // A clock behind the card's time does not move it back either.
        expect(await store.touchPostedCard(T1, "job:1", "c1", "act-1", stored!.updatedAt, { updatedAt: at(-5), fingerprint: "behind" })).toBe(true);
        expect(Date.parse((await store.listPostedCards(T1, "job:1"))[0]!.updatedAt)).toBeGreaterThan(Date.parse(stored!.updatedAt));
      });

      it("answers false for an unknown card (subject, conversation, activity or tenant) and changes nothing", async () => {
        await store.addPostedCard(card());
        const next = { updatedAt: at(1), fingerprint: "x" };
        expect(await store.touchPostedCard(T1, "job:2", "c1", "act-1", at(0), next)).toBe(false);
        expect(await store.touchPostedCard(T1, "job:1", "c2", "act-1", at(0), next)).toBe(false);
        expect(await store.touchPostedCard(T1, "job:1", "c1", "act-2", at(0), next)).toBe(false);
        expect(await store.touchPostedCard(T2, "job:1", "c1", "act-1", at(0), next)).toBe(false);
        expect(await store.listPostedCards(T1, "job:1")).toEqual([card()]);
      });

      it("updates only the card named, never the conversation's follower row", async () => {
        await store.addPostedCard(card());
        await store.addPostedCard(card({ activityId: null }));
        await store.touchPostedCard(T1, "job:1", "c1", "act-1", at(0), { updatedAt: at(1), fingerprint: "running" });
        const cards = await store.listPostedCards(T1, "job:1");
        expect(cards.find((c) => c.activityId === null)).toEqual(card({ activityId: null }));
        expect(cards.find((c) => c.activityId === "act-1")?.fingerprint).toBe("running");
      });

      it("matches an expected value written without milliseconds (the same instant)", async () => {
        await store.addPostedCard(card({ updatedAt: "2026-11-26T09:00:00Z" }));
        expect(await store.touchPostedCard(T1, "job:1", "c1", "act-1", "2026-11-26T09:00:00Z", { updatedAt: at(1), fingerprint: "x" })).toBe(true);
      });
    });

    describe("alert claims", () => {
      const KEY = "job:1:finished:c1";

      it("claims a free key; while the claim is fresh nobody else (nor its owner again) may claim it", async () => {
        expect(await store.claimAlert(T1, KEY, "proc-a", at(10), at(5))).toBe(true);
        expect(await store.claimAlert(T1, KEY, "proc-b", at(11), at(6))).toBe(false);
        expect(await store.claimAlert(T1, KEY, "proc-a", at(11), at(6))).toBe(false);
        expect(await store.alertSent(T1, KEY)).toBe(false);
      });

      it("moves a claim older than staleBefore and never sent to the new owner (its process died mid-send)", async () => {
        await store.claimAlert(T1, KEY, "proc-a", at(10), at(0));
        // Claimed exactly at staleBefore is not before it: still fresh.
        expect(await store.claimAlert(T1, KEY, "proc-b", at(20), at(10))).toBe(false);
        expect(await store.claimAlert(T1, KEY, "proc-b", at(20), plusMs(at(10), 1))).toBe(true);
        // The claim is proc-b's now: proc-a can neither complete nor release it.
        await store.completeAlert(T1, KEY, "proc-a", at(21));
        expect(await store.alertSent(T1, KEY)).toBe(false);
        await store.releaseAlert(T1, KEY, "proc-a");
        expect(await store.claimAlert(T1, KEY, "proc-c", at(22), at(15))).toBe(false); // proc-b's claim (at 20) is fresh
        await store.completeAlert(T1, KEY, "proc-b", at(23));
        expect(await store.alertSent(T1, KEY)).toBe(true);
      });

      it("never gives out a sent alert again, however old its claim", async () => {
        await store.claimAlert(T1, KEY, "proc-a", at(10), at(0));
        await store.completeAlert(T1, KEY, "proc-a", at(11));
        expect(await store.alertSent(T1, KEY)).toBe(true);
        expect(await store.claimAlert(T1, KEY, "proc-b", at(500), at(499))).toBe(false);
        expect(await store.claimAlert(T1, KEY, "proc-a", at(500), at(499))).toBe(false);
        // Neither a release nor a second completion undoes it.
        await store.releaseAlert(T1, KEY, "proc-a");
        await store.completeAlert(T1, KEY, "proc-a", at(501));
        expect(await store.alertSent(T1, KEY)).toBe(true);
        expect(await store.claimAlert(T1, KEY, "proc-b", at(600), at(599))).toBe(false);
      });

      it("marks an alert sent only for the owner of its claim", async () => {
        await store.claimAlert(T1, KEY, "proc-a", at(10), at(0));
        await store.completeAlert(T1, KEY, "proc-b", at(11));
        expect(await store.alertSent(T1, KEY)).toBe(false);
        await store.completeAlert(T1, KEY, "proc-a", at(12));
        expect(await store.alertSent(T1, KEY)).toBe(true);
      });

      it("completing a key nobody claimed does nothing: it stays unsent and free", async () => {
        await store.completeAlert(T1, KEY, "proc-a", at(10));
        expect(await store.alertSent(T1, KEY)).toBe(false);
        expect(await store.claimAlert(T1, KEY, "proc-b", at(11), at(0))).toBe(true);
      });

      it("frees a released claim at once for anyone, but only when its owner releases it", async () => {
        await store.claimAlert(T1, KEY, "proc-a", at(10), at(0));
        await store.releaseAlert(T1, KEY, "proc-b"); // not the owner: kept
        expect(await store.claimAlert(T1, KEY, "proc-b", at(11), at(0))).toBe(false);
        await store.releaseAlert(T1, KEY, "proc-a");
        expect(await store.alertSent(T1, KEY)).toBe(false);
        expect(await store.claimAlert(T1, KEY, "proc-b", at(11), at(0))).toBe(true);
        await store.releaseAlert(T1, "never-claimed", "proc-a"); // a no-op
        expect(await store.alertSent(T1, "never-claimed")).toBe(false);
      });

      it("treats each key on its own", async () => {
        expect(await store.claimAlert(T1, "job:1:finished:c1", "proc-a", at(10), at(0))).toBe(true);
        expect(await store.claimAlert(T1, "job:1:finished:c2", "proc-b", at(10), at(0))).toBe(true);
        await store.completeAlert(T1, "job:1:finished:c1", "proc-a", at(11));
        expect(await store.alertSent(T1, "job:1:finished:c1")).toBe(true);
        expect(await store.alertSent(T1, "job:1:finished:c2")).toBe(false);
      });

      it("lets exactly one of several concurrent claims of a free key win", async () => {
        const results = await Promise.all(["p1", "p2", "p3", "p4"].map((owner) => store.claimAlert(T1, KEY, owner, at(10), at(0))));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it("lets exactly one of several concurrent takeovers of a stale claim win", async () => {
        await store.claimAlert(T1, KEY, "dead", at(0), at(0));
        const owners = ["p1", "p2", "p3"];
        const results = await Promise.all(owners.map((owner) => store.claimAlert(T1, KEY, owner, at(30), at(20))));
        expect(results.filter(Boolean)).toHaveLength(1);
        // The winner holds the claim: only its completion counts.
        for (const loser of owners.filter((_, i) => !results[i])) await store.completeAlert(T1, KEY, loser, at(31));
        expect(await store.alertSent(T1, KEY)).toBe(false);
        await store.completeAlert(T1, KEY, owners[results.indexOf(true)]!, at(31));
        expect(await store.alertSent(T1, KEY)).toBe(true);
      });
    });

    describe("retention", () => {
      it("removes one tenant's cards posted and alerts claimed before the time, counts them, and leaves every other tenant's", async () => {
        await save(T1, "c1", 0);
        await store.addPostedCard(card({ postedAt: at(1), updatedAt: at(50) })); // posted before: goes, however recently updated
        await store.addPostedCard(card({ activityId: null, postedAt: at(2) }));
        await store.addPostedCard(card({ subject: "job:2", postedAt: at(10) })); // exactly at the time: kept
        await store.addPostedCard({ ...card({ postedAt: at(3) }), tenantId: T2 });
        await store.claimAlert(T1, "sent-old", "p", at(1), at(0));
        await store.completeAlert(T1, "sent-old", "p", at(2));
        await store.claimAlert(T1, "claimed-old", "p", at(3), at(0));
        await store.claimAlert(T2, "claimed-old", "p", at(4), at(0));
        await store.completeAlert(T2, "claimed-old", "p", at(5));
        await store.claimAlert(T1, "new", "p", at(20), at(0));
        await store.completeAlert(T1, "new", "p", at(21));

        expect(await store.purgeConversationState(T1, at(10))).toBe(4); // 2 cards, 2 alerts (sent or not), all of T1

        expect(await store.listPostedCards(T1, "job:1")).toEqual([]);
        expect((await store.listPostedCards(T1, "job:2")).map((c) => c.postedAt)).toEqual([at(10)]);
        expect(await store.alertSent(T1, "sent-old")).toBe(false);
        expect(await store.alertSent(T1, "new")).toBe(true);
        // The other tenant's card and sent alert, as old, are still there: its own retention decides.
        expect((await store.listPostedCards(T2, "job:1")).map((c) => c.postedAt)).toEqual([at(3)]);
        expect(await store.alertSent(T2, "claimed-old")).toBe(true);
        // A purged key is free again; conversations are not retention's to remove.
        expect(await store.claimAlert(T1, "claimed-old", "q", at(30), at(29))).toBe(true);
        expect(await store.getConversation(T1, "c1")).not.toBeNull();
        expect(await store.purgeConversationState(T1, at(10))).toBe(0);
        expect(await store.purgeConversationState(T3, at(999))).toBe(0);
        expect(await store.purgeConversationState(T2, at(10))).toBe(2);
        expect(await store.listPostedCards(T2, "job:1")).toEqual([]);
        expect(await store.alertSent(T2, "claimed-old")).toBe(false);
        expect(await store.alertSent(T1, "new")).toBe(true);
      });
    });

    describe("tenant isolation", () => {
      it("never shows one tenant's conversations, cards or alerts to another, for the same ids", async () => {
        await save(T1, "c1", 1, person(1, 1));
        await store.addPostedCard(card());
        await store.claimAlert(T1, "k", "p", at(1), at(0));
        await store.completeAlert(T1, "k", "p", at(2));

        expect(await store.getConversation(T2, "c1")).toBeNull();
        expect(await store.listConversations(T2)).toEqual([]);
        expect(await store.listPostedCards(T2, "job:1")).toEqual([]);
        expect(await store.alertSent(T2, "k")).toBe(false);
        expect(await store.claimAlert(T2, "k", "p", at(3), at(0))).toBe(true);

        // The other tenant's writes with the same ids leave T1's rows alone.
        const other = await store.saveConversation(T2, { conversationId: "c1", conversationType: "channel", reference: { other: true }, member: person(2, 5), at: at(5) });
        expect(other).toMatchObject({ tenantId: T2, members: [person(2, 5)] });
        await store.markConversationStale(T2, "c1", "Forbidden", at(6));
        await store.addPostedCard({ ...card({ fingerprint: "T2's" }), tenantId: T2 });
        await store.deleteConversation(T2, "c1");
        await store.releaseAlert(T2, "k", "p");
        expect(await current(T1, "c1")).toEqual({
          tenantId: T1,
          conversationId: "c1",
          conversationType: "personal",
          reference: reference("c1"),
          members: [person(1, 1)],
          updatedAt: at(1),
        });
        expect(await store.listPostedCards(T1, "job:1")).toEqual([card()]);
        expect(await store.alertSent(T1, "k")).toBe(true);
        expect(await store.getConversation(T2, "c1")).toBeNull();
      });
    });

    describe("input checks", () => {
      it("refuses empty ids and times that are not ISO date-times, storing nothing", async () => {
        const input = { conversationId: "c1", conversationType: "personal", reference: reference("c1"), at: at(1) };
        await expect(store.saveConversation("", input)).rejects.toThrow();
        await expect(store.saveConversation(T1, { ...input, conversationId: "" })).rejects.toThrow();
        await expect(store.saveConversation(T1, { ...input, at: "yesterday" })).rejects.toThrow();
        await expect(store.saveConversation(T1, { ...input, member: person(1, 1, { userId: "" }) })).rejects.toThrow();
        await expect(store.saveConversation(T1, { ...input, member: person(1, 1, { lastSeenAt: "soon" }) })).rejects.toThrow();
        expect(await store.getConversation(T1, "c1")).toBeNull();

        await expect(store.addPostedCard(card({ subject: "" }))).rejects.toThrow();
        await expect(store.addPostedCard(card({ conversationId: "" }))).rejects.toThrow();
        await expect(store.addPostedCard(card({ activityId: "" }))).rejects.toThrow();
        await expect(store.addPostedCard(card({ postedAt: "not a time" }))).rejects.toThrow();
        await expect(store.addPostedCard({ ...card(), tenantId: "" })).rejects.toThrow();
        expect(await store.listPostedCards(T1, "job:1")).toEqual([]);

        await expect(store.claimAlert(T1, "", "p", at(1), at(0))).rejects.toThrow();
        await expect(store.claimAlert(T1, "k", "", at(1), at(0))).rejects.toThrow();
        await expect(store.claimAlert(T1, "k", "p", "now", at(0))).rejects.toThrow();
        await expect(store.claimAlert("", "k", "p", at(1), at(0))).rejects.toThrow();
        expect(await store.claimAlert(T1, "k", "p", at(1), at(0))).toBe(true);

        await expect(store.purgeConversationState(T1, "last month")).rejects.toThrow();
      });
    });
  });
}
