import { Dice, hash32 } from "./prng";
import { KIND_CODE, makeRef, refIndex, refKind, type Ref } from "./kinds";
import type { TenantContext } from "./context";

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Modular inverse by the extended Euclidean algorithm (n < 2^26, so products stay exact in doubles). */
function modInverse(a: number, n: number): number {
  let [t, newT, r, newR] = [0, 1, n, a % n];
  while (newR !== 0) {
    const q = Math.floor(r / newR);
    [t, newT] = [newT, t - q * newT];
    [r, newR] = [newR, r - q * newR];
  }
  return t < 0 ? t + n : t;
}

/** A multiplier in [n/2, n) coprime with n: a stride that scatters an arithmetic progression over 0..n-1. */
function coprimeStride(n: number, salt: number): number {
  if (n <= 2) return 1;
  let a = Math.floor(n / 2) + (salt % Math.floor(n / 2));
  while (gcd(a, n) !== 1) a = a + 1 >= n ? 1 : a + 1;
  return a;
}

/**
 * The base (generated) links of a tenant, before any mutation, as O(1) functions of indices. Each group's
 * member list is an arithmetic progression over the users (start, stride shared by all groups), followed by a
 * few nested groups of lower index and a few service principals. Four small numbers per group are
 * precomputed into typed arrays (18 bytes per group, nothing per link), so reverse lookups
 * ("which groups contain user u?") are a tight scan rather than a rebuild.
 */
export class BaseLinks {
  private readonly users: number;
  private readonly groups: number;
  private readonly sps: number;
  private readonly stride: number;
  private readonly strideInv: number;
  /** Per group: first user position, user count, nested-group count, service-principal count, hash. */
  private readonly starts: Int32Array;
  private readonly userCounts: Int32Array;
  private readonly nestedCounts: Uint8Array;
  private readonly spCounts: Uint8Array;
  private readonly hashes: Uint32Array;
  /** start × stride⁻¹ mod users: a user's position in a group is then one subtraction (see userPosition). */
  private readonly offsets: Int32Array;

  constructor(private readonly tenant: TenantContext, servicePrincipals: number, private readonly isGuest: (u: number) => boolean) {
    const { users, groups, links } = tenant.spec;
    this.users = users;
    this.groups = groups;
    this.sps = servicePrincipals;
    // A power-law CDF F(x) = (x/G)^beta; beta grows toward uniform until the largest group fits in the users.
    let beta = 0.5;
    while (groups > 0 && links * Math.pow(1 / groups, beta) > users * 0.9 && beta < 1) beta += 0.05;
    if (beta >= 1) beta = 1;
    const rankMul = coprimeStride(Math.max(groups, 1), hash32(tenant.seed, 0x51));
    const rankAdd = groups > 0 ? hash32(tenant.seed, 0x52) % groups : 0;
    this.stride = coprimeStride(users, hash32(tenant.seed, 0x53));
    this.strideInv = modInverse(this.stride, users);
    const cdf = (x: number): number => Math.floor(links * (beta === 1 ? x / groups : Math.pow(x / groups, beta)));
    this.starts = new Int32Array(groups);
    this.userCounts = new Int32Array(groups);
    this.nestedCounts = new Uint8Array(groups);
    this.spCounts = new Uint8Array(groups);
    this.hashes = new Uint32Array(groups);
    this.offsets = new Int32Array(groups);
    for (let g = 0; g < groups; g++) {
      const r = (rankMul * g + rankAdd) % groups;
      const c = cdf(r + 1) - cdf(r); // the counts telescope: their sum is exactly `links`
      const h = hash32(tenant.seed, KIND_CODE.group, g, 0x99);
      const nested = g > 0 && h % 10 === 0 ? Math.min(1 + ((h >>> 8) % 3), g, c) : 0;
      const spc = this.sps > 0 && h % 33 === 1 ? Math.min(1 + ((h >>> 12) % 2), c - nested, this.sps) : 0;
      this.starts[g] = (h >>> 4) % users;
      this.userCounts[g] = c - nested - spc;
      this.nestedCounts[g] = nested;
      this.spCounts[g] = spc;
      this.hashes[g] = h;
      this.offsets[g] = ((this.starts[g] ?? 0) * this.strideInv) % users;
    }
  }

  /** The number of base member entries of group g; the sum over all groups is exactly `links`. */
  memberCount(g: number): number {
    if (g < 0 || g >= this.groups) return 0;
    return (this.userCounts[g] ?? 0) + (this.nestedCounts[g] ?? 0) + (this.spCounts[g] ?? 0);
  }

