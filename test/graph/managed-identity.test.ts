import { GraphDirectory } from "../../core/graph/graph-directory";
import type { ManagedIdentityTokenProviderOptions } from "../../core/graph/managed-identity-token-provider";
import { StaticTokenProvider, type TokenProvider } from "../../core/graph/token-provider";
import { DirectoryError } from "../../core/model/directory-error";
import { startSimulator, type RunningSimulator } from "../../sim/index";
import { freePort } from "../app/local-ports";
import { collect } from "./gateway-fixture";
import { startIdentityEndpoint, type IdentityEndpoint } from "./identity-endpoint";

const ADA = "0a0a0a0a-0000-4000-8000-000000000001";
const IDENTITY = "22222222-2222-4222-8222-222222222222";
const GRAPH = "https://graph.microsoft.com";

/**
 * Graph with the host's managed identity, for real: msal-node's ManagedIdentityApplication finds the App
 * Service endpoint in IDENTITY_ENDPOINT and IDENTITY_HEADER, as on Azure, and that endpoint is a local one
 * (identity-endpoint.ts). The simulator accepts only the tokens it issued, so a read that works shows the
 * identity's token reached Graph.
 */
describe("Graph with a managed identity (msal-node against a local App Service identity endpoint)", () => {
  let endpoint: IdentityEndpoint;
  let sim: RunningSimulator;
  const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
  const graphs: GraphDirectory[] = [];

  beforeAll(async () => {
    endpoint = await startIdentityEndpoint();
    sim = await startSimulator({ tenant: "demo", throttling: false, acceptsToken: (token) => endpoint.issued(token) });
  });
  afterAll(async () => {
    await sim.close();
    await endpoint.close();
  });
  beforeEach(() => {
    endpoint.mode = "token";
    endpoint.requests.length = 0;
    sim.resetStats();
    process.env.IDENTITY_ENDPOINT = endpoint.url;
    process.env.IDENTITY_HEADER = endpoint.header;
  });
  afterEach(async () => {
    await Promise.all(graphs.splice(0).map((g) => g.close()));
    for (const [name, value] of [["IDENTITY_ENDPOINT", saved.endpoint], ["IDENTITY_HEADER", saved.header]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  /**
   * A provider on a fresh copy of msal-node: MSAL picks the identity source, and caches its tokens, once per
   * process (static state), so each case gets its own, as each Rewind process has its own.
   */
  function provider(options: ManagedIdentityTokenProviderOptions = {}): TokenProvider {
    let made: TokenProvider | undefined;
    jest.isolateModules(() => {
      const m = require("../../core/graph/managed-identity-token-provider") as typeof import("../../core/graph/managed-identity-token-provider");
      made = new m.ManagedIdentityTokenProvider(options);
    });
    return made!;
  }

  function gateway(tokenProvider: TokenProvider, tokenTimeoutMs = 10_000): GraphDirectory {
    const graph = new GraphDirectory({ tokenProvider, baseUrl: sim.url, ca: sim.ca, tokenTimeoutMs, retry: { maxRetries: 0 } });
    graphs.push(graph);
    return graph;
  }

  it("reads Graph with the system-assigned identity's token, asking the endpoint once (MSAL caches it)", async () => {
    const graph = gateway(provider());
    expect((await graph.getObject("user", ADA))?.object.properties.displayName).toBe("Ada Admin");
    const users = await collect(graph.readAll("user"));
    expect(users.filter((r) => r.kind === "object").length).toBeGreaterThan(5);
    expect(endpoint.requests).toEqual([{ resource: GRAPH, clientId: null, apiVersion: "2019-08-01", headerOk: true }]);
    // The simulator's check is real: a token the endpoint did not issue is refused.
    const err = await gateway(new StaticTokenProvider("not-issued-here")).getObject("user", ADA).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401, code: "InvalidAuthenticationToken" });
  });

  it("asks for a user-assigned identity by its client id", async () => {
    const graph = gateway(provider({ userAssignedClientId: IDENTITY }));
    expect((await graph.getObject("user", ADA))?.object.properties.displayName).toBe("Ada Admin");
    expect(endpoint.requests).toEqual([{ resource: GRAPH, clientId: IDENTITY, apiVersion: "2019-08-01", headerOk: true }]);
  });

  it("an endpoint that answers garbage fails the Graph call with one sentence naming the identity and endpoint; Graph sees nothing", async () => {
    endpoint.mode = "garbage";
    const err = await gateway(provider()).getObject("user", ADA).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DirectoryError);
    expect((err as DirectoryError).message).toContain(`The system-assigned managed identity (AppService endpoint ${endpoint.url}) gave no token for ${GRAPH}: token_parsing_error`);
    expect((err as DirectoryError).message).not.toContain(endpoint.header);
    expect(sim.stats().httpRequests).toBe(0);
  });

  it("an endpoint that answers without a token (a 500, after MSAL's retries) fails the same way", async () => {
    endpoint.mode = "noToken";
    const err = await gateway(provider({ userAssignedClientId: IDENTITY })).getObject("user", ADA).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DirectoryError);
    expect((err as DirectoryError).message).toContain(`The user-assigned managed identity ${IDENTITY} (AppService endpoint ${endpoint.url}) answered without an access token for ${GRAPH}`);
    expect(endpoint.requests.length).toBeGreaterThan(1); // MSAL retried the 500
    expect(sim.stats().httpRequests).toBe(0);
  });

  it("an unreachable endpoint fails at once, naming it", async () => {
    const closed = `http://127.0.0.1:${await freePort()}/msi/token`;
    process.env.IDENTITY_ENDPOINT = closed;
    const started = performance.now();
    const err = await gateway(provider()).getObject("user", ADA).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(err).toBeInstanceOf(DirectoryError);
    expect((err as DirectoryError).message).toContain(`The system-assigned managed identity (AppService endpoint ${closed}) gave no token for ${GRAPH}: network_error`);
    expect(sim.stats().httpRequests).toBe(0);
  });

  it("an endpoint that never answers ends the Graph call at the token deadline", async () => {
    endpoint.mode = "hang";
    const started = performance.now();
    const err = await gateway(provider(), 500).getObject("user", ADA).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(err).toBeInstanceOf(DirectoryError);
    expect(err).toMatchObject({ status: 0, code: "timeout" });
    expect((err as DirectoryError).message).toMatch(/no access token came within 0\.5 s \(the token request timed out\)/);
    expect(endpoint.requests).toHaveLength(1);
    expect(sim.stats().httpRequests).toBe(0);
  });
});
