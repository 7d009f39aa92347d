import type { INetworkModule, NetworkResponse } from "@azure/msal-node";
import { GraphDirectory } from "../../core/graph/graph-directory";
import { MsalTokenProvider } from "../../core/graph/token-provider";
import { DirectoryError } from "../../core/model/directory-error";
import { collect, startFixture, type Fixture } from "./gateway-fixture";

const ADA = "0a0a0a0a-0000-4000-8000-000000000001";

/** A Graph or Entra that never answers: every call ends, as a typed error, within the gateway's deadlines. */
describe("Graph gateway timeouts, against the simulator over HTTPS", () => {
  let f: Fixture | undefined;
  afterEach(async () => {
    await f?.close();
    f = undefined;
  });

  it("a hung Graph read is retried once, then fails as a DirectoryError saying it timed out", async () => {
    f = await startFixture({ throttling: false, faults: { hangRate: 1 } }, { requestTimeoutMs: 300, retry: { maxRetries: 1, baseDelayMs: 20, maxDelayMs: 100 } });
    const started = performance.now();
    const err = await f.graph.getObject("user", ADA).catch((e: unknown) => e);
    // Far below undici's own five minutes: the read did not stall its caller.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(err).toBeInstanceOf(DirectoryError);
    expect(err).toMatchObject({ status: 0, code: "timeout" });
    expect((err as DirectoryError).message).toMatch(/timed out after 0\.3 s/);
    expect(f.sim.stats().faultsInjected).toBe(2);
  });

  it("an answer whose body stalls mid-way times out too, and the retry reads it whole", async () => {
    f = await startFixture({ throttling: false, faults: { hangBodyRate: 1, maxFaults: 1 } }, { requestTimeoutMs: 300 });
    const ada = await f.graph.getObject("user", ADA);
    expect(ada?.object.properties.displayName).toBe("Ada Admin");
    expect(f.sim.stats().faultsInjected).toBe(1);
  });

  it("the caller's abort still wins over the deadline, with the caller's own reason", async () => {
    f = await startFixture({ throttling: false, faults: { hangRate: 1 } }, { requestTimeoutMs: 20_000 });
    const abort = new AbortController();
    const reason = new Error("canceled by Ada");
    const started = performance.now();
    const read = collect(f.graph.readAll("user", { signal: abort.signal })).catch((e: unknown) => e);
    setTimeout(() => abort.abort(reason), 200);
    expect(await read).toBe(reason);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("a hung token endpoint ends the Graph call within the token deadline, before anything is sent to Graph", async () => {
    f = await startFixture({ throttling: false });
    const hung: INetworkModule = {
      sendGetRequestAsync: <T>(): Promise<NetworkResponse<T>> => new Promise(() => undefined),
      sendPostRequestAsync: <T>(): Promise<NetworkResponse<T>> => new Promise(() => undefined),
    };
    const graph = new GraphDirectory({
      tokenProvider: new MsalTokenProvider({
        tenantId: "d0d0d0d0-0000-4000-8000-00000000d0d0",
        clientId: "11111111-1111-4111-8111-111111111111",
        credential: { kind: "secret", clientSecret: "not-a-real-secret" },
        networkClient: hung,
      }),
      baseUrl: f.sim.url,
      ca: f.sim.ca,
      tokenTimeoutMs: 300,
    });
    try {
      f.sim.resetStats();
      const err = await graph.getObject("user", ADA).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DirectoryError);
      expect(err).toMatchObject({ status: 0, code: "timeout" });
      expect((err as DirectoryError).message).toMatch(/token request timed out/);
      expect(f.sim.stats().httpRequests).toBe(0);
    } finally {
      await graph.close();
    }
  });
});
