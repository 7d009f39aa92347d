import { z } from "zod";
import { GraphError, expiredPageToken, invalidPageToken, unsupportedQuery } from "../errors";
import { json, type SimResponse } from "../request";
import { contextFragment, contextUrl, effectiveSelect, pageJson } from "../render";
import type { Projector } from "../projection";
import { nextLinkFor } from "../paging";
import { MAX_PAGE, parseSelect, parseTop } from "../query";
import { parserOf } from "../tokens";
import { buildDeltaPage, type DeltaChanges, type DeltaItem } from "../delta-page";
import { ODATA_TYPE, refIndex, refKind, type Ref } from "../../tenant/kinds";
import { SELECTABLE } from "../../tenant/schema";
import type { TenantDirectory } from "../../tenant/tenant-directory";
import type { Route, RouteContext } from "../router";

/** Default delta page size and Graph's cap on member entries per page. */
export const DELTA_DEFAULT_PAGE = 200;
export const DELTA_MEMBER_BUDGET = 10000;

type DeltaKind = "user" | "group";

const LINK: Record<DeltaKind, string> = { user: "manager", group: "members" };

const Round = z.object({
  k: z.literal("delta"),
  kind: z.enum(["user", "group"]),
  sel: z.array(z.string()).nullable(),
  /** Log position the round covers from (initial: the head when it started). */
  from: z.number().int().nonnegative(),
  /** Incremental rounds replay entries [from, to); the delta link then carries `to`. */
  to: z.number().int().nonnegative().nullable(),
  pos: z.number().int().nonnegative(),
  mo: z.number().int().nonnegative(),
  ps: z.number().int().positive(),
});
type Round = z.infer<typeof Round>;

const Token = z.object({ k: z.literal("deltaToken"), kind: z.enum(["user", "group"]), sel: z.array(z.string()).nullable(), seq: z.number().int().nonnegative() });

const parseRound = parserOf(Round);
const parseToken = parserOf(Token);

/**
 * An expired or unusable delta token: Graph asks for a full resync with 410 Gone
 * (https://learn.microsoft.com/graph/delta-query-overview#synchronization-reset).
 */
const resyncRequired = (): GraphError =>
  new GraphError(410, "syncStateNotFound", "The delta token has expired or is no longer valid. A full resync is required: restart the delta query without a token.");

function memberEntry(dir: TenantDirectory, ref: Ref, removed: boolean): string {
  const id = dir.idOf(refKind(ref), refIndex(ref));
  return removed
    ? `{"@odata.type":"${ODATA_TYPE[refKind(ref)]}","id":"${id}","@removed":{"reason":"deleted"}}`
    : `{"@odata.type":"${ODATA_TYPE[refKind(ref)]}","id":"${id}"}`;
}

/** The object's selected properties (links excluded), `id` always first. */
function objectJson(dir: TenantDirectory, kind: DeltaKind, index: number, project: Projector): string {
  return JSON.stringify(project(dir.raw(kind, index) ?? {}));
}

/**
 * The projection a delta round applies: `id` first, then the selected properties, else the kind's default set
 * (a group delta page without `$select` carries the group's default properties, as a group read does:
 * https://learn.microsoft.com/graph/api/group-delta).
 */
function deltaProjector(call: RouteContext, kind: DeltaKind, sel: readonly string[] | null): Projector {
  const props = effectiveSelect(kind, sel ? sel.filter((p) => p !== LINK[kind]) : undefined);
  return call.env.projections.get(kind, ["id", ...props.filter((p) => p !== "id")]);
}

function removedJson(dir: TenantDirectory, kind: DeltaKind, index: number, reason: "changed" | "deleted"): string {
  return JSON.stringify({ id: dir.idOf(kind, index), "@removed": { reason } });
}

/** The current (live) members of group g as delta entries, hidden members skipped. */
function liveMemberEntries(dir: TenantDirectory, g: number): { length: number; at(j: number): string | undefined } {
  return {
    length: dir.memberCount(g),
    at: (j) => {
      const r = dir.memberAt(g, j);
      return r !== undefined && dir.isLiveRef(r) ? memberEntry(dir, r, false) : undefined;
    },
  };
}

function arrayEntries(list: readonly string[]): { length: number; at(j: number): string | undefined } {
  return { length: list.length, at: (j) => list[j] };
}

