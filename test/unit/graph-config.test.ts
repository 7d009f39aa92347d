import { graphSettingsFromEnv } from "../../core/graph/graph-config";

const TENANT = "d0d0d0d0-0000-4000-8000-00000000d0d0";
const CLIENT = "11111111-1111-4111-8111-111111111111";

describe("Graph settings from the environment", () => {
  it("accepts a client secret and defaults to Microsoft Graph", () => {
    const s = graphSettingsFromEnv({ TENANT_ID: TENANT, CLIENT_ID: CLIENT, CLIENT_SECRET: "s3cret" });
    expect(s.baseUrl).toBe("https://graph.microsoft.com");
    expect(s.ca).toBeUndefined();
  });

  it("names every missing or invalid setting in one message, without the secret", () => {
    let message = "";
    try {
      graphSettingsFromEnv({ TENANT_ID: "nope", GRAPH_BASE_URL: "http://127.0.0.1:1", CLIENT_SECRET: "s3cret-value" });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/TENANT_ID: must be the tenant's GUID/);
    expect(message).toMatch(/CLIENT_ID/);
    expect(message).toMatch(/GRAPH_BASE_URL: must be an https URL/);
    expect(message).not.toContain("s3cret-value");
  });

  it("reads the Graph and token timeouts in seconds, defaulting to 60 and 30, and names a bad one", () => {
    expect(graphSettingsFromEnv({ TENANT_ID: TENANT, CLIENT_ID: CLIENT, CLIENT_SECRET: "s" })).toMatchObject({ requestTimeoutMs: 60_000, tokenTimeoutMs: 30_000 });
    expect(graphSettingsFromEnv({ TENANT_ID: TENANT, CLIENT_ID: CLIENT, CLIENT_SECRET: "s", GRAPH_TIMEOUT_SECONDS: "15", GRAPH_TOKEN_TIMEOUT_SECONDS: "5" })).toMatchObject({
      requestTimeoutMs: 15_000,
      tokenTimeoutMs: 5_000,
    });
    expect(() => graphSettingsFromEnv({ TENANT_ID: TENANT, CLIENT_ID: CLIENT, CLIENT_SECRET: "s", GRAPH_TIMEOUT_SECONDS: "0", GRAPH_TOKEN_TIMEOUT_SECONDS: "soon" })).toThrow(
      /GRAPH_TIMEOUT_SECONDS: must be 1 to 600 seconds.*GRAPH_TOKEN_TIMEOUT_SECONDS: must be a number/,
    );
  });

  it("wants exactly one kind of credential, and readable files", () => {
    expect(() => graphSettingsFromEnv({ TENANT_ID: TENANT, CLIENT_ID: CLIENT })).toThrow(/either CLIENT_SECRET/);
    expect(() =>
      graphSettingsFromEnv({ TENANT_ID: TENANT, CLIENT_ID: CLIENT, CLIENT_CERTIFICATE_THUMBPRINT: "a".repeat(64), CLIENT_CERTIFICATE_KEY_FILE: "/nonexistent/key.pem" }),
    ).toThrow(/CLIENT_CERTIFICATE_KEY_FILE: \/nonexistent\/key.pem cannot be read \(ENOENT\)/);
  });
});
