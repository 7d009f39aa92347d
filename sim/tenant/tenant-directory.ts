import { TenantGenerator } from "./generator";
import { Overlay, type Tombstone } from "./overlay";
import { ChangeLog } from "./change-log";
import { LinkList } from "./link-list";
import { CA_SOFT_DELETABLE, SOFT_DELETABLE, makeRef, refIndex, refKind, type Kind, type Ref } from "./kinds";
import { isoSeconds, isJsonObject, type Json, type JsonObject } from "./json";
import { baseMfaState } from "./users";
import { blankObject } from "./schema";
import { generateAuthenticationMethodsPolicy, generateAuthorizationPolicy } from "./policies";
import type { IdTarget } from "./ids";
import type { TenantContext } from "./context";
import type { TenantSpec } from "../types";

/** Whether Graph's DELETE keeps an object restorable: every kind with deleted items, but not mail-only groups. */
export function isSoftDeletable(kind: Kind, obj: JsonObject | undefined): boolean {
  if (!SOFT_DELETABLE.has(kind) && !CA_SOFT_DELETABLE.has(kind)) return false;
  if (kind !== "group") return true;
  const types = Array.isArray(obj?.["groupTypes"]) ? obj["groupTypes"] : [];
  return !(obj?.["mailEnabled"] === true && !types.includes("Unified"));
}

export type ObjectState = "live" | "softDeleted" | "hardDeleted" | "absent";

/** Soft-deleted objects stay restorable this long, then count as hard-deleted. */
export const RESTORE_WINDOW_MS = 30 * 86400000;

export type SingletonName = "authorizationPolicy" | "authenticationMethodsPolicy";

/**
 * The live tenant: generated objects seen through the overlay of mutations. Reads never store anything;
 * mutations store only what they change and record it in the change log for delta queries.
 */
export class TenantDirectory {
  readonly gen: TenantGenerator;
  readonly overlay = new Overlay();
  readonly log = new ChangeLog();
  /** Bumped by every mutation: readers that prepared an answer ahead of time check it is still current. */
  private mutations = 0;
  /** Bumped by mutations that changed what a reader sees (a PATCH to the values already held, or adding a link already there, does not). */
  private effects = 0;

  constructor(spec: TenantSpec, demo: boolean, private readonly now: () => number = Date.now) {
    this.gen = new TenantGenerator(spec, demo);
  }

  get tenant(): TenantContext {
    return this.gen.tenant;
  }

  /** How many mutations happened so far. */
  get version(): number {
    return this.mutations;
  }

  /** How many mutations so far changed the tenant's state: the write log tells a write that changed something from a repeat. */
  get effectiveChanges(): number {
    return this.effects;
  }

  /** Base plus created objects: the index space of `kind`. */
  count(kind: Kind): number {
    return this.gen.count(kind) + this.overlay.created[kind].size;
  }

  idOf(kind: Kind, index: number): string {
    return this.tenant.ids.id(kind, index);
  }

  refId(ref: Ref): string {
    return this.tenant.ids.id(refKind(ref), refIndex(ref));
  }

  /** Maps an id to (kind, index) when it names an object that exists or existed. */
  resolve(id: string): IdTarget | undefined {
    const t = this.tenant.ids.parse(id);
    return t && t.index < this.count(t.kind) ? t : undefined;
  }

  private tombstone(kind: Kind, index: number): Tombstone | undefined {
    return this.overlay.anyTombstone ? this.overlay.tombstones[kind].get(index) : undefined;
  }

  state(kind: Kind, index: number): ObjectState {
    if (index < 0 || index >= this.count(kind)) return "absent";
    const t = this.tombstone(kind, index);
    if (!t) return "live";
    if (t.hard || this.now() - t.deletedAtMs > RESTORE_WINDOW_MS) return "hardDeleted";
    return "softDeleted";
  }

  isLive(kind: Kind, index: number): boolean {
    return this.state(kind, index) === "live";
  }

  isLiveRef(ref: Ref): boolean {
    return this.isLive(refKind(ref), refIndex(ref));
  }

  /** The current properties of an object whatever its state (generated or created, then patched). */
  raw(kind: Kind, index: number): JsonObject | undefined {
    const created = this.overlay.created[kind].get(index);
    const base = created ?? this.gen.object(kind, index);
    if (!base) return undefined;
    const patch = this.overlay.patches[kind].get(index);
    return patch ? { ...base, ...patch } : base;
  }

  /** The object if it is live. */
  live(kind: Kind, index: number): JsonObject | undefined {
    return this.isLive(kind, index) ? this.raw(kind, index) : undefined;
  }

  /** The object as `/directory/deletedItems` shows it, if it is soft-deleted. */
  deleted(kind: Kind, index: number): JsonObject | undefined {
    if (this.state(kind, index) !== "softDeleted") return undefined;
    const o = this.raw(kind, index);
    const t = this.tombstone(kind, index);
    return o && t ? { ...o, deletedDateTime: isoSeconds(t.deletedAtMs) } : undefined;
  }

