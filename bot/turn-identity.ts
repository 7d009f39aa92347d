import type { Activity } from "botbuilder";
import { z } from "zod";
import { parseGuid } from "../core/model/ids";

/** What a Teams activity says about where it comes from and who sent it. */
export interface TurnIdentity {
  readonly tenantId: string | null;
  readonly conversationId: string;
  readonly conversationType: string;
  /** Entra object id; absent for channels that do not sign users in (then nothing is done). */
  readonly userId: string | null;
  readonly channelUserId: string;
  readonly name?: string;
}

// The fields read from an activity (a boundary: Teams, or anyone who can reach the endpoint, sends them).
const ActivityFields = z.object({
  conversation: z.object({ id: z.string().min(1).max(1000), tenantId: z.string().optional(), conversationType: z.string().optional() }),
  from: z.object({ id: z.string().max(1000).default(""), aadObjectId: z.string().optional(), name: z.string().optional() }).default({ id: "" }),
  channelData: z.object({ tenant: z.object({ id: z.string() }).optional() }).passthrough().optional(),
});

/** Reads the tenant, conversation and user of an activity; null when it lacks a conversation. */
export function turnIdentity(activity: Partial<Activity>): TurnIdentity | null {
  const parsed = ActivityFields.safeParse(activity);
  if (!parsed.success) return null;
  const { conversation, from, channelData } = parsed.data;
  const tenant = conversation.tenantId ?? channelData?.tenant?.id;
  const aad = from.aadObjectId;
  return {
    tenantId: tenant ? tenant.toLowerCase() : null,
    conversationId: conversation.id,
    conversationType: conversation.conversationType ?? "personal",
    userId: aad ? parseGuid(aad) : null,
    channelUserId: from.id,
    ...(from.name ? { name: from.name.slice(0, 200) } : {}),
  };
}
