import { startSimulator, type RunningSimulator, type SimExchange } from "../../sim/index";
import { defaultObserver } from "../../sim/observer";
import { SimClient, ADA } from "../sim/helpers";
import { ConformanceRecorder } from "./recorder";

describe("recording a simulator's exchanges", () => {
  let sim: RunningSimulator;
  let client: SimClient;
  const seen: SimExchange[] = [];
  const recorder = new ConformanceRecorder();

  beforeAll(async () => {
    sim = await startSimulator({ tenant: "demo", throttling: false, observer: (e) => (seen.push(e), recorder.observe(e)) });
    client = new SimClient(sim);
  });
  afterAll(async () => {
    await client.agent.close();
    await sim.close();
  });

  it("is installed for every suite by the jest setup (the default observer)", () => {
    expect(defaultObserver()).toBeDefined();
  });

  it("sees each request and its answer, a streamed page whole, and each request inside a $batch", async () => {
    const page = await client.get("/users?$select=id,displayName&$top=2");
    expect(page.status).toBe(200);
    const batch = await client.post("/$batch", {
      requests: [
        { id: "1", method: "GET", url: `/users/${ADA}?$select=id` },
        { id: "2", method: "GET", url: "/users?$select=shoeSize" },
      ],
    });
    expect(batch.status).toBe(200);
    const list = seen.find((e) => e.path === "/v1.0/users" && e.query.includes("top=2"));
    expect(list?.status).toBe(200);
    expect((JSON.parse(list?.responseBody ?? "{}") as { value: unknown[] }).value).toHaveLength(2);
    expect(seen.filter((e) => e.inBatch).map((e) => [e.path, e.status])).toEqual([
      [`/v1.0/users/${ADA}`, 200],
      ["/v1.0/users", 400],
    ]);
    expect(recorder.tally.shapes).toEqual(new Set(["GET /users ?$select,$top", "POST /$batch {requests}", "GET /users/{id} ?$select", "GET /users ?$select"]));
    // The simulator refused the unknown property with a 400, as Graph does: listed apart, not a violation.
    expect([...recorder.tally.refused.values()].map((v) => v.property)).toEqual(["$select=shoeSize"]);
  });
});
