import pino from "pino";
import { AccessControl } from "../../core/access/access-control";
import { RewindError } from "../../core/model/errors";
import type { Directory } from "../../core/ports";
import { ManualClock } from "../backup/manual-clock";
import { startFixture, type Fixture } from "../graph/gateway-fixture";

const ADA = "0a0a0a0a-0000-4000-8000-000000000001";
const GIL = "0a0a0a0a-0000-4000-8000-000000000003";
const RITA = "0a0a0a0a-0000-4000-8000-000000000004";
const NORA = "0a0a0a0a-0000-4000-8000-000000000005";
const log = pino({ level: "silent" });

/** Counts the role lookups that reach the directory. */
function counting(directory: Directory): { directory: Directory; lookups: () => number } {
  let n = 0;
  const wrapped = Object.create(directory) as Directory;
  wrapped.directoryRoleMembers = (name: string) => {
    n++;
    return directory.directoryRoleMembers(name);
  };
  return { directory: wrapped, lookups: () => n };
}

describe("AccessControl, from the demo tenant's directory roles", () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture({ throttling: false });
  });
  afterAll(async () => {
    await f.close();
  });

  it("gives each demo person the role sim/README.md names", async () => {
    const access = new AccessControl(f.graph, new ManualClock(0), log);
    expect([...(await access.rolesOf(ADA))]).toEqual(["backupAdministrator"]);
    expect([...(await access.rolesOf(GIL))]).toEqual(["globalAdministrator"]);
    expect([...(await access.rolesOf(RITA))]).toEqual(["backupReader"]);
    expect([...(await access.rolesOf(NORA))]).toEqual([]);
  });

  it("lets a reader read and run reports but not recover, and refuses someone with no role with the 403 text", async () => {
    const access = new AccessControl(f.graph, new ManualClock(0), log);
    await expect(access.require(RITA, "startReport")).resolves.toBeDefined();
    await expect(access.require(RITA, "approveRecovery")).rejects.toMatchObject({
      status: 403,
      message: "Authorization has been denied for this request. Check your credentials.",
    });
    await expect(access.require(NORA, "listBackups")).rejects.toBeInstanceOf(RewindError);
    await expect(access.require(GIL, "cancelJob")).resolves.toBeDefined();
  });

  it("reuses lookups briefly, then reads the roles again", async () => {
    const clock = new ManualClock(0);
    const { directory, lookups } = counting(f.graph);
    const access = new AccessControl(directory, clock, log, { cacheMs: 60_000 });
    await access.require(ADA, "takeBackup");
    const first = lookups();
    await access.require(ADA, "takeBackup");
    await access.require(RITA, "listBackups");
    expect(lookups()).toBe(first);
    clock.advance(60_001);
    await access.require(ADA, "takeBackup");
    expect(lookups()).toBe(first * 2);
  });

  it("grants a role through a configured group's members", async () => {
    const group = (await f.graph.getObject("group", (await firstStaticGroup(f)).id))!;
    const member = group.links.find((l) => l.link === "members")!.targets[0]!.id;
    const access = new AccessControl(f.graph, new ManualClock(0), log, { groups: { backupAdministrator: [group.object.id] } });
    expect(await access.rolesOf(member)).toContain("backupAdministrator");
  });

  it("a role lookup that hangs is refused with the 403 within its own timeout, logged, and a later call looks up afresh", async () => {
    let hanging = true;
    let lookups = 0;
    const hung = Object.create(f.graph) as Directory;
    hung.directoryRoleMembers = (name: string) => {
      lookups++;
      return hanging ? new Promise<string[]>(() => undefined) : f.graph.directoryRoleMembers(name);
    };
    const lines: string[] = [];
    const logged = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
    const access = new AccessControl(hung, new ManualClock(0), logged, { lookupTimeoutMs: 200 });
    await expect(access.require(ADA, "listBackups")).rejects.toMatchObject({
      status: 403,
      message: "Authorization has been denied for this request. Check your credentials.",
    });
    const refusal = lines.map((l) => JSON.parse(l) as { msg: string; err?: { message: string } }).find((l) => l.msg === "could not read roles; refusing");
    expect(refusal?.err?.message).toMatch(/took longer than 200 ms/);
    const hungLookups = lookups;
    // Graph answers again. The other roles' lookups started with the refused one and time out with it (their
    // deadlines are due at the same moment); after that, a command does not wait on any hung lookup.
    hanging = false;
    await new Promise((r) => setTimeout(r, 100));
    await expect(access.require(ADA, "takeBackup")).resolves.toContain("backupAdministrator");
    expect(lookups).toBeGreaterThan(hungLookups);
  });

  it("refuses when the roles cannot be read (a Graph outage must not open the door)", async () => {
    const failing = Object.create(f.graph) as Directory;
    failing.directoryRoleMembers = () => Promise.reject(new Error("Graph is down"));
    const access = new AccessControl(failing, new ManualClock(0), log);
    await expect(access.require(ADA, "listBackups")).rejects.toMatchObject({ status: 403 });
  });
});

async function firstStaticGroup(f: Fixture): Promise<{ id: string }> {
  for await (const batch of f.graph.readAll("group")) {
    for (const r of batch) {
      if (r.kind === "links" && r.link === "members" && r.targets.some((t) => t.kind === "user")) return { id: r.id };
    }
  }
  throw new Error("no group with user members");
}
