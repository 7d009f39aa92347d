import { Agent } from "undici";
import { BatchRequestContent, BatchResponseContent, Client, PageIterator, type PageCollection } from "@microsoft/microsoft-graph-client";
import { startSimulator, type RunningSimulator } from "../../sim/index";
import { ADA, NORA } from "./helpers";

/** The real Graph SDK against the simulator over HTTPS, trusting only the simulator's CA. */
describe("@microsoft/microsoft-graph-client against the simulator", () => {
  let sim: RunningSimulator;
  let agent: Agent;
  let client: Client;
  beforeAll(async () => {
    sim = await startSimulator({ timeScale: 0.1 }); // 1 s resource-unit windows: Retry-After: 1 is enough
    agent = new Agent({ connect: { ca: sim.ca } });
    client = Client.initWithMiddleware({
      authProvider: { getAccessToken: async () => "sdk-token" },
      baseUrl: `${sim.url}/`,
      defaultVersion: "v1.0",
      customHosts: new Set(["127.0.0.1"]),
      // Node's global fetch accepts an undici dispatcher; its bundled undici types differ from undici 7's.
      fetchOptions: { dispatcher: agent } as unknown as RequestInit,
    });
  });
  afterAll(async () => {
    await agent.close();
    await sim.close();
  });

  it("pages with PageIterator", async () => {
    const first = (await client.api("/users").top(25).select("id,displayName").get()) as PageCollection;
    const seen: string[] = [];
    await new PageIterator(client, first, (u: { id: string }) => {
      seen.push(u.id);
      return true;
    }).iterate();
    expect(seen).toHaveLength(120);
    expect(seen).toContain(ADA);
  });

  it("batches with BatchRequestContent and parses bodies with BatchResponseContent", async () => {
    const batch = new BatchRequestContent();
    batch.addRequest({ id: "1", request: new Request(`${sim.url}/users/${ADA}?$select=displayName`) });
    batch.addRequest({
      id: "2",
      request: new Request(`${sim.url}/users/${NORA}`, { method: "PATCH", body: JSON.stringify({ officeLocation: "Remote" }), headers: { "Content-Type": "application/json" } }),
      dependsOn: ["1"],
    });
    const res = new BatchResponseContent(await client.api("/$batch").post(await batch.getContent()));
    expect(await res.getResponseById("1")?.json()).toMatchObject({ displayName: "Ada Admin" });
    expect(res.getResponseById("2")?.status).toBe(204);
    const nora: unknown = await client.api(`/users/${NORA}`).select("officeLocation").get();
    expect(nora).toMatchObject({ officeLocation: "Remote" });
  });

  it("retries a throttled call after Retry-After, and surfaces Graph errors", async () => {
    sim.setThrottling({ resourceUnitsPer10s: 2 });
    await client.api(`/users/${ADA}`).get();
    await client.api(`/users/${ADA}`).get();
    const before = sim.stats().throttled;
    const ada: unknown = await client.api(`/users/${ADA}`).select("displayName").get();
    expect(ada).toMatchObject({ displayName: "Ada Admin" });
    expect(sim.stats().throttled).toBeGreaterThan(before);
    sim.setThrottling(true);
    await expect(client.api("/users/11111111-2222-4333-8444-555555555555").get()).rejects.toMatchObject({ statusCode: 404, code: "Request_ResourceNotFound" });
  });
});