  // ---- links (stored order; callers hide members that are not live) ----

  /** Stored member entries of group g, in order, from position `from`; `fn` returns false to stop. */
  forEachMember(g: number, from: number, fn: (ref: Ref, j: number) => boolean): void {
    const m = this.overlay.members.get(g);
    if (m) {
      for (let j = from; j < m.length; j++) {
        const r = m.at(j);
        if (r !== undefined && !fn(r, j)) return;
      }
      return;
    }
    if (this.overlay.created.group.has(g)) return;
    this.gen.links.forEachMember(g, from, fn);
  }

  /** How many member entries group g stores (hidden, deleted members included). */
  memberCount(g: number): number {
    const m = this.overlay.members.get(g);
    if (m) return m.length;
    if (this.overlay.created.group.has(g)) return 0;
    return this.gen.links.memberCount(g);
  }

  /** Stored member entry j of group g. */
  memberAt(g: number, j: number): Ref | undefined {
    const m = this.overlay.members.get(g);
    if (m) return m.at(j);
    if (this.overlay.created.group.has(g) || j >= this.gen.links.memberCount(g)) return undefined;
    return this.gen.links.memberAt(g, j);
  }

  hasMember(g: number, ref: Ref): boolean {
    const m = this.overlay.members.get(g);
    if (m) return m.has(ref);
    if (this.overlay.created.group.has(g)) return false;
    return this.gen.links.hasMember(g, ref);
  }

  owners(g: number): Ref[] {
    const o = this.overlay.owners.get(g);
    if (o) return o.toArray();
    if (this.overlay.created.group.has(g)) return [];
    return this.gen.links.owners(g);
  }

  manager(u: number): Ref | null {
    if (this.overlay.managers.has(u)) return this.overlay.managers.get(u) ?? null;
    if (this.overlay.created.user.has(u)) return null;
    const m = this.gen.links.manager(u);
    return m === null ? null : makeRef("user", m);
  }

  sponsors(u: number): Ref[] {
    const s = this.overlay.sponsors.get(u);
    if (s) return s.toArray();
    if (this.overlay.created.user.has(u)) return [];
    return this.gen.links.sponsors(u).map((i) => makeRef("user", i));
  }

  /** Groups whose stored member list holds `ref` (base groups by an O(1) test each, plus materialized ones). */
  groupsContaining(ref: Ref): number[] {
    const out: number[] = [];
    for (const g of this.gen.links.groupsContaining(ref)) if (!this.overlay.members.has(g)) out.push(g);
    for (const [g, list] of this.overlay.members) if (list.has(ref)) out.push(g);
    return out.sort((a, b) => a - b);
  }

  /** Directory roles held by user u. */
  rolesOf(u: number): number[] {
    const out: number[] = [];
    for (let r = 0; r < this.gen.count("directoryRole"); r++) if (this.gen.roleHolders(r).includes(u)) out.push(r);
    return out;
  }

  mfaState(u: number): string {
    return this.overlay.mfa.get(u) ?? baseMfaState(this.tenant, u);
  }

  singleton(name: SingletonName): JsonObject {
    const stored = this.overlay.singletons.get(name);
    if (stored) return stored;
    return name === "authorizationPolicy" ? generateAuthorizationPolicy() : generateAuthenticationMethodsPolicy();
  }

  // ---- mutations: callers validate; these apply and record ----

  private logObject(kind: Kind, index: number): void {
    if (kind === "user" || kind === "group") this.log.append(kind, index, "object");
  }

  patch(kind: Kind, index: number, props: JsonObject): void {
    this.mutations++;
    const current = this.raw(kind, index);
    if (Object.entries(props).some(([k, v]) => !sameJson(current?.[k] ?? null, v))) this.effects++;
    const created = this.overlay.created[kind].get(index);
    if (created) Object.assign(created, props);
    else this.overlay.patches[kind].set(index, { ...(this.overlay.patches[kind].get(index) ?? {}), ...props });
    this.logObject(kind, index);
  }

  /** Creates an object with the next index of its kind and returns that index. */
  create(kind: Kind, props: JsonObject): number {
    this.mutations++;
    this.effects++;
    const index = this.count(kind);
    this.overlay.created[kind].set(index, blankObject(kind, this.idOf(kind, index), props));
    this.logObject(kind, index);
    return index;
  }

  private setTombstone(kind: Kind, index: number, t: Tombstone | undefined): void {
    this.mutations++;
    if (this.state(kind, index) !== (t === undefined ? "live" : t.hard ? "hardDeleted" : "softDeleted")) this.effects++;
    const ref = makeRef(kind, index);
    const groups = kind === "user" || kind === "group" || kind === "servicePrincipal" ? this.groupsContaining(ref) : [];
    if (t) {
      this.overlay.tombstones[kind].set(index, t);
      this.overlay.anyTombstone = true;
    } else this.overlay.tombstones[kind].delete(index);
    this.logObject(kind, index);
    for (const g of groups) this.log.append("group", g, "member", ref);
  }