function managerEntries(dir: TenantDirectory, u: number, previous: Ref | undefined): string[] {
  const m = dir.manager(u);
  if (m !== null && dir.isLiveRef(m)) return [memberEntry(dir, m, false)];
  return previous !== undefined ? [memberEntry(dir, previous, true)] : [];
}

/** Items of an initial round: every live object, with its links when selected. */
function initialItem(dir: TenantDirectory, kind: DeltaKind, sel: readonly string[] | null, project: Projector, pos: number): DeltaItem | undefined {
  if (!dir.isLive(kind, pos)) return undefined;
  const id = dir.idOf(kind, pos);
  const item: DeltaItem = { json: objectJson(dir, kind, pos, project), id };
  if (sel?.includes(LINK[kind])) {
    item.linkKey = `${LINK[kind]}@delta`;
    item.entries = kind === "group" ? liveMemberEntries(dir, pos) : arrayEntries(managerEntries(dir, pos, undefined));
  }
  return item;
}

/**
 * Folds the log entries of a round into one change per object, in order of first change. Link changes count
 * only when the link is tracked (`$select` names `members` / `manager`), like Graph's tracked properties.
 */
function collectDeltaChanges(dir: TenantDirectory, kind: DeltaKind, sel: readonly string[] | null, from: number, to: number): DeltaChanges {
  const c: DeltaChanges = { order: [], objects: new Set(), links: new Map(), previousManager: new Map() };
  const seen = new Set<number>();
  const linksTracked = sel?.includes(LINK[kind]) === true;
  const linkSeen = new Map<number, Set<Ref>>();
  for (const e of dir.log.range(kind, from, to)) {
    if (e.what !== "object" && !linksTracked) continue;
    if (!seen.has(e.index)) {
      seen.add(e.index);
      c.order.push(e.index);
    }
    if (e.what === "object") c.objects.add(e.index);
    else if (e.what === "member" && e.ref !== undefined) {
      let seenRefs = linkSeen.get(e.index);
      if (!seenRefs) {
        seenRefs = new Set();
        linkSeen.set(e.index, seenRefs);
        c.links.set(e.index, []);
      }
      if (!seenRefs.has(e.ref)) {
        seenRefs.add(e.ref);
        c.links.get(e.index)?.push(e.ref);
      }
    } else if (e.what === "manager" && !c.previousManager.has(e.index) && e.ref !== undefined) c.previousManager.set(e.index, e.ref);
  }
  return c;
}

function incrementalItem(dir: TenantDirectory, kind: DeltaKind, sel: readonly string[] | null, project: Projector, c: DeltaChanges, pos: number): DeltaItem | undefined {
  const index = c.order[pos];
  if (index === undefined) return undefined;
  const state = dir.state(kind, index);
  const id = dir.idOf(kind, index);
  if (state === "hardDeleted" || state === "absent") return { json: removedJson(dir, kind, index, "deleted"), id };
  if (state === "softDeleted") return { json: removedJson(dir, kind, index, "changed"), id };
  const item: DeltaItem = { json: objectJson(dir, kind, index, project), id };
  if (!sel?.includes(LINK[kind])) return item;
  item.linkKey = `${LINK[kind]}@delta`;
  if (kind === "user") {
    item.entries = arrayEntries(managerEntries(dir, index, c.previousManager.get(index)));
    return item;
  }
  if (c.objects.has(index)) {
    // Created or restored (or edited): send the whole current list, then removals of links that went away.
    const full = liveMemberEntries(dir, index);
    const removed = (c.links.get(index) ?? []).filter((r) => !(dir.hasMember(index, r) && dir.isLiveRef(r))).map((r) => memberEntry(dir, r, true));
    item.entries = { length: full.length + removed.length, at: (j) => (j < full.length ? full.at(j) : removed[j - full.length]) };
    return item;
  }
  const entries = (c.links.get(index) ?? []).map((r) => memberEntry(dir, r, !(dir.hasMember(index, r) && dir.isLiveRef(r))));
  item.entries = arrayEntries(entries);
  return item;
}

/** Page size from `Prefer: odata.maxpagesize=N` (capped at 999), else `$top`, else the round's, else 200. */
function pageSize(call: RouteContext, fallback: number | undefined): { size: number; applied: boolean } {
  const m = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(call.req.headers["prefer"] ?? "");
  if (m) return { size: Math.min(MAX_PAGE, Math.max(1, Number(m[1]))), applied: true };
  const top = parseTop(call.req.query.get("$top"));
  return { size: top ?? fallback ?? DELTA_DEFAULT_PAGE, applied: false };
}

