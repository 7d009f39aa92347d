import { isIP } from "node:net";

/** How the bot authenticates Bot Framework traffic. */
export type BotAuth =
  | { readonly mode: "local" }
  | { readonly mode: "SingleTenant"; readonly appId: string; readonly password: string; readonly tenantId: string }
  | { readonly mode: "UserAssignedMSI"; readonly appId: string; readonly tenantId: string };

/** The bot's settings section (app/settings reads it from the environment; see .env.sample). */
export interface BotConfig {
  readonly host: string;
  readonly port: number;
  readonly auth: BotAuth;
  /** The only tenant whose turns are served (`conversation.tenantId`); turns from any other tenant are refused. */
  readonly tenantId: string;
  /** A conversation (e.g. a team channel) that receives every completion and failure. */
  readonly alertsConversationId?: string;
  /** At most one in-place update per card per this many milliseconds (Teams' rate limits; issue 4: 15 s). */
  readonly cardUpdateMs: number;
}

/** Whether a host name or address is the loopback interface. */
export function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1";
}
