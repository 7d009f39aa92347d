import { CATALOG, type LinkName, type ObjectType } from "../model/catalog";
import type { Change, LinkChange } from "../model/change";
import type { Directory, LinksRecord, LinkWriteOutcome } from "../ports";
import { mapConcurrent } from "../../lib/pool";
import { isProtectedLink } from "./protected-groups";
import { graphMessage, type StepEnv, type StepResult, type StepWork } from "./step-work";

/** Why a links step could not be tried. */
export const LINK_GONE_MESSAGE = "The object no longer exists in the directory, so its links cannot be written.";

/** Target ids named per distinct failure message, before "and N more". */
const TARGETS_PER_MESSAGE = 5;

/**
 * Runs the links step for a page of changes, several objects at a time. A plain update writes the report's
 * link differences (a resumed one first re-reads the object and writes only what is still missing). A
 * restored object is re-read and compared with its backup, since restoring brought most of its links back:
 * only the remaining differences are written. Adding a link that is already there, or removing one that is
 * gone, counts as applied; a link whose other end no longer exists fails with Graph's message.
 */
export async function applyLinksStep(work: readonly StepWork[], env: StepEnv): Promise<StepResult[]> {
  return mapConcurrent(work, env.concurrency, async ({ change, resumed }) => {
    let plan: readonly LinkChange[];
    if (change.recoveryAction === "restore") {
      const remaining = await restoredObjectLinks(change, env);
      if (remaining === null) return { seq: change.seq, status: "failed", message: LINK_GONE_MESSAGE };
      plan = remaining;
    } else if (resumed) {
      const remaining = await remainingLinks(change, env.directory);
      if (remaining === null) return { seq: change.seq, status: "failed", message: LINK_GONE_MESSAGE };
      plan = remaining;
    } else {
      plan = change.deltaFromCurrent.links;
    }
    const failures = await writeLinks(env.directory, change.entityTypeName, change.id, plan);
    if (change.recoveryAction === "restore") failures.push(...(await restoreIncomingLinks(change, env)));
    return failures.length === 0 ? { seq: change.seq, status: "applied" } : { seq: change.seq, status: "failed", message: describeFailures(failures) };
  });
}

/**
 * For a restored object: the links other objects held to it in the backup (`incomingLinks`), checked now and
 * re-added where the restore did not bring them back (a membership removed before the object was deleted,
 * a manager changed meanwhile). Memberships are checked with one read of the object's groups.
 */
async function restoreIncomingLinks(change: Change, env: StepEnv): Promise<LinkFailure[]> {
  const incoming = (change.incomingLinks ?? []).filter(
    (l) => (!env.attributes || env.attributes.has(l.link)) && !isProtectedLink(env.protectedGroups, l.type, l.id, l.link),
  );
  if (incoming.length === 0) return [];
  const groups = incoming.some((l) => l.link === "members") ? new Set((await env.directory.memberOf(change.entityTypeName, change.id)) ?? []) : new Set<string>();
  const failures: LinkFailure[] = [];
  for (const l of incoming) {
    let present: boolean;
    if (l.link === "members") present = groups.has(l.id);
    else {
      const targets = await env.directory.getLinkTargets(l.type, l.id, l.link);
      if (targets === null) continue; // the other object is gone: its own change says so
      present = targets.includes(change.id);
    }
    if (present) continue;
    for (const outcome of await env.directory.addLinks(l.type, l.id, l.link, [change.id])) {
      if (outcome.outcome === "failed") failures.push({ link: l.link, outcome: { ...outcome, targetId: `of ${l.type} ${l.id}` } });
    }
  }
  return failures;
}

/** A failed link write with the link it was for. */
interface LinkFailure {
  readonly link: LinkName;
  readonly outcome: LinkWriteOutcome;
}

/**
 * Writes link differences: adds, then removals. A single-valued link (manager) is set with one write that
 * replaces the current target, so its removal needs no write of its own.
 */
async function writeLinks(directory: Directory, type: ObjectType, id: string, plan: readonly LinkChange[]): Promise<LinkFailure[]> {
  const failures: LinkFailure[] = [];
  const keep = (link: LinkName, outcomes: readonly LinkWriteOutcome[]): void => {
    for (const outcome of outcomes) if (outcome.outcome === "failed") failures.push({ link, outcome });
  };
  for (const l of plan) {
    const single = CATALOG[type].links.find((d) => d.name === l.link)?.cardinality === "one";
    if (single) {
      if (l.toAdd[0] !== undefined) keep(l.link, await directory.addLinks(type, id, l.link, [l.toAdd[0]]));
      else if (l.toRemove[0] !== undefined) keep(l.link, await directory.removeLinks(type, id, l.link, [l.toRemove[0]]));
      continue;
    }
    if (l.toAdd.length > 0) keep(l.link, await directory.addLinks(type, id, l.link, l.toAdd));
    if (l.toRemove.length > 0) keep(l.link, await directory.removeLinks(type, id, l.link, l.toRemove));
  }
  return failures;
}

