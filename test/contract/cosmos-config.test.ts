import https from "node:https";
import { connectCosmos, cosmosSettingsFromEnv } from "../../core/store/cosmos/cosmos-config";
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
  // A wrong key cannot be shown here: @vercel/cosmosdb-server accepts any key (see TOOLCHAIN.md). The same
  // code path turns Cosmos's 401 into "the key or token was refused".
});
