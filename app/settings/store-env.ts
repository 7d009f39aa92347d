import { z } from "zod";
import type { CosmosSettings } from "../../core/store/cosmos/cosmos-config";
import { guid } from "./env-fields";

/** Which store Rewind keeps its data in: the embedded SQLite file (default) or Azure Cosmos DB. */
export const StoreEnv = z.object({
  STORE: z.enum(["sqlite", "cosmos"], { message: "must be sqlite or cosmos" }).default("sqlite"),
  STORE_FILE: z.string().min(1).default("./data/rewind.db"),
});

/** The Cosmos DB settings (see .env.sample); read only when STORE=cosmos. */
export const CosmosEnv = z.object({
  COSMOS_ENDPOINT: z.string().url("must be the account's URL, such as https://contoso.documents.azure.com:443/").startsWith("https://", "must be an https URL"),
  COSMOS_DATABASE: z.string().min(1).max(255).regex(/^[^/\\#?]+$/, "must be a database name without / \\ # ?").default("rewind"),
  /** An account key; without it, Entra credentials are used (managed identity, or DefaultAzureCredential). */
  COSMOS_KEY: z.string().min(1).optional(),
  /** A user-assigned managed identity's client id (optional; the system-assigned one otherwise). */
  COSMOS_MANAGED_IDENTITY_CLIENT_ID: guid("must be the managed identity's client id").optional(),
});

/** The store section: the SQLite file, or the Cosmos DB account. */
export type StoreSettings = { readonly kind: "sqlite"; readonly file: string } | { readonly kind: "cosmos"; readonly cosmos: CosmosSettings };

/** The Cosmos DB section of parsed settings. */
export function cosmosSection(e: z.output<typeof CosmosEnv>): CosmosSettings {
  return {
    endpoint: e.COSMOS_ENDPOINT,
    databaseId: e.COSMOS_DATABASE,
    auth: e.COSMOS_KEY
      ? { kind: "key", key: e.COSMOS_KEY }
      : { kind: "entra", ...(e.COSMOS_MANAGED_IDENTITY_CLIENT_ID ? { managedIdentityClientId: e.COSMOS_MANAGED_IDENTITY_CLIENT_ID } : {}) },
  };
}

/** The store section of parsed settings (`cosmos` is parsed when STORE=cosmos). */
export function storeSection(e: z.output<typeof StoreEnv>, cosmos: z.output<typeof CosmosEnv> | undefined): StoreSettings {
  return e.STORE === "cosmos" && cosmos ? { kind: "cosmos", cosmos: cosmosSection(cosmos) } : { kind: "sqlite", file: e.STORE_FILE };
}
