import type { WriteLogEntry } from "../../sim/types";
import { SimClient } from "../sim/helpers";
import { RecoveryWorld } from "./recovery-world";

const CONFIGS = "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations";

/** Recoveries that depend on writing Graph the way its v1.0 schema says, end to end through the engine. */
describe("recovery in Graph's own shapes, through the simulator", () => {
  let w: RecoveryWorld;
  let c: SimClient;
  beforeEach(async () => {
    w = await RecoveryWorld.start();
    c = new SimClient(w.f.sim);
  });
  afterEach(async () => {
    await c.close();
    await w.close();
  });

  /** Runs a report of everything and a recovery of it; returns the writes the simulator handled meanwhile. */
  async function recoverAll(): Promise<WriteLogEntry[]> {
    const report = await w.report();
    const job = await w.recoveryJob(report);
    const from = w.f.sim.writeLog().entries.at(-1)?.seq ?? 0;
    const run = await w.attempt(job);
    expect(run.error).toBeUndefined();
    expect(run.job.state).toBe("succeeded");
    return w.f.sim.writeLog(from).entries;
  }

  it("an authentication method turned off since the backup is reported by name and turned back on with one PATCH of that configuration alone", async () => {
    expect((await c.patch(`${CONFIGS}/MicrosoftAuthenticator`, { "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration", state: "disabled" })).status).toBe(204);

    const report = await w.report();
    const [change] = await w.changes(report.id);
    expect(change).toMatchObject({
      entityTypeName: "authenticationMethodsPolicy",
      recoveryAction: "update",
      recoverable: true,
      deltaFromCurrent: { properties: [{ name: "authenticationMethodConfigurations/MicrosoftAuthenticator/state", backupValue: "enabled", currentValue: "disabled" }], links: [] },
    });
    expect(change?.sensitive).toEqual([
      "Changes the tenant's authentication methods policy (how people sign in).",
      "Turns an authentication method back on: Microsoft Authenticator.",
    ]);

    const writes = await recoverAll();
    expect(writes.map((e) => [e.method, e.path, e.status])).toEqual([["PATCH", `/v1.0${CONFIGS}/MicrosoftAuthenticator`, 204]]);
    expect((await c.get(`${CONFIGS}/MicrosoftAuthenticator`)).body["state"]).toBe("enabled");
    expect((await c.get(`${CONFIGS}/Sms`)).body["state"]).toBe("enabled"); // untouched
  });

  it.each([
    ["Conditional Access policy", "conditionalAccessPolicy", "/identity/conditionalAccess/policies", "policies"],
    ["named location", "namedLocation", "/identity/conditionalAccess/namedLocations", "namedLocations"],
  ])("a %s deleted since the backup is reported restorable and restored with exactly one restore", async (_name, type, live, segment) => {
    const [first] = await c.all(`${live}?$select=id`);
    const id = String(first?.["id"]);
    expect((await c.del(`${live}/${id}`)).status).toBe(204);

    const report = await w.report();
    const changes = await w.changes(report.id);
    expect(changes).toEqual([expect.objectContaining({ id, entityTypeName: type, recoveryAction: "restore", currentState: "softDeleted", recoverable: true })]);

    const writes = await recoverAll();
    expect(writes.map((e) => [e.method, e.path, e.status])).toEqual([["POST", `/v1.0/identity/conditionalAccess/deletedItems/${segment}/${id}/restore`, 200]]);
    expect((await c.get(`${live}/${id}`)).status).toBe(200);
  });

  it("a Conditional Access policy created since the backup is soft-deleted, so it stays restorable", async () => {
    const created = await c.post("/identity/conditionalAccess/policies", {
      displayName: "Allow everything from anywhere",
      state: "enabled",
      conditions: { users: { includeUsers: ["All"] }, applications: { includeApplications: ["All"] }, clientAppTypes: ["all"] },
      grantControls: { operator: "OR", builtInControls: ["mfa"] },
    });
    expect(created.status).toBe(201);
    const id = String(created.body["id"]);

    const writes = await recoverAll();
    expect(writes.map((e) => [e.method, e.path, e.status])).toEqual([["DELETE", `/v1.0/identity/conditionalAccess/policies/${id}`, 204]]);
    expect((await c.get(`/identity/conditionalAccess/deletedItems/policies/${id}`)).status).toBe(200);
  });
});
