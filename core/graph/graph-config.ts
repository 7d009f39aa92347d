import { ManagedIdentityTokenProvider } from "./managed-identity-token-provider";
import { MsalTokenProvider, type TokenProvider } from "./token-provider";

/**
 * How Rewind signs in to Microsoft Graph: the app registration's client secret or certificate (client
 * credentials against Microsoft Entra), or the host's managed identity (its own token endpoint, no secret).
 */
export type GraphCredential =
  | { readonly kind: "secret"; readonly tenantId: string; readonly clientId: string; readonly authorityHost: string; readonly clientSecret: string }
  | { readonly kind: "certificate"; readonly tenantId: string; readonly clientId: string; readonly authorityHost: string; readonly thumbprintSha256: string; readonly privateKey: string }
  /** Without a client id, the host's system-assigned identity. */
  | { readonly kind: "managedIdentity"; readonly userAssignedClientId?: string };

/** The Graph gateway's settings section (app/settings reads it from the environment). */
export interface GraphConfig {
  /** Graph's root, without version. */
  readonly baseUrl: string;
  readonly credential: GraphCredential;
  /** An extra CA (PEM) to trust: the simulator's, or a TLS-inspecting proxy's. */
  readonly ca?: string;
  /** Deadline of one Graph request. */
  readonly requestTimeoutMs: number;
  /** Deadline of one token acquisition. */
  readonly tokenTimeoutMs: number;
}

/** What the gateway needs from configuration: a subset of `GraphDirectoryOptions`, so it can be spread into them. */
export interface GraphSettings {
  readonly baseUrl: string;
  readonly tokenProvider: TokenProvider;
  readonly ca?: string;
  readonly requestTimeoutMs: number;
  readonly tokenTimeoutMs: number;
}

/** The token provider for a credential (MSAL either way; nothing is fetched until the first token). */
export function tokenProviderFor(credential: GraphCredential): TokenProvider {
  switch (credential.kind) {
    case "managedIdentity":
      return new ManagedIdentityTokenProvider(credential.userAssignedClientId ? { userAssignedClientId: credential.userAssignedClientId } : {});
    case "secret":
    case "certificate": {
      const { tenantId, clientId, authorityHost } = credential;
      return new MsalTokenProvider({
        tenantId,
        clientId,
        authorityHost,
        credential:
          credential.kind === "secret"
            ? { kind: "secret", clientSecret: credential.clientSecret }
            : { kind: "certificate", thumbprintSha256: credential.thumbprintSha256, privateKey: credential.privateKey },
      });
    }
  }
}

/** The gateway's options for a Graph section, its token provider built from the credential. */
export function graphSettings(config: GraphConfig): GraphSettings {
  return {
    baseUrl: config.baseUrl,
    tokenProvider: tokenProviderFor(config.credential),
    ...(config.ca !== undefined ? { ca: config.ca } : {}),
    requestTimeoutMs: config.requestTimeoutMs,
    tokenTimeoutMs: config.tokenTimeoutMs,
  };
}
