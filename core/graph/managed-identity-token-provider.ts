import { ManagedIdentityApplication, type INetworkModule, type ManagedIdentityConfiguration } from "@azure/msal-node";
import type { TokenProvider } from "./token-provider";

/** Options of the managed identity token provider. */
export interface ManagedIdentityTokenProviderOptions {
  /** A user-assigned identity's client id; without it, the host's system-assigned identity. */
  readonly userAssignedClientId?: string;
  /** The resource the token is for; defaults to Microsoft Graph. */
  readonly resource?: string;
  /** Injected HTTP client (tests); by default MSAL's own, to the endpoint the host advertises. */
  readonly networkClient?: INetworkModule;
}

/**
 * Tokens from the host's managed identity (@azure/msal-node's ManagedIdentityApplication): no secret to keep.
 * MSAL finds the endpoint from the environment the Azure host sets (App Service, Functions and Container Apps:
 * IDENTITY_ENDPOINT and IDENTITY_HEADER; Azure Arc, Service Fabric, Cloud Shell, Azure ML: theirs; otherwise
 * IMDS, as on VMs and scale sets), caches the token and renews it before it expires. The caller bounds each
 * call with its deadline (the gateway's token timeout); every failure here is one sentence saying which
 * identity, which endpoint, and what went wrong.
 */
export class ManagedIdentityTokenProvider implements TokenProvider {
  private readonly app: ManagedIdentityApplication;
  private readonly resource: string;

  constructor(private readonly options: ManagedIdentityTokenProviderOptions = {}) {
    const config: ManagedIdentityConfiguration = {
      ...(options.userAssignedClientId ? { managedIdentityIdParams: { userAssignedClientId: options.userAssignedClientId } } : {}),
      ...(options.networkClient ? { system: { networkClient: options.networkClient } } : {}),
    };
    this.app = new ManagedIdentityApplication(config);
    this.resource = options.resource ?? "https://graph.microsoft.com";
  }

  async getToken(): Promise<string> {
    let token: string | undefined;
    try {
      token = (await this.app.acquireToken({ resource: this.resource })).accessToken;
    } catch (err) {
      throw new Error(`${this.describe()} gave no token for ${this.resource}: ${reason(err)}.`);
    }
    // MSAL hands back an empty token when the endpoint's answer had none (a 5xx after its retries, a wrong body).
    if (!token) throw new Error(`${this.describe()} answered without an access token for ${this.resource}.`);
    return token;
  }

  /** "The system-assigned managed identity (App Service endpoint http://…)": never the secret header. */
  private describe(): string {
    const who = this.options.userAssignedClientId ? `The user-assigned managed identity ${this.options.userAssignedClientId}` : "The system-assigned managed identity";
    let source = "unknown";
    try {
      source = this.app.getManagedIdentitySource();
    } catch {
      // Only a description: the failure itself is what the caller needs.
    }
    const endpoint = process.env.IDENTITY_ENDPOINT || process.env.MSI_ENDPOINT || (/imds/i.test(source) ? process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST || "http://169.254.169.254" : "");
    return `${who} (${source}${endpoint ? ` endpoint ${endpoint}` : ""})`;
  }
}

/** MSAL's error code and first line, short: what the endpoint did, without a stack. */
function reason(err: unknown): string {
  const e = (typeof err === "object" && err !== null ? err : {}) as { errorCode?: unknown; errorMessage?: unknown; message?: unknown };
  const message = typeof e.errorMessage === "string" && e.errorMessage ? e.errorMessage : typeof e.message === "string" ? e.message : String(err);
  const line = (message.split("\n")[0] ?? "").slice(0, 200);
  return typeof e.errorCode === "string" && e.errorCode && !line.startsWith(e.errorCode) ? `${e.errorCode}: ${line}` : line;
}
