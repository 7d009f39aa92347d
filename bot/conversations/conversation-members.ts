import { timeKey } from "../../lib/time-key";
import { MAX_CONVERSATION_MEMBERS, type ConversationMember } from "./conversation";
import { requireId } from "./stored-conversation";

/**
 * A conversation's people after seeing `member` (the one rule both adapters apply): the member replaces their
 * own entry, only their known fields are kept, newest first, at most `MAX_CONVERSATION_MEMBERS`.
 */
export function mergeMembers(current: readonly ConversationMember[], member?: ConversationMember): ConversationMember[] {
  let members = [...current];
  if (member !== undefined) {
    const seen: ConversationMember = {
      userId: requireId(member.userId, "A member's user id"),
      channelUserId: member.channelUserId,
      ...(member.name !== undefined ? { name: member.name } : {}),
      lastSeenAt: timeKey(member.lastSeenAt, "lastSeenAt"),
    };
    members = [seen, ...members.filter((m) => m.userId !== seen.userId)];
  }
  // Stable: of two people seen at the same instant, the one just given stays first.
  members.sort((a, b) => (a.lastSeenAt < b.lastSeenAt ? 1 : a.lastSeenAt > b.lastSeenAt ? -1 : 0));
  return members.slice(0, MAX_CONVERSATION_MEMBERS);
}
