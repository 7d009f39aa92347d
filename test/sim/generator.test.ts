import { TenantDirectory } from "../../sim/tenant/tenant-directory";
import { PRESETS } from "../../sim/tenant/presets";
import { makeRef, refIndex, refKind, type Kind } from "../../sim/tenant/kinds";
import type { TenantSpec } from "../../sim/index";

const HUGE: TenantSpec = { seed: 21, users: 1_000_000, groups: 200_000, links: 10_000_000, applications: 5000, conditionalAccessPolicies: 200, namedLocations: 50 };

describe("procedural tenant generator", () => {
  it("is deterministic per seed and differs across seeds", () => {
    const a = new TenantDirectory(PRESETS.small, false);
    const b = new TenantDirectory(PRESETS.small, false);
    const other = new TenantDirectory({ ...PRESETS.small, seed: 99 }, false);
    for (const kind of ["user", "group", "application", "servicePrincipal", "conditionalAccessPolicy", "namedLocation"] as Kind[]) {
      for (const i of [0, 1, 7, a.count(kind) - 1]) {
        expect(JSON.stringify(a.raw(kind, i))).toBe(JSON.stringify(b.raw(kind, i)));
        expect(JSON.stringify(a.raw(kind, i))).not.toBe(JSON.stringify(other.raw(kind, i)));
      }
    }
    for (const g of [0, 5, 299]) {
      const list = (d: TenantDirectory): number[] => {
        const out: number[] = [];
        d.forEachMember(g, 0, (r) => (out.push(r), true));
        return out;
      };
      expect(list(a)).toEqual(list(b));
    }
  });

  it("maps every id back to its kind and index in O(1), and refuses foreign ids", () => {
    const d = new TenantDirectory(PRESETS.large, false);
    for (const kind of ["user", "group", "servicePrincipal", "directoryRole"] as Kind[]) {
      for (const i of [0, 3, Math.min(4095, d.count(kind) - 2), d.count(kind) - 1]) expect(d.resolve(d.idOf(kind, i))).toEqual({ kind, index: i });
    }
    expect(d.resolve("11111111-2222-4333-8444-555555555555")).toBeUndefined();
    const id = d.idOf("user", 12);
    expect(d.resolve(id.slice(0, 35) + (id.endsWith("c") ? "d" : "c"))).toBeUndefined();
    const demo = new TenantDirectory(PRESETS.demo, true);
    expect(demo.idOf("user", 0)).toBe("0a0a0a0a-0000-4000-8000-000000000001");
    expect(demo.resolve("0a0a0a0a-0000-4000-8000-000000000005")).toEqual({ kind: "user", index: 4 });
  });

  it("distributes exactly `links` memberships, skewed, without duplicates or cycles", () => {
    for (const spec of [PRESETS.demo, PRESETS.small, PRESETS.large, HUGE]) {
      const d = new TenantDirectory(spec, false);
      let sum = 0;
      let max = 0;
      for (let g = 0; g < spec.groups; g++) {
        const n = d.memberCount(g);
        sum += n;
        max = Math.max(max, n);
      }
      expect(sum).toBe(spec.links);
      expect(max).toBeGreaterThan((spec.links / spec.groups) * 4);
      expect(max).toBeLessThanOrEqual(spec.users);
    }
    const d = new TenantDirectory(PRESETS.small, false);
    for (let g = 0; g < 300; g += 7) {
      const seen = new Set<number>();
      d.forEachMember(g, 0, (r) => {
        expect(seen.has(r)).toBe(false);
        seen.add(r);
        if (refKind(r) === "group") expect(refIndex(r)).toBeLessThan(g);
        expect(d.hasMember(g, r)).toBe(true);
        return true;
      });
    }
    const u = makeRef("user", 42);
    const containing = d.groupsContaining(u);
    for (let g = 0; g < 300; g++) {
      let found = false;
      d.forEachMember(g, 0, (r) => !(found = r === u));
      expect(containing.includes(g)).toBe(found);
    }
  });

  it("keeps memory flat while generating 1,000,000 users of a 1M-user tenant", () => {
    const d = new TenantDirectory(HUGE, false);
    const before = process.memoryUsage().heapUsed;
    let bytes = 0;
    let guests = 0;
    let synced = 0;
    for (let i = 0; i < HUGE.users; i++) {
      const u = d.raw("user", i);
      if (u?.["userType"] === "Guest") guests++;
      if (u?.["onPremisesSyncEnabled"] === true) synced++;
      if (i % 100 === 0) bytes += JSON.stringify(u).length;
    }
    const growth = process.memoryUsage().heapUsed - before;
    expect(growth).toBeLessThan(64 * 1024 * 1024);
    expect(bytes).toBeGreaterThan(0);
    expect(guests / HUGE.users).toBeGreaterThan(0.03);
    expect(guests / HUGE.users).toBeLessThan(0.05);
    expect(synced / HUGE.users).toBeGreaterThan(0.04);
    expect(synced / HUGE.users).toBeLessThan(0.06);
  });
});
