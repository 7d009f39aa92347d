import { alreadyExists, badRequest, dynamicGroup, notFound, syncedObject } from "../errors";
import { MEMBER_KINDS, makeRef, type Kind, type Ref } from "../../tenant/kinds";
import { checkGuid, idFromODataUrl, requireLiveAny } from "./common";
import type { RouteContext } from "../router";

/** Graph accepts at most 20 references per `@odata.bind` write. */
export const MAX_BINDS = 20;

const OWNER_KINDS: ReadonlySet<Kind> = new Set<Kind>(["user", "servicePrincipal"]);

export type LinkName = "members" | "owners";

/** Refuses link writes Graph refuses: dynamic groups (members) and groups synced from on-premises. */
export function checkLinksWritable(call: RouteContext, g: number, link: LinkName): void {
  const group = call.env.dir.raw("group", g);
  if (group?.["onPremisesSyncEnabled"] === true) throw syncedObject();
  const types = group?.["groupTypes"];
  if (link === "members" && Array.isArray(types) && types.includes("DynamicMembership")) throw dynamicGroup();
}

/** Resolves the ids to add to a group's link and checks them all before anything changes (g < 0: a group being created). */
export function resolveAdditions(call: RouteContext, g: number, link: LinkName, ids: readonly string[]): Ref[] {
  const dir = call.env.dir;
  const refs: Ref[] = [];
  for (const raw of ids) {
    const id = checkGuid(raw);
    const t = requireLiveAny(call, id, link === "members" ? MEMBER_KINDS : OWNER_KINDS);
    if (t.kind === "group" && t.index === g) throw badRequest("A group cannot be a member of itself.");
    const ref = makeRef(t.kind, t.index);
    const present = g >= 0 && (link === "members" ? dir.hasMember(g, ref) : dir.owners(g).includes(ref));
    if (present || refs.includes(ref)) throw alreadyExists(link);
    refs.push(ref);
  }
  return refs;
}

export function applyAdditions(call: RouteContext, g: number, link: LinkName, refs: readonly Ref[]): void {
  for (const ref of refs) {
    if (link === "members") call.env.dir.addMember(g, ref);
    else call.env.dir.addOwner(g, ref);
  }
}

/** Removes one reference; absent (or not a live object) → 404 like Graph. */
export function removeLink(call: RouteContext, g: number, link: LinkName, rawId: string): void {
  const id = checkGuid(rawId);
  const t = call.env.dir.resolve(id);
  if (!t) throw notFound(id);
  const ref = makeRef(t.kind, t.index);
  const ok = link === "members" ? call.env.dir.removeMember(g, ref) : call.env.dir.removeOwner(g, ref);
  if (!ok) throw notFound(id);
}

/** The ids named by a `members@odata.bind` / `owners@odata.bind` array. */
export function bindIds(value: unknown, key: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw badRequest(`Invalid value for '${key}': expected an array of directory object URLs.`);
  }
  return value.map((v: string) => idFromODataUrl(v));
}
