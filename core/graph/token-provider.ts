import { ConfidentialClientApplication, type Configuration, type INetworkModule } from "@azure/msal-node";

/** Where the gateway gets its bearer tokens. One method, so tests and the simulator can inject a static one. */
export interface TokenProvider {
  getToken(): Promise<string>;
}

/** A fixed token: for the simulator, which accepts any bearer token. */
export class StaticTokenProvider implements TokenProvider {
  constructor(private readonly token: string) {}
  async getToken(): Promise<string> {
    return this.token;
  }
}

/** App-only credentials: a client secret, or a certificate (thumbprint and private key). */
export type ClientCredential =
  | { readonly kind: "secret"; readonly clientSecret: string }
  | { readonly kind: "certificate"; readonly thumbprintSha256: string; readonly privateKey: string; readonly x5c?: string };

/** Options of the MSAL token provider. */
export interface MsalTokenProviderOptions {
  readonly tenantId: string;
  readonly clientId: string;
  readonly credential: ClientCredential;
  /** Defaults to https://login.microsoftonline.com. */
  readonly authorityHost?: string;
  /** Defaults to the Graph `.default` scope. */
  readonly scopes?: readonly string[];
  /** Injected HTTP client (tests). */
  readonly networkClient?: INetworkModule;
}

/**
 * Client-credentials tokens from @azure/msal-node. MSAL caches the token and renews it before it expires,
 * so calling `getToken` per request is cheap.
 */
export class MsalTokenProvider implements TokenProvider {
  private readonly app: ConfidentialClientApplication;
  private readonly scopes: string[];

  constructor(options: MsalTokenProviderOptions) {
    const host = (options.authorityHost ?? "https://login.microsoftonline.com").replace(/\/+$/, "");
    const cred = options.credential;
    const config: Configuration = {
      auth: {
        clientId: options.clientId,
        authority: `${host}/${options.tenantId}`,
        ...(cred.kind === "secret"
          ? { clientSecret: cred.clientSecret }
          : {
              clientCertificate: {
                thumbprintSha256: cred.thumbprintSha256,
                privateKey: cred.privateKey,
                ...(cred.x5c ? { x5c: cred.x5c } : {}),
              },
            }),
      },
      ...(options.networkClient ? { system: { networkClient: options.networkClient } } : {}),
    };
    this.app = new ConfidentialClientApplication(config);
    this.scopes = [...(options.scopes ?? ["https://graph.microsoft.com/.default"])];
  }

  async getToken(): Promise<string> {
    const result = await this.app.acquireTokenByClientCredential({ scopes: this.scopes });
    if (!result?.accessToken) throw new Error("Microsoft Entra returned no access token for the Graph scope.");
    return result.accessToken;
  }
}