/** Graph's messages, each with the link and the target ids it was about (a few, then how many more). */
function describeFailures(failures: readonly LinkFailure[]): string {
  const byMessage = new Map<string, string[]>();
  for (const f of failures) {
    const key = graphMessage(f.outcome.error);
    const list = byMessage.get(key) ?? [];
    list.push(`${f.link} ${f.outcome.targetId}`);
    byMessage.set(key, list);
  }
  return [...byMessage]
    .map(([message, targets]) => {
      const shown = targets.slice(0, TARGETS_PER_MESSAGE).join(", ");
      const more = targets.length > TARGETS_PER_MESSAGE ? ` and ${targets.length - TARGETS_PER_MESSAGE} more` : "";
      return `${message} (${shown}${more})`;
    })
    .join(" ");
}

/** The object's current targets per link, or null when it is not live. */
async function currentLinks(directory: Directory, type: ObjectType, id: string): Promise<{ links: Map<LinkName, Set<string>>; properties: Readonly<Record<string, unknown>> } | null> {
  const live = await directory.getObject(type, id);
  if (!live) return null;
  return { links: targetSets(live.links), properties: live.object.properties };
}

function targetSets(links: readonly LinksRecord[]): Map<LinkName, Set<string>> {
  const out = new Map<LinkName, Set<string>>();
  for (const l of links) {
    const set = out.get(l.link) ?? new Set<string>();
    for (const t of l.targets) set.add(t.id);
    out.set(l.link, set);
  }
  return out;
}

/** For a resumed update: the report's link differences not yet in place. */
async function remainingLinks(change: Change, directory: Directory): Promise<LinkChange[] | null> {
  const now = await currentLinks(directory, change.entityTypeName, change.id);
  if (!now) return null;
  const out: LinkChange[] = [];
  for (const l of change.deltaFromCurrent.links) {
    const current = now.links.get(l.link) ?? new Set<string>();
    const toAdd = l.toAdd.filter((t) => !current.has(t));
    // A single-valued link set to its backup target has replaced whatever it held.
    const single = CATALOG[change.entityTypeName].links.find((d) => d.name === l.link)?.cardinality === "one";
    const toRemove = single && l.toAdd.length > 0 && toAdd.length === 0 ? [] : l.toRemove.filter((t) => current.has(t));
    if (toAdd.length > 0 || toRemove.length > 0) out.push({ link: l.link, toAdd, toRemove });
  }
  return out;
}

/** For a restored object: every link of its type that still differs from the backup. */
async function restoredObjectLinks(change: Change, env: StepEnv): Promise<LinkChange[] | null> {
  const type = change.entityTypeName;
  const now = await currentLinks(env.directory, type, change.id);
  if (!now) return null;
  const backup = await backupEntry(env, type, change.id);
  const out: LinkChange[] = [];
  for (const def of CATALOG[type].links) {
    if (env.attributes && !env.attributes.has(def.name)) continue;
    if (isProtectedLink(env.protectedGroups, type, change.id, def.name)) continue;
    // Dynamic groups compute their members from a rule: nothing to write back.
    if (def.name === "members" && (isDynamic(now.properties) || isDynamic(backup?.properties ?? {}))) continue;
    const then = new Set(backup?.links.get(def.name) ?? []);
    const current = now.links.get(def.name) ?? new Set<string>();
    const toAdd = [...then].filter((t) => !current.has(t)).sort();
    const toRemove = def.cardinality === "one" && toAdd.length > 0 ? [] : [...current].filter((t) => !then.has(t)).sort();
    if (toAdd.length > 0 || toRemove.length > 0) out.push({ link: def.name, toAdd, toRemove });
  }
  return out;
}

async function backupEntry(env: StepEnv, type: ObjectType, id: string): Promise<{ properties: Readonly<Record<string, unknown>>; links: Map<LinkName, readonly string[]> } | null> {
  for await (const batch of env.store.readBackup(env.tenantId, env.backupId, { types: [type], ids: [id] })) {
    for (const e of batch) {
      if (e.object.id !== id) continue;
      const links = new Map<LinkName, string[]>();
      for (const l of e.links) links.set(l.link, [...(links.get(l.link) ?? []), ...l.targets]);
      return { properties: e.object.properties, links };
    }
  }
  return null;
}

function isDynamic(properties: Readonly<Record<string, unknown>>): boolean {
  const rule = properties["membershipRule"];
  return typeof rule === "string" && rule.length > 0;
}
