import { z } from "zod";
import { guid } from "./env-fields";

/** The tenant Rewind protects and serves: one setting, read once, handed to the Graph credential, the engine and the bot. */
export const TenantEnv = z.object({
  TENANT_ID: guid("must be the tenant's GUID"),
});

/** The tenant section. */
export interface TenantSettings {
  /** Lower case, as Teams and Graph compare it. */
  readonly id: string;
}

/** The tenant section of parsed settings. */
export function tenantSection(e: z.output<typeof TenantEnv>): TenantSettings {
  return { id: e.TENANT_ID.toLowerCase() };
}
