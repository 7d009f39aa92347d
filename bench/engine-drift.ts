import { DriftClient } from "../sim/drift";
import { BatchSender, type GraphOp, type SendFigures } from "./batch-sender";

/**
 * Bulk drift for the engine benchmark: changes `objects` objects of a simulated tenant through Graph (`$batch`
 * of 20, several in flight) in a realistic mix, each object changed once, so a difference report should list
 * about `objects` changes. Directory role holders are left alone (the benchmark acts as one of them).
 */
export interface DriftRequest {
  /** Objects to change. */
  readonly objects: number;
  /** Picks and values differ per seed (a day of the storage benchmark). */
  readonly seed: number;
}

/** Shares of the changed objects per kind of change; user department edits take the rest. */
export const DRIFT_MIX = {
  userManager: 0.01,
  groupMembers: 0.04,
  groupDescription: 0.02,
  userSoftDelete: 0.03,
  groupSoftDelete: 0.005,
  groupCreate: 0.005,
} as const;

export type DriftKind = keyof typeof DRIFT_MIX | "userDepartment";

/** What a drift did: objects planned per kind, and how Graph answered. */
export interface DriftFigures {
  readonly planned: Record<DriftKind, number>;
  readonly objects: number;
  readonly requests: number;
  readonly listSeconds: number;
  readonly send: SendFigures;
  readonly writesPerSecond: number;
}

