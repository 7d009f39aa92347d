import type { FaultOptions, WriteLogEntry } from "../../sim/index";
import { collect, objectsOf, startFixture, targetsOf, type Fixture } from "./gateway-fixture";

/**
 * Writes that must not be sent twice (restores, soft deletes, `$ref` adds and removes, `members@odata.bind`)
 * whose answer is lost after the simulator carried them out: the gateway reads back whether they landed and
 * reports them applied, having written each exactly once. The simulator's write log is the witness.
 */
describe("Graph gateway writes whose answer is lost, against the simulator over HTTPS", () => {
  let f: Fixture;
  let pool: string[];
  let group: string;
  beforeAll(async () => {
    f = await startFixture({ throttling: false });
    group = objectsOf(await collect(f.graph.readAll("group"))).find(
      (g) => g.properties.onPremisesSyncEnabled !== true && !(g.properties.groupTypes as string[]).includes("DynamicMembership"),
    )!.id;
    const links = (await f.graph.getObject("group", group))!.links;
    const linked = new Set([...targetsOf(links, "members"), ...targetsOf(links, "owners")]);
    // Cloud users holding no directory role (restoring a role holder needs more privilege), not yet linked to the group.
    pool = objectsOf(await collect(f.graph.readAll("user")))
      .filter((u) => u.properties.onPremisesSyncEnabled !== true && !u.id.startsWith("0a0a0a0a-") && !linked.has(u.id))
      .map((u) => u.id);
  });
  afterAll(() => f.close());
  afterEach(() => f.sim.setFaults({}));

  /** A fresh user nobody else in this suite writes. */
  const take = (): string => {
    const id = pool.shift();
    if (!id) throw new Error("the demo tenant ran out of cloud users");
    return id;
  };
  /** Fault options under test, set after the setup writes, with the write log emptied. */
  const lose = (faults: FaultOptions): void => {
    f.sim.resetStats();
    f.sim.setFaults(faults);
  };
  /** Every write the simulator handled for (method, path ending, object, link target), as their statuses. */
  const attempts = (method: string, pathEnd: RegExp, id: string, ref?: string): WriteLogEntry[] =>
    f.sim.writeLog().entries.filter((e) => e.method === method && pathEnd.test(e.path) && e.id === id && (ref === undefined || (e.refs ?? []).includes(ref)));

  const LOST_AFTER_APPLY: ReadonlyArray<[string, FaultOptions]> = [
    ["the connection drops after the write", { lostAnswerDropRate: 1 }],
    ["Graph answers 503/504 after the write", { lostAnswerErrorRate: 1 }],
  ];

  describe.each(LOST_AFTER_APPLY)("when %s", (_, faults) => {
    it("a restore is applied once and reported applied", async () => {
      const id = take();
      expect(await f.graph.softDeleteObject("user", id)).toEqual({ ok: true });
      lose(faults);
      expect(await f.graph.restoreObject("user", id)).toEqual({ ok: true });
      const sent = attempts("POST", /\/restore$/, id);
      expect(sent.map((e) => [e.status, e.lost !== undefined])).toEqual([[200, true]]);
      f.sim.setFaults({});
      expect(await f.graph.getObject("user", id)).not.toBeNull();
    });

    it("a Conditional Access policy's restore, from Conditional Access's own deleted items, is applied once and reported applied", async () => {
      const policies = objectsOf(await collect(f.graph.readAll("conditionalAccessPolicy")));
      const id = policies[policies.length - 1 - LOST_AFTER_APPLY.findIndex(([, x]) => x === faults)]!.id;
      expect(await f.graph.softDeleteObject("conditionalAccessPolicy", id)).toEqual({ ok: true });
      expect((await f.graph.getDeleted("conditionalAccessPolicy", id))?.type).toBe("conditionalAccessPolicy");
      lose(faults);
      expect(await f.graph.restoreObject("conditionalAccessPolicy", id)).toEqual({ ok: true });
      const sent = attempts("POST", /^\/v1\.0\/identity\/conditionalAccess\/deletedItems\/policies\/[^/]+\/restore$/, id);
      expect(sent.map((e) => [e.status, e.lost !== undefined])).toEqual([[200, true]]);
      f.sim.setFaults({});
      expect(await f.graph.getObject("conditionalAccessPolicy", id)).not.toBeNull();
      expect(await f.graph.getDeleted("conditionalAccessPolicy", id)).toBeNull();
    });

    it("a soft delete is applied once and reported applied", async () => {
      const id = take();
      lose(faults);
      expect(await f.graph.softDeleteObject("user", id)).toEqual({ ok: true });
      expect(attempts("DELETE", /\/users\/[^/]+$/, id).map((e) => [e.status, e.lost !== undefined])).toEqual([[204, true]]);
      f.sim.setFaults({});
      expect(await f.graph.getObject("user", id)).toBeNull();
      expect(await f.graph.getDeleted("user", id)).not.toBeNull();
    });

    it("members added 20 per request are each added once and reported applied", async () => {
      const fresh = [take(), take(), take()];
      lose(faults);
      const out = await f.graph.addLinks("group", group, "members", fresh);
      expect(out).toEqual(fresh.map((targetId) => ({ targetId, outcome: "applied" })));
      for (const t of fresh) expect(attempts("PATCH", /\/groups\/[^/]+$/, group, t).map((e) => e.status)).toEqual([204]);
      f.sim.setFaults({});
      expect(targetsOf((await f.graph.getObject("group", group))!.links, "members")).toEqual(expect.arrayContaining(fresh));
    });

    it("members removed are each removed once and reported applied", async () => {
      const gone = [take(), take()];
      expect((await f.graph.addLinks("group", group, "members", gone)).map((o) => o.outcome)).toEqual(["applied", "applied"]);
      lose(faults);
      const out = await f.graph.removeLinks("group", group, "members", gone);
      expect(out).toEqual(gone.map((targetId) => ({ targetId, outcome: "applied" })));
      for (const t of gone) expect(attempts("DELETE", /\/members\/[^/]+\/\$ref$/, group, t).map((e) => e.status)).toEqual([204]);
      f.sim.setFaults({});
      const members = targetsOf((await f.graph.getObject("group", group))!.links, "members");
      for (const t of gone) expect(members).not.toContain(t);
    });

    it("owners and sponsors added are each added once and reported applied", async () => {
      const [owner, user, sponsor] = [take(), take(), take()];
      lose(faults);
      expect(await f.graph.addLinks("group", group, "owners", [owner])).toEqual([{ targetId: owner, outcome: "applied" }]);
      expect(await f.graph.addLinks("user", user, "sponsors", [sponsor])).toEqual([{ targetId: sponsor, outcome: "applied" }]);
      expect(attempts("POST", /\/owners\/\$ref$/, group, owner).map((e) => e.status)).toEqual([204]);
      expect(attempts("POST", /\/sponsors\/\$ref$/, user, sponsor).map((e) => e.status)).toEqual([204]);
      f.sim.setFaults({});
      expect(targetsOf((await f.graph.getObject("group", group))!.links, "owners")).toContain(owner);
      expect(targetsOf((await f.graph.getObject("user", user))!.links, "sponsors")).toContain(sponsor);
    });
  });

  it("link writes whose inner $batch answers are lost after they ran are each written once and reported applied", async () => {
    const [owner, user, sponsor, member] = [take(), take(), take(), take()];
    expect((await f.graph.addLinks("group", group, "members", [member]))[0]!.outcome).toBe("applied");
    lose({ lostInnerAnswerRate: 1 });
    expect(await f.graph.addLinks("group", group, "owners", [owner])).toEqual([{ targetId: owner, outcome: "applied" }]);
    expect(await f.graph.addLinks("user", user, "sponsors", [sponsor])).toEqual([{ targetId: sponsor, outcome: "applied" }]);
    expect(await f.graph.removeLinks("group", group, "members", [member])).toEqual([{ targetId: member, outcome: "applied" }]);
    expect(attempts("POST", /\/owners\/\$ref$/, group, owner).map((e) => [e.status, e.lost])).toEqual([[204, expect.stringMatching(/^50[34]$/)]]);
    expect(attempts("POST", /\/sponsors\/\$ref$/, user, sponsor).map((e) => e.status)).toEqual([204]);
    expect(attempts("DELETE", /\/members\/[^/]+\/\$ref$/, group, member).map((e) => e.status)).toEqual([204]);
  });

  it("writeMany: restores and soft deletes whose inner answers are lost are written once; updates are sent again", async () => {
    const [r1, r2, d1, d2, u1] = [take(), take(), take(), take(), take()];
    expect(await f.graph.writeMany([r1, r2].map((id) => ({ op: "softDelete" as const, type: "user" as const, id })))).toEqual([{ ok: true }, { ok: true }]);
    // Every inner answer of the first $batch is lost; the resends and the reads that check go through.
    lose({ lostInnerAnswerRate: 1, maxFaults: 5 });
    const out = await f.graph.writeMany([
      { op: "restore", type: "user", id: r1 },
      { op: "restore", type: "user", id: r2 },
      { op: "softDelete", type: "user", id: d1 },
      { op: "softDelete", type: "user", id: d2 },
      { op: "update", type: "user", id: u1, properties: { jobTitle: "Sent twice, harmlessly" } },
    ]);
    expect(out).toEqual([{ ok: true }, { ok: true }, { ok: true }, { ok: true }, { ok: true }]);
    for (const id of [r1, r2]) expect(attempts("POST", /\/restore$/, id).map((e) => e.status)).toEqual([200]);
    for (const id of [d1, d2]) expect(attempts("DELETE", /\/users\/[^/]+$/, id).map((e) => e.status)).toEqual([204]);
    expect(attempts("PATCH", /\/users\/[^/]+$/, u1).map((e) => e.status)).toEqual([204, 204]);
    expect((await f.graph.getObject("user", u1))?.object.properties.jobTitle).toBe("Sent twice, harmlessly");
  });

  it("writeMany: a whole $batch whose answer is lost after it ran has its restores and soft deletes written once", async () => {
    const [r1, d1, u1] = [take(), take(), take()];
    expect(await f.graph.softDeleteObject("user", r1)).toEqual({ ok: true });
    for (const faults of [{ lostAnswerDropRate: 1, maxFaults: 1 }, { lostAnswerErrorRate: 1, maxFaults: 1 }]) {
      lose(faults);
      const writes = faults.lostAnswerDropRate
        ? [{ op: "restore" as const, type: "user" as const, id: r1 }, { op: "update" as const, type: "user" as const, id: u1, properties: { officeLocation: "Lost envelope" } }]
        : [{ op: "softDelete" as const, type: "user" as const, id: d1 }, { op: "update" as const, type: "user" as const, id: u1, properties: { officeLocation: "Lost again" } }];
      expect(await f.graph.writeMany(writes)).toEqual([{ ok: true }, { ok: true }]);
      const [first] = writes;
      const entries = first!.op === "restore" ? attempts("POST", /\/restore$/, r1) : attempts("DELETE", /\/users\/[^/]+$/, d1);
      expect(entries.map((e) => [e.status, e.lost !== undefined])).toEqual([[first!.op === "restore" ? 200 : 204, true]]);
      expect(attempts("PATCH", /\/users\/[^/]+$/, u1)).toHaveLength(2);
    }
    expect(await f.graph.getObject("user", r1)).not.toBeNull();
    expect(await f.graph.getObject("user", d1)).toBeNull();
  });

  describe("a write dropped before it reached Graph", () => {
    it("is sent again and applied once, on its own and in a $batch", async () => {
      const [r1, d1, owner] = [take(), take(), take()];
      expect(await f.graph.softDeleteObject("user", r1)).toEqual({ ok: true });
      lose({ dropRate: 1, maxFaults: 1 });
      expect(await f.graph.restoreObject("user", r1)).toEqual({ ok: true });
      expect(attempts("POST", /\/restore$/, r1).map((e) => e.status)).toEqual([200]);
      lose({ dropRate: 1, maxFaults: 1 });
      expect(await f.graph.writeMany([{ op: "softDelete", type: "user", id: d1 }])).toEqual([{ ok: true }]);
      expect(attempts("DELETE", /\/users\/[^/]+$/, d1).map((e) => e.status)).toEqual([204]);
      lose({ dropRate: 1, maxFaults: 1 });
      expect(await f.graph.addLinks("group", group, "owners", [owner])).toEqual([{ targetId: owner, outcome: "applied" }]);
      expect(attempts("POST", /\/owners\/\$ref$/, group, owner).map((e) => e.status)).toEqual([204]);
      expect(f.sim.stats().faultsInjected).toBe(1);
    });

    it("a named location's restore is sent again, because it is still in Conditional Access's deleted items, and applied once", async () => {
      const [location] = objectsOf(await collect(f.graph.readAll("namedLocation")));
      const id = location!.id;
      expect(await f.graph.softDeleteObject("namedLocation", id)).toEqual({ ok: true });
      lose({ dropRate: 1, maxFaults: 1 });
      expect(await f.graph.restoreObject("namedLocation", id)).toEqual({ ok: true });
      expect(attempts("POST", /\/identity\/conditionalAccess\/deletedItems\/namedLocations\/[^/]+\/restore$/, id).map((e) => e.status)).toEqual([200]);
      expect(f.sim.stats().faultsInjected).toBe(1);
      expect(await f.graph.getObject("namedLocation", id)).not.toBeNull();
    });
  });
});
