import https from "node:https";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { cosmosSettingsFromEnv } from "../../app/settings/section-readers";
import { connectCosmos, COSMOS_REQUEST_TIMEOUT_MS, cosmosClientOptions, createCosmosClient } from "../../core/store/cosmos/cosmos-config";
import { CONTAINERS } from "../../core/store/cosmos/cosmos-containers";
import { startCosmosTestServer, type CosmosTestServer } from "./cosmos-temp";

const KEY = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

describe("Cosmos DB settings and start-up", () => {
  let server: CosmosTestServer;
  const agent = new https.Agent({ rejectUnauthorized: false });
  beforeAll(async () => {
    server = await startCosmosTestServer();
  });
  afterAll(async () => {
    agent.destroy();
    await server?.close();
  });

  it("reads a key or Entra credentials, and names every bad setting without the key", () => {
    expect(cosmosSettingsFromEnv({ COSMOS_ENDPOINT: "https://contoso.documents.azure.com:443/", COSMOS_KEY: "k" })).toEqual({
      endpoint: "https://contoso.documents.azure.com:443/",
      databaseId: "rewind",
      auth: { kind: "key", key: "k" },
    });
    expect(cosmosSettingsFromEnv({ COSMOS_ENDPOINT: "https://contoso.documents.azure.com/", COSMOS_DATABASE: "prod" }).auth).toEqual({ kind: "entra" });
    let message = "";
    try {
      cosmosSettingsFromEnv({ COSMOS_ENDPOINT: "http://plain", COSMOS_DATABASE: "a/b", COSMOS_KEY: "super-secret-key", COSMOS_MANAGED_IDENTITY_CLIENT_ID: "me" });
    } catch (err) {
      message = (err as Error).message;
    }
    for (const name of ["COSMOS_ENDPOINT", "COSMOS_DATABASE", "COSMOS_MANAGED_IDENTITY_CLIENT_ID"]) expect(message).toContain(name);
    expect(message).not.toContain("super-secret-key");
    expect(() => cosmosSettingsFromEnv({})).toThrow(/COSMOS_ENDPOINT/);
  });

  it("creates the database and every container when missing, and again finds them", async () => {
    const settings = cosmosSettingsFromEnv({ COSMOS_ENDPOINT: server.endpoint, COSMOS_DATABASE: "startup-check", COSMOS_KEY: KEY });
    const first = await connectCosmos(settings, { agent });
    first.client.dispose();
    const again = await connectCosmos(settings, { agent });
    const { resources } = await again.client.database("startup-check").containers.readAll().fetchAll();
    expect(resources.map((c) => c.id).sort()).toEqual(Object.values(CONTAINERS).map((c) => c.id).sort());
    again.client.dispose();
  });

  it("turns an unreachable endpoint into one clear sentence", async () => {
    const settings = cosmosSettingsFromEnv({ COSMOS_ENDPOINT: "https://127.0.0.1:9/", COSMOS_DATABASE: "rewind", COSMOS_KEY: KEY });
    await expect(connectCosmos(settings, { agent, timeoutMs: 3000 })).rejects.toThrow(/^Cannot use Cosmos DB database "rewind" at https:\/\/127\.0\.0\.1:9\/: .*Check COSMOS_ENDPOINT/);
  });
  it("builds its client with a request timeout, and without the endpoint-discovery retries that would repeat a timed-out read 120 times", () => {
    const settings = cosmosSettingsFromEnv({ COSMOS_ENDPOINT: "https://contoso.documents.azure.com:443/", COSMOS_KEY: KEY });
    expect(cosmosClientOptions(settings).connectionPolicy).toMatchObject({ requestTimeout: COSMOS_REQUEST_TIMEOUT_MS, enableEndpointDiscovery: false });
    expect(COSMOS_REQUEST_TIMEOUT_MS).toBeLessThan(60_000); // the SDK's default
    const entra = cosmosSettingsFromEnv({ COSMOS_ENDPOINT: "https://contoso.documents.azure.com:443/" });
    expect(cosmosClientOptions(entra).connectionPolicy).toMatchObject({ requestTimeout: COSMOS_REQUEST_TIMEOUT_MS, enableEndpointDiscovery: false });
  });

  it("fails a read and a query against an endpoint that takes the connection and never answers, within the timeout, instead of hanging", async () => {
    // A black hole: it accepts connections and never says a word (not even the TLS handshake).
    const sockets = new Set<Socket>();
    const hole = createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((r) => hole.listen(0, "127.0.0.1", () => r()));
    const settings = cosmosSettingsFromEnv({ COSMOS_ENDPOINT: `https://127.0.0.1:${(hole.address() as AddressInfo).port}/`, COSMOS_KEY: KEY });
    const client = createCosmosClient(settings, { agent, requestTimeoutMs: 1_000 });
    try {
      const container = client.database("rewind").container("jobs");
      for (const call of [() => container.item("job-1", "tenant-1").read(), () => container.items.query("SELECT * FROM c WHERE c.pk = 'tenant-1'", { partitionKey: "tenant-1" }).fetchAll()]) {
        const started = Date.now();
        await expect(call()).rejects.toThrow(/timeout/i);
        expect(Date.now() - started).toBeLessThan(15_000);
      }
    } finally {
      client.dispose();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => hole.close(() => r()));
    }
  });

  // A wrong key cannot be shown here: @vercel/cosmosdb-server accepts any key. The same
  // code path turns Cosmos's 401 into "the key or token was refused".
});