type Row = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** A small seeded generator (mulberry32), so a drift is the same for the same seed and tenant. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function shuffled<T>(xs: readonly T[], random: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Takes `n` items off the front of a pool (fewer when it runs dry). */
function take<T>(pool: T[], n: number): T[] {
  return pool.splice(0, Math.min(n, pool.length));
}

const ref = (id: string): { "@odata.id": string } => ({ "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });

/** Reads what the plan picks from: cloud users and groups, with up to 20 members of each group. */
async function readTenant(client: DriftClient): Promise<{ users: string[]; groups: Row[]; staticGroups: Row[] }> {
  const protectedIds = new Set<string>();
  for (const role of await client.list("/directoryRoles?$select=id")) {
    for (const m of await client.list(`/directoryRoles/${str(role["id"])}/members?$select=id`)) protectedIds.add(str(m["id"]));
  }
  const users = (await client.list("/users?$top=999&$select=id,onPremisesSyncEnabled"))
    .filter((u) => u["onPremisesSyncEnabled"] !== true && !protectedIds.has(str(u["id"])))
    .map((u) => str(u["id"]));
  const groups = (await client.list("/groups?$top=999&$select=id,groupTypes,onPremisesSyncEnabled&$expand=members($select=id)")).filter(
    (g) => g["onPremisesSyncEnabled"] !== true,
  );
  const staticGroups = groups.filter((g) => Array.isArray(g["groupTypes"]) && !g["groupTypes"].includes("DynamicMembership"));
  return { users, groups, staticGroups };
}

/** Plans the mix as Graph requests, edits apart from deletes (sent after them); each object is picked once. */
function plan(req: DriftRequest, tenant: { users: string[]; groups: Row[]; staticGroups: Row[] }): { edits: GraphOp[]; deletes: GraphOp[]; planned: Record<DriftKind, number> } {
  const random = prng(req.seed);
  const n = (share: number): number => Math.round(req.objects * share);
  const users = shuffled(tenant.users, random);
  const everyUser = [...users];
  const edits: GraphOp[] = [];

  const deletedUsers = new Set(take(users, n(DRIFT_MIX.userSoftDelete)));
  const live = everyUser.filter((u) => !deletedUsers.has(u));
  const someLiveUser = (): string => live[Math.floor(random() * live.length)]!;

  const staticGroups = shuffled(tenant.staticGroups, random).filter((g) => memberIds(g).some((m) => !deletedUsers.has(m)));
  const memberGroups = take(staticGroups, n(DRIFT_MIX.groupMembers));
  const chosen = new Set(memberGroups.map((g) => str(g["id"])));
  const otherGroups = shuffled(tenant.groups.filter((g) => !chosen.has(str(g["id"]))), random);
  const describedGroups = take(otherGroups, n(DRIFT_MIX.groupDescription));
  const deletedGroups = take(otherGroups, n(DRIFT_MIX.groupSoftDelete));
  const managed = take(users, n(DRIFT_MIX.userManager));
  const creates = n(DRIFT_MIX.groupCreate);
  const others = deletedUsers.size + memberGroups.length + describedGroups.length + deletedGroups.length + managed.length + creates;
  const departments = take(users, Math.max(0, req.objects - others));

  for (const id of departments) edits.push({ method: "PATCH", url: `/users/${id}`, body: { department: `Drift ${req.seed} ${Math.floor(random() * 100)}` } });
  for (const id of managed) {
    let manager = someLiveUser();
    while (manager === id) manager = someLiveUser();
    edits.push({ method: "PUT", url: `/users/${id}/manager/$ref`, body: { "@odata.id": `https://graph.microsoft.com/v1.0/users/${manager}` } });
  }
  for (const g of memberGroups) {
    const id = str(g["id"]);
    const members = memberIds(g);
    const removed = members.find((m) => !deletedUsers.has(m))!;
    let added = someLiveUser();
    while (members.includes(added)) added = someLiveUser();
    edits.push({ method: "DELETE", url: `/groups/${id}/members/${removed}/$ref` });
    edits.push({ method: "POST", url: `/groups/${id}/members/$ref`, body: ref(added) });
  }
  for (const g of describedGroups) edits.push({ method: "PATCH", url: `/groups/${str(g["id"])}`, body: { description: `Drift ${req.seed}: edited by the benchmark` } });
  for (let i = 0; i < creates; i++) {
    const nick = `drift${req.seed}x${i}`;
    edits.push({ method: "POST", url: "/groups", body: { displayName: `Drift ${req.seed} group ${i}`, mailEnabled: false, mailNickname: nick, securityEnabled: true } });
  }
  // Deletes go after every edit: one batched with an edit touching the same object would race it.
  const deletes: GraphOp[] = [
    ...deletedGroups.map((g): GraphOp => ({ method: "DELETE", url: `/groups/${str(g["id"])}` })),
    ...[...deletedUsers].map((id): GraphOp => ({ method: "DELETE", url: `/users/${id}` })),
  ];
  const planned: Record<DriftKind, number> = {
    userDepartment: departments.length,
    userManager: managed.length,
    groupMembers: memberGroups.length,
    groupDescription: describedGroups.length,
    userSoftDelete: deletedUsers.size,
    groupSoftDelete: deletedGroups.length,
    groupCreate: creates,
  };
  return { edits, deletes, planned };
}

function memberIds(g: Row): string[] {
  const members = g["members"];
  return Array.isArray(members) ? members.map((m: unknown) => str((m as Row)["id"])).filter((id) => id.length > 0) : [];
}

/** Reads the tenant, plans the mix and sends it; the simulator's throttling should be off. */
export async function applyBulkDrift(url: string, ca: string, req: DriftRequest): Promise<DriftFigures> {
  const client = new DriftClient(url, ca);
  const sender = new BatchSender(url, ca);
  try {
    const listed = performance.now();
    const tenant = await readTenant(client);
    const listSeconds = (performance.now() - listed) / 1000;
    const { edits, deletes, planned } = plan(req, tenant);
    const a = await sender.send(edits);
    const b = await sender.send(deletes);
    const byStatus: Record<string, number> = { ...a.byStatus };
    for (const [k, v] of Object.entries(b.byStatus)) byStatus[k] = (byStatus[k] ?? 0) + v;
    const send: SendFigures = { ops: a.ops + b.ops, seconds: round(a.seconds + b.seconds), byStatus, sampleErrors: [...a.sampleErrors, ...b.sampleErrors] };
    const objects = Object.values(planned).reduce((s, x) => s + x, 0);
    return { planned, objects, requests: send.ops, listSeconds: round(listSeconds), send, writesPerSecond: Math.round(send.ops / send.seconds) };
  } finally {
    await sender.close();
    await client.close();
  }
}

const round = (x: number): number => Math.round(x * 100) / 100;
