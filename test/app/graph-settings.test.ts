import { readServeSettings } from "../../app/settings/read-settings";
import { SettingsError } from "../../app/settings/settings-error";
import { tokenProviderFor } from "../../core/graph/graph-config";
import { ManagedIdentityTokenProvider } from "../../core/graph/managed-identity-token-provider";
import { MsalTokenProvider } from "../../core/graph/token-provider";

const TENANT = "d0d0d0d0-0000-4000-8000-00000000d0d0";
const CLIENT = "11111111-1111-4111-8111-111111111111";
const IDENTITY = "22222222-2222-4222-8222-222222222222";
/** Everything but Graph's settings. */
const BASE = { TENANT_ID: TENANT, BOT_ID: "3b1c0000-0000-4000-8000-000000000009", BOT_PASSWORD: "b0t-pass" };

const graphOf = (env: Record<string, string>) => readServeSettings({ ...BASE, ...env }).graph;
function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    readServeSettings({ ...BASE, ...env });
  } catch (err) {
    if (err instanceof SettingsError) return err.problems;
    throw err;
  }
  return [];
}

describe("the Graph section of the settings", () => {
  it("accepts a client secret, signs in for TENANT_ID and defaults to Microsoft Graph", () => {
    const g = graphOf({ CLIENT_ID: CLIENT, CLIENT_SECRET: "s3cret" });
    expect(g.baseUrl).toBe("https://graph.microsoft.com");
    expect(g.ca).toBeUndefined();
    expect(g.credential).toEqual({ kind: "secret", tenantId: TENANT, clientId: CLIENT, authorityHost: "https://login.microsoftonline.com", clientSecret: "s3cret" });
    expect(tokenProviderFor(g.credential)).toBeInstanceOf(MsalTokenProvider);
  });

  it("names every missing or invalid setting in one message, without the secret", () => {
    let message = "";
    try {
      readServeSettings({ TENANT_ID: "nope", GRAPH_BASE_URL: "http://127.0.0.1:1", CLIENT_SECRET: "s3cret-value" });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/TENANT_ID: must be the tenant's GUID/);
    expect(message).toMatch(/CLIENT_ID: is not set/);
    expect(message).toMatch(/GRAPH_BASE_URL: must be an https URL/);
    expect(message).not.toContain("s3cret-value");
  });

  it("reads the Graph and token timeouts in seconds, defaulting to 60 and 30, and names a bad one", () => {
    expect(graphOf({ CLIENT_ID: CLIENT, CLIENT_SECRET: "s" })).toMatchObject({ requestTimeoutMs: 60_000, tokenTimeoutMs: 30_000 });
    expect(graphOf({ CLIENT_ID: CLIENT, CLIENT_SECRET: "s", GRAPH_TIMEOUT_SECONDS: "15", GRAPH_TOKEN_TIMEOUT_SECONDS: "5" })).toMatchObject({ requestTimeoutMs: 15_000, tokenTimeoutMs: 5_000 });
    expect(problemsOf({ CLIENT_ID: CLIENT, CLIENT_SECRET: "s", GRAPH_TIMEOUT_SECONDS: "0", GRAPH_TOKEN_TIMEOUT_SECONDS: "soon" })).toEqual([
      "GRAPH_TIMEOUT_SECONDS: must be 1 to 600 seconds",
      "GRAPH_TOKEN_TIMEOUT_SECONDS: must be a number",
    ]);
  });

  it("wants exactly one kind of credential, and readable files", () => {
    expect(problemsOf({ CLIENT_ID: CLIENT })).toEqual(["CLIENT_SECRET: set either CLIENT_SECRET, or both CLIENT_CERTIFICATE_THUMBPRINT and CLIENT_CERTIFICATE_KEY_FILE, or GRAPH_CREDENTIAL=managedIdentity"]);
    expect(problemsOf({ CLIENT_ID: CLIENT, CLIENT_CERTIFICATE_THUMBPRINT: "a".repeat(64), CLIENT_CERTIFICATE_KEY_FILE: "/nonexistent/key.pem" })).toEqual([
      "CLIENT_CERTIFICATE_KEY_FILE: /nonexistent/key.pem cannot be read (ENOENT)",
    ]);
    expect(problemsOf({ CLIENT_ID: CLIENT, CLIENT_CERTIFICATE_KEY_FILE: "/k.pem" })).toEqual(["CLIENT_CERTIFICATE_THUMBPRINT: is not set"]);
    expect(problemsOf({ CLIENT_ID: CLIENT, GRAPH_CREDENTIAL: "secret", CLIENT_CERTIFICATE_KEY_FILE: "/k.pem" })).toEqual([
      "CLIENT_SECRET: is not set",
      "CLIENT_CERTIFICATE_KEY_FILE: must be empty with GRAPH_CREDENTIAL=secret (one kind of credential only)",
    ]);
    expect(problemsOf({ GRAPH_CREDENTIAL: "password" })).toEqual(["GRAPH_CREDENTIAL: must be secret, certificate or managedIdentity"]);
  });

  it("signs in with the host's managed identity: system-assigned, or user-assigned by its client id", () => {
    const system = graphOf({ GRAPH_CREDENTIAL: "managedIdentity" });
    expect(system.credential).toEqual({ kind: "managedIdentity" });
    expect(tokenProviderFor(system.credential)).toBeInstanceOf(ManagedIdentityTokenProvider);
    // The identity's client id alone says which credential is meant.
    expect(graphOf({ GRAPH_MANAGED_IDENTITY_CLIENT_ID: IDENTITY }).credential).toEqual({ kind: "managedIdentity", userAssignedClientId: IDENTITY });
    expect(graphOf({ GRAPH_CREDENTIAL: "managedIdentity", GRAPH_MANAGED_IDENTITY_CLIENT_ID: IDENTITY.toUpperCase() }).credential).toEqual({
      kind: "managedIdentity",
      userAssignedClientId: IDENTITY.toUpperCase(),
    });
  });

  it("refuses app credentials beside a managed identity, and an identity's id beside app credentials, naming each", () => {
    expect(problemsOf({ GRAPH_CREDENTIAL: "managedIdentity", CLIENT_ID: CLIENT, CLIENT_SECRET: "s3cret-value" })).toEqual([
      "CLIENT_SECRET: must be empty with GRAPH_CREDENTIAL=managedIdentity (the managed identity has no secret)",
      "CLIENT_ID: must be empty with GRAPH_CREDENTIAL=managedIdentity (a user-assigned identity's client id goes in GRAPH_MANAGED_IDENTITY_CLIENT_ID)",
    ]);
    expect(problemsOf({ GRAPH_CREDENTIAL: "secret", CLIENT_ID: CLIENT, CLIENT_SECRET: "s", GRAPH_MANAGED_IDENTITY_CLIENT_ID: IDENTITY })).toEqual([
      "GRAPH_MANAGED_IDENTITY_CLIENT_ID: must be empty with GRAPH_CREDENTIAL=secret (it is for GRAPH_CREDENTIAL=managedIdentity)",
    ]);
    expect(problemsOf({ GRAPH_MANAGED_IDENTITY_CLIENT_ID: "me" })).toEqual(["GRAPH_MANAGED_IDENTITY_CLIENT_ID: must be the user-assigned managed identity's client id"]);
    expect(problemsOf({ CLIENT_ID: CLIENT, CLIENT_SECRET: "s", GRAPH_MANAGED_IDENTITY_CLIENT_ID: IDENTITY })).toEqual([
      "CLIENT_SECRET: set either CLIENT_SECRET, or both CLIENT_CERTIFICATE_THUMBPRINT and CLIENT_CERTIFICATE_KEY_FILE, or GRAPH_CREDENTIAL=managedIdentity (one kind only, or name it in GRAPH_CREDENTIAL)",
    ]);
  });
});
