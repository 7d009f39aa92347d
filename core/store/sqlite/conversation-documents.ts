import { z } from "zod";

/** A stored conversation reference: a JSON object (the Bot Framework's shape is the bot's business). */
export const StoredReferenceSchema = z.record(z.string(), z.unknown());

/** The people seen in a conversation, as stored. */
export const StoredMembersSchema = z.array(
  z.object({ userId: z.string().min(1), channelUserId: z.string(), name: z.string().optional(), lastSeenAt: z.string() }).strict(),
);
