import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { MsalTokenProvider } from "../../core/graph/token-provider";

/** MSAL wired for real, with its one network call (the token POST) answered in process. */
describe("MsalTokenProvider", () => {
  it("gets a client-credentials token for the Graph scope and then serves it from MSAL's cache", async () => {
    const posts: { url: string; body: string }[] = [];
    const net: INetworkModule = {
      sendGetRequestAsync: async <T>(): Promise<NetworkResponse<T>> => {
        throw new Error("no GET expected: MSAL knows login.microsoftonline.com's metadata");
      },
      sendPostRequestAsync: async <T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
        posts.push({ url, body: String(options?.body ?? "") });
        return { status: 200, headers: {}, body: { token_type: "Bearer", expires_in: 3600, access_token: "token-1" } as T };
      },
    };
    const provider = new MsalTokenProvider({
      tenantId: "d0d0d0d0-0000-4000-8000-00000000d0d0",
      clientId: "11111111-1111-4111-8111-111111111111",
      credential: { kind: "secret", clientSecret: "not-a-real-secret" },
      networkClient: net,
    });
    expect(await provider.getToken()).toBe("token-1");
    expect(await provider.getToken()).toBe("token-1");
    expect(posts).toHaveLength(1);
    expect(posts[0]!.url).toContain("/d0d0d0d0-0000-4000-8000-00000000d0d0/oauth2/v2.0/token");
    expect(decodeURIComponent(posts[0]!.body)).toContain("scope=https://graph.microsoft.com/.default");
    expect(posts[0]!.body).toContain("grant_type=client_credentials");
  });
});