  private userAt(g: number, j: number): number {
    return ((this.starts[g] ?? 0) + ((j * this.stride) % this.users)) % this.users;
  }

  /** Member j of group g (users first, then nested groups with a lower index, then service principals). */
  memberAt(g: number, j: number): Ref {
    const users = this.userCounts[g] ?? 0;
    if (j < users) return makeRef("user", this.userAt(g, j));
    const k = j - users;
    const nested = this.nestedCounts[g] ?? 0;
    const h = this.hashes[g] ?? 0;
    if (k < nested) return makeRef("group", (h + k) % g);
    return makeRef("servicePrincipal", (h + k - nested) % this.sps);
  }

  /** Calls `fn` for every base member of group g from position `from`, in order; `fn` returns false to stop. */
  forEachMember(g: number, from: number, fn: (ref: Ref, j: number) => boolean): void {
    const total = this.memberCount(g);
    for (let j = from; j < total; j++) if (!fn(this.memberAt(g, j), j)) return;
  }

  /** Whether `ref` is a base member of group g, in O(1). */
  hasMember(g: number, ref: Ref): boolean {
    if (g < 0 || g >= this.groups) return false;
    const kind = refKind(ref);
    const i = refIndex(ref);
    const h = this.hashes[g] ?? 0;
    if (kind === "user") return i < this.users && this.userPosition(g, i) < (this.userCounts[g] ?? 0);
    if (kind === "group") return i < g && (((i - (h % g)) % g) + g) % g < (this.nestedCounts[g] ?? 0);
    if (kind === "servicePrincipal") return i < this.sps && (((i - (h % this.sps)) % this.sps) + this.sps) % this.sps < (this.spCounts[g] ?? 0);
    return false;
  }

  /**
   * Where user u would sit in group g's progression (a member when below the group's user count):
   * (u − start)·stride⁻¹ ≡ u·stride⁻¹ − offset (mod users), so with `scaled` = u·stride⁻¹ mod users
   * computed once per user, each group costs one subtraction.
   */
  private userPosition(g: number, u: number, scaled = (u * this.strideInv) % this.users): number {
    const off = this.offsets[g] ?? 0;
    return scaled >= off ? scaled - off : scaled - off + this.users;
  }

  /** Base groups that list `ref` as a member (a scan over the per-group arrays; each test is O(1)). */
  groupsContaining(ref: Ref): number[] {
    const out: number[] = [];
    if (refKind(ref) === "user") {
      const u = refIndex(ref);
      if (u >= this.users) return out;
      // The hot loop of soft-delete and restore on big tenants: userPosition inlined over local arrays.
      const scaled = (u * this.strideInv) % this.users;
      const { offsets, userCounts, users, groups } = this;
      for (let g = 0; g < groups; g++) {
        const off = offsets[g] as number;
        const pos = scaled >= off ? scaled - off : scaled - off + users;
        if (pos < (userCounts[g] as number)) out.push(g);
      }
      return out;
    }
    for (let g = 0; g < this.groups; g++) if (this.hasMember(g, ref)) out.push(g);
    return out;
  }

  /** 1–3 user owners per group. */
  owners(g: number): Ref[] {
    const d = new Dice(this.tenant.seed, KIND_CODE.group, g);
    const n = Math.min(1 + d.int(30, 3), this.users);
    const start = d.int(31, this.users);
    const out: Ref[] = [];
    for (let k = 0; k < n; k++) out.push(makeRef("user", (start + k * 7919) % this.users));
    return [...new Set(out)];
  }

  /** A management tree with fan-out 6 rooted at user 0; guests and ~5% of members have no manager. */
  manager(u: number): number | null {
    if (u === 0 || u >= this.users || this.isGuest(u)) return null;
    if (u >= 16 && new Dice(this.tenant.seed, KIND_CODE.user, u).chance(50, 0.05)) return null;
    return Math.floor((u - 1) / 6);
  }

  /** About half of the guests have one or two member sponsors. */
  sponsors(u: number): number[] {
    if (!this.isGuest(u)) return [];
    const d = new Dice(this.tenant.seed, KIND_CODE.user, u);
    if (!d.chance(51, 0.5)) return [];
    const n = 1 + d.int(52, 2);
    const out: number[] = [];
    for (let k = 0; k < n; k++) {
      let s = d.int(53 + k, this.users);
      while (s === u || this.isGuest(s) || out.includes(s)) s = (s + 1) % this.users;
      out.push(s);
    }
    return out;
  }
}