  softDelete(kind: Kind, index: number): void {
    this.setTombstone(kind, index, { deletedAtMs: this.now(), hard: false });
  }

  /**
   * What Graph's DELETE of a live object does. Users, applications, service principals, Microsoft 365 groups
   * and cloud security groups go to `/directory/deletedItems`; Conditional Access policies and named
   * locations to `/identity/conditionalAccess/deletedItems` (v1.0 schema: `conditionalAccessRoot/deletedItems`).
   * Distribution lists and mail-enabled security groups are deleted for good
   * (https://learn.microsoft.com/graph/api/group-delete).
   */
  deleteObject(kind: Kind, index: number): void {
    if (isSoftDeletable(kind, this.raw(kind, index))) this.softDelete(kind, index);
    else this.hardDelete(kind, index);
  }

  restore(kind: Kind, index: number): void {
    this.setTombstone(kind, index, undefined);
  }

  hardDelete(kind: Kind, index: number): void {
    this.setTombstone(kind, index, { deletedAtMs: this.now(), hard: true });
  }

  private memberList(g: number): LinkList {
    let m = this.overlay.members.get(g);
    if (!m) {
      const refs: Ref[] = [];
      this.forEachMember(g, 0, (r) => (refs.push(r), true));
      m = new LinkList(refs);
      this.overlay.members.set(g, m);
    }
    return m;
  }

  addMember(g: number, ref: Ref): boolean {
    this.mutations++;
    const ok = this.memberList(g).add(ref);
    if (ok) this.effects++;
    if (ok) this.log.append("group", g, "member", ref);
    return ok;
  }

  removeMember(g: number, ref: Ref): boolean {
    this.mutations++;
    const ok = this.memberList(g).remove(ref);
    if (ok) this.effects++;
    if (ok) this.log.append("group", g, "member", ref);
    return ok;
  }

  private ownerList(g: number): LinkList {
    let o = this.overlay.owners.get(g);
    if (!o) {
      o = new LinkList(this.owners(g));
      this.overlay.owners.set(g, o);
    }
    return o;
  }

  addOwner(g: number, ref: Ref): boolean {
    this.mutations++;
    return this.effective(this.ownerList(g).add(ref));
  }

  removeOwner(g: number, ref: Ref): boolean {
    this.mutations++;
    return this.effective(this.ownerList(g).remove(ref));
  }

  setManager(u: number, ref: Ref | null): void {
    this.mutations++;
    const previous = this.manager(u);
    if (previous !== ref) this.effects++;
    this.overlay.managers.set(u, ref);
    this.log.append("user", u, "manager", previous ?? undefined);
  }

  private sponsorList(u: number): LinkList {
    let s = this.overlay.sponsors.get(u);
    if (!s) {
      s = new LinkList(this.sponsors(u));
      this.overlay.sponsors.set(u, s);
    }
    return s;
  }

  addSponsor(u: number, ref: Ref): boolean {
    this.mutations++;
    return this.effective(this.sponsorList(u).add(ref));
  }

  removeSponsor(u: number, ref: Ref): boolean {
    this.mutations++;
    return this.effective(this.sponsorList(u).remove(ref));
  }

  setMfa(u: number, state: string): void {
    this.mutations++;
    if (this.mfaState(u) !== state) this.effects++;
    this.overlay.mfa.set(u, state);
  }

  /** Merges a PATCH of a singleton policy's own properties (callers refuse navigation properties). */
  patchSingleton(name: SingletonName, props: JsonObject): void {
    this.mutations++;
    const cur = { ...this.singleton(name), ...props };
    if (!sameJson(this.singleton(name), cur)) this.effects++;
    this.overlay.singletons.set(name, cur);
  }

  /** Merges a PATCH into one method configuration of the authentication methods policy (by its id, as stored). */
  patchMethodConfiguration(id: string, props: JsonObject): void {
    this.mutations++;
    const policy = this.singleton("authenticationMethodsPolicy");
    const list = Array.isArray(policy["authenticationMethodConfigurations"]) ? policy["authenticationMethodConfigurations"] : [];
    const merged = list.map((c) => (isJsonObject(c) && c["id"] === id ? { ...c, ...props } : c));
    const next = { ...policy, authenticationMethodConfigurations: merged };
    if (!sameJson(policy, next)) this.effects++;
    this.overlay.singletons.set("authenticationMethodsPolicy", next);
  }

  /** Counts a link write that changed the list (`ok`), and passes its answer on. */
  private effective(ok: boolean): boolean {
    if (ok) this.effects++;
    return ok;
  }
}

/** Whether two stored values are the same JSON (object keys in any order). */
function sameJson(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => sameJson(a[k], b[k]));
}