function deltaLinkFor(call: RouteContext, token: string): string {
  return `${call.req.origin}${call.req.path}?$deltatoken=${token}`;
}

function runRound(call: RouteContext, round: Round, applied: boolean): SimResponse {
  const dir = call.env.dir;
  const { kind, sel } = round;
  // Graph echoes the round's `$select` on every page (https://learn.microsoft.com/graph/api/group-delta, example 2).
  const ctxUrl = contextUrl(call.req.version, contextFragment(kind === "user" ? "users" : "groups", sel ?? undefined));
  const project = deltaProjector(call, kind, sel);
  let page;
  if (round.to === null) {
    page = buildDeltaPage(dir.count(kind), (p) => initialItem(dir, kind, sel, project, p), round, round.ps, call.env.deltaMembersPerPage);
  } else {
    const changes = collectDeltaChanges(dir, kind, sel, round.from, round.to);
    page = buildDeltaPage(changes.order.length, (p) => incrementalItem(dir, kind, sel, project, changes, p), round, round.ps, call.env.deltaMembersPerPage);
  }
  const extra: Record<string, string> = {};
  if (page.next) {
    const next: Round = { ...round, pos: page.next.pos, mo: page.next.mo };
    extra["@odata.nextLink"] = nextLinkFor(call, "$skiptoken", call.env.tokens.issueSkip(next));
  } else {
    const seq = round.to ?? round.from;
    extra["@odata.deltaLink"] = deltaLinkFor(call, call.env.tokens.issueDelta({ k: "deltaToken", kind, sel, seq }));
  }
  const headers: Record<string, string> = applied ? { "Preference-Applied": `odata.maxpagesize=${round.ps}` } : {};
  return json(200, pageJson(ctxUrl, page.items, extra), headers);
}

function delta(call: RouteContext, kind: DeltaKind): SimResponse {
  const dir = call.env.dir;
  const q = call.req.query;
  for (const bad of ["$expand", "$filter", "$orderby"]) if (q.has(bad)) throw unsupportedQuery(`The query option '${bad}' is not supported with delta queries.`);
  const skip = q.get("$skiptoken");
  const deltaToken = q.get("$deltatoken");
  if (skip !== null) {
    const r = call.env.tokens.readSkip(skip, parseRound);
    if (!r.ok) throw r.reason === "expired" ? expiredPageToken() : invalidPageToken();
    if (r.state.kind !== kind) throw invalidPageToken();
    const ps = pageSize(call, r.state.ps);
    return runRound(call, { ...r.state, ps: ps.size }, ps.applied);
  }
  const ps = pageSize(call, undefined);
  if (deltaToken !== null) {
    if (deltaToken.toLowerCase() === "latest") {
      const allowed = new Set([...SELECTABLE[kind], LINK[kind]]);
      const sel = parseSelect(q.get("$select"), allowed, ODATA_TYPE[kind]) ?? null;
      return runRound(call, { k: "delta", kind, sel, from: dir.log.head, to: dir.log.head, pos: 0, mo: 0, ps: ps.size }, ps.applied);
    }
    const r = call.env.tokens.readDelta(deltaToken, parseToken);
    if (!r.ok || r.state.kind !== kind) throw resyncRequired();
    return runRound(call, { k: "delta", kind, sel: r.state.sel, from: r.state.seq, to: dir.log.head, pos: 0, mo: 0, ps: ps.size }, ps.applied);
  }
  const allowed = new Set([...SELECTABLE[kind], LINK[kind]]);
  const sel = parseSelect(q.get("$select"), allowed, ODATA_TYPE[kind]) ?? null;
  return runRound(call, { k: "delta", kind, sel, from: dir.log.head, to: null, pos: 0, mo: 0, ps: ps.size }, ps.applied);
}

/** `/users/delta` and `/groups/delta`. */
export const deltaRoutes: readonly Route[] = [
  { method: "GET", path: "users/delta", cost: 1, handle: (c) => delta(c, "user") },
  { method: "GET", path: "groups/delta", cost: 1, handle: (c) => delta(c, "group") },
];
