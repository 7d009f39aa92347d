import { CosmosClient, type CosmosClientOptions } from "@azure/cosmos";
import { DefaultAzureCredential, ManagedIdentityCredential } from "@azure/identity";
import { withDeadline } from "../../../lib/deadline";
import { openContainers, type CosmosContainers } from "./cosmos-containers";

/** The Cosmos DB settings section (app/settings reads it when STORE=cosmos). The key never appears in messages or logs. */
export interface CosmosSettings {
  readonly endpoint: string;
  readonly databaseId: string;
  /** An account key, or Microsoft Entra: a user-assigned managed identity's client id, else DefaultAzureCredential. */
  readonly auth: { readonly kind: "key"; readonly key: string } | { readonly kind: "entra"; readonly managedIdentityClientId?: string };
}

/**
 * How long one request to Cosmos DB may take before it is abandoned (the SDK's own default is a minute). Cosmos
 * answers a point operation in milliseconds and ends each query page within its 5-second execution limit
 * (handing back a continuation), so a request still unanswered after 20 s means the network or the service is
 * stuck: the call fails, and the caller (a job's heartbeat, a chat turn) goes on instead of hanging.
 */
export const COSMOS_REQUEST_TIMEOUT_MS = 20_000;

/**
 * The client's options. 429s are retried by the SDK (honouring the service's retry-after), up to a minute.
 * Endpoint discovery is off: with it on, the SDK sends a timed-out read or query again up to 120 times (to
 * fail over to another region), so a hung endpoint would hold a read for 120 × the timeout. Rewind uses the
 * account's endpoint, which follows the write region when the account fails over.
 */
export function cosmosClientOptions(settings: CosmosSettings, extra: { agent?: import("node:https").Agent; requestTimeoutMs?: number } = {}): CosmosClientOptions {
  const retryOptions = { maxRetryAttemptCount: 20, fixedRetryIntervalInMilliseconds: 0, maxWaitTimeInSeconds: 60 };
  const connectionPolicy = { retryOptions, requestTimeout: extra.requestTimeoutMs ?? COSMOS_REQUEST_TIMEOUT_MS, enableEndpointDiscovery: false };
  const common = { endpoint: settings.endpoint, connectionPolicy, ...(extra.agent ? { agent: extra.agent } : {}) };
  if (settings.auth.kind === "key") return { ...common, key: settings.auth.key };
  const credential = settings.auth.managedIdentityClientId
    ? new ManagedIdentityCredential({ clientId: settings.auth.managedIdentityClientId })
    : new DefaultAzureCredential();
  return { ...common, aadCredentials: credential };
}

/** The client for these settings (see `cosmosClientOptions`). */
export function createCosmosClient(settings: CosmosSettings, extra: { agent?: import("node:https").Agent; requestTimeoutMs?: number } = {}): CosmosClient {
  return new CosmosClient(cosmosClientOptions(settings, extra));
}

/**
 * Connects and makes sure the database and containers exist. Any failure (wrong endpoint, key, permissions)
 * becomes one sentence naming the endpoint and database and what Cosmos said, never a stack trace.
 */
export async function connectCosmos(
  settings: CosmosSettings,
  extra: { agent?: import("node:https").Agent; timeoutMs?: number; requestTimeoutMs?: number } = {},
): Promise<{ client: CosmosClient; containers: CosmosContainers }> {
  const client = createCosmosClient(settings, extra);
  const timeoutMs = extra.timeoutMs ?? 30_000;
  try {
    const opened = await withDeadline(openContainers(client, settings.databaseId), timeoutMs, () => new Error(`no answer within ${timeoutMs / 1000} s`));
    return { client, containers: opened.containers };
  } catch (err) {
    client.dispose();
    throw new Error(`Cannot use Cosmos DB database "${settings.databaseId}" at ${settings.endpoint}: ${describe(err)}. Check COSMOS_ENDPOINT, COSMOS_DATABASE and the key or the identity's data-plane role.`);
  }
}

function describe(err: unknown): string {
  const e = (typeof err === "object" && err !== null ? err : {}) as { code?: unknown; message?: unknown };
  const code = typeof e.code === "number" || typeof e.code === "string" ? `${e.code} ` : "";
  const status: Record<string, string> = { "401": "the key or token was refused", "403": "access denied", "404": "not found" };
  const text = typeof e.code === "number" && status[String(e.code)] ? status[String(e.code)]! : typeof e.message === "string" ? e.message.split("\n")[0]!.slice(0, 200) : String(err);
  return `${code}${text}`.trim();
}
