import { Agent, fetch } from "undici";
import { z } from "zod";

/**
 * Drift: changes a tenant the way admins (and accidents) do, through plain Graph HTTPS calls only, so the
 * changes reach the simulator exactly as they would reach Microsoft Graph. Used by demos, tests and benchmarks.
 */

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const Page = z.object({ value: z.array(z.record(z.string(), z.unknown())), "@odata.nextLink": z.string().optional() });

/** The outcome of one Graph call. */
export interface DriftResult {
  status: number;
  ok: boolean;
  body: unknown;
  error?: { code: string; message: string };
}

export type DirectoryCollection = "users" | "groups" | "applications" | "servicePrincipals";

const directoryObject = (id: string): { "@odata.id": string } => ({ "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });

/** A minimal Graph client that trusts the simulator's CA (verification stays on). */
export class DriftClient {
  private readonly agent: Agent;

  constructor(private readonly url: string, ca: string, private readonly token = "drift-token") {
    this.agent = new Agent({ connect: { ca } });
  }

  async request(method: string, path: string, body?: unknown): Promise<DriftResult> {
    const target = path.startsWith("https://") ? path : `${this.url}/v1.0${path}`;
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}` };
    const init: NonNullable<Parameters<typeof fetch>[1]> = { method, headers, dispatcher: this.agent };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const res = await fetch(target, init);
    const text = await res.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    const result: DriftResult = { status: res.status, ok: res.status < 300, body: parsed };
    const err = ErrorBody.safeParse(parsed);
    if (err.success) result.error = err.data.error;
    return result;
  }

  /** Every item of a list, following next links. */
  async list(path: string): Promise<Array<Record<string, unknown>>> {
    const out: Array<Record<string, unknown>> = [];
    let next: string | undefined = path;
    while (next !== undefined) {
      const r = await this.request("GET", next);
      const page = Page.safeParse(r.body);
      if (!r.ok || !page.success) throw new Error(`GET ${next} failed: ${r.status} ${r.error?.message ?? ""}`);
      out.push(...page.data.value);
      next = page.data["@odata.nextLink"];
    }
    return out;
  }

  softDelete(collection: DirectoryCollection, id: string): Promise<DriftResult> {
    return this.request("DELETE", `/${collection}/${id}`);
  }
  /** Permanently deletes an object that is already in deleted items. */
  hardDelete(id: string): Promise<DriftResult> {
    return this.request("DELETE", `/directory/deletedItems/${id}`);
  }
  restore(id: string): Promise<DriftResult> {
    return this.request("POST", `/directory/deletedItems/${id}/restore`);
  }
  patch(collection: string, id: string, props: Record<string, unknown>): Promise<DriftResult> {
    return this.request("PATCH", `/${collection}/${id}`, props);
  }
  addMember(groupId: string, memberId: string): Promise<DriftResult> {
    return this.request("POST", `/groups/${groupId}/members/$ref`, directoryObject(memberId));
  }
  removeMember(groupId: string, memberId: string): Promise<DriftResult> {
    return this.request("DELETE", `/groups/${groupId}/members/${memberId}/$ref`);
  }
  addOwner(groupId: string, ownerId: string): Promise<DriftResult> {
    return this.request("POST", `/groups/${groupId}/owners/$ref`, directoryObject(ownerId));
  }
  removeOwner(groupId: string, ownerId: string): Promise<DriftResult> {
    return this.request("DELETE", `/groups/${groupId}/owners/${ownerId}/$ref`);
  }
  setManager(userId: string, managerId: string): Promise<DriftResult> {
    return this.request("PUT", `/users/${userId}/manager/$ref`, { "@odata.id": `https://graph.microsoft.com/v1.0/users/${managerId}` });
  }
  removeManager(userId: string): Promise<DriftResult> {
    return this.request("DELETE", `/users/${userId}/manager/$ref`);
  }
  addSponsor(userId: string, sponsorId: string): Promise<DriftResult> {
    return this.request("POST", `/users/${userId}/sponsors/$ref`, directoryObject(sponsorId));
  }
  /** PATCHes a policy by path: `/identity/conditionalAccess/policies/{id}`, `/policies/authorizationPolicy`, … */
  editPolicy(path: string, props: Record<string, unknown>): Promise<DriftResult> {
    return this.request("PATCH", path, props);
  }
  createGroup(props: Record<string, unknown>): Promise<DriftResult> {
    return this.request("POST", "/groups", props);
  }
  /** An edit made on-premises and synced up (through the simulator's control, as Graph has no such call). */
  syncEdit(id: string, props: Record<string, unknown>): Promise<DriftResult> {
    return this.request("POST", `${this.url}/_sim/sync`, { id, properties: props });
  }
  createUser(props: Record<string, unknown>): Promise<DriftResult> {
    return this.request("POST", "/users", props);
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** One change `applyDemoDrift` made (or tried: some are expected to fail, like Graph would make them fail). */
export interface DriftAction {
  action: string;
  targetId: string;
  status: number;
  /** The status Graph is expected to answer; a mismatch means the simulator (or tenant) is not as assumed. */
  expectedStatus: number;
  error?: string;
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** Ids of the demo's fixed people (sim/README.md): drift leaves them alone so demos can still sign in. */
const FIXED_PEOPLE = new Set(["1", "2", "3", "4", "5"].map((n) => `0a0a0a0a-0000-4000-8000-00000000000${n}`));

/**
 * A realistic handful of changes to the demo tenant: a deleted user, an edited department, three members
 * removed and one added, an owner and a manager changed, a Conditional Access policy disabled, a new group,
 * a refused edit of a synced user, and a permanently deleted user.
 */
export async function applyDemoDrift(url: string, ca: string): Promise<DriftAction[]> {
  const c = new DriftClient(url, ca);
  const done: DriftAction[] = [];
  const record = (action: string, targetId: string, r: DriftResult, expectedStatus: number): void => {
    const a: DriftAction = { action, targetId, status: r.status, expectedStatus };
    if (r.error) a.error = r.error.message;
    done.push(a);
  };
  try {
    const users = await c.list("/users?$top=999&$select=id,displayName,userType,onPremisesSyncEnabled,department");
    const cloud = users.filter((u) => u["userType"] === "Member" && u["onPremisesSyncEnabled"] !== true && !FIXED_PEOPLE.has(str(u["id"])));
    const synced = users.find((u) => u["onPremisesSyncEnabled"] === true);
    const groups = await c.list("/groups?$top=999&$select=id,displayName,groupTypes,onPremisesSyncEnabled");
    const staticGroups = groups.filter((g) => Array.isArray(g["groupTypes"]) && !g["groupTypes"].includes("DynamicMembership") && g["onPremisesSyncEnabled"] !== true);
    const pick = (i: number): string => str(cloud[i % cloud.length]?.["id"]);

    const deleted = pick(20);
    record("soft-delete user", deleted, await c.softDelete("users", deleted), 204);

    const edited = pick(21);
    record("edit department", edited, await c.patch("users", edited, { department: "Strategy" }), 204);

    let group = "";
    let members: string[] = [];
    for (const g of staticGroups) {
      const m = (await c.list(`/groups/${str(g["id"])}/members?$select=id&$top=999`)).map((x) => str(x["id"]));
      if (m.filter((id) => id !== deleted).length >= 4) {
        group = str(g["id"]);
        members = m.filter((id) => id !== deleted);
        break;
      }
    }
    for (const m of members.slice(0, 3)) record("remove member", `${group}/${m}`, await c.removeMember(group, m), 204);
    const newcomer = cloud.map((u) => str(u["id"])).find((id) => !members.includes(id) && id !== deleted) ?? "";
    record("add member", `${group}/${newcomer}`, await c.addMember(group, newcomer), 204);

    const owners = (await c.list(`/groups/${group}/owners?$select=id`)).map((x) => str(x["id"]));
    const newOwner = pick(22);
    record("add owner", `${group}/${newOwner}`, await c.addOwner(group, newOwner), 204);
    if (owners[0]) record("remove owner", `${group}/${owners[0]}`, await c.removeOwner(group, owners[0]), 204);

    const report = pick(23);
    record("change manager", report, await c.setManager(report, pick(24)), 204);

    const policies = await c.list("/identity/conditionalAccess/policies");
    const enabled = policies.find((p) => p["state"] === "enabled");
    const policyId = str(enabled?.["id"]);
    record("disable CA policy", policyId, await c.editPolicy(`/identity/conditionalAccess/policies/${policyId}`, { state: "disabled" }), 204);

    const created = await c.createGroup({ displayName: "Drift project team", mailEnabled: false, mailNickname: "driftproject", securityEnabled: true });
    record("create group", str((created.body as Record<string, unknown> | undefined)?.["id"]), created, 201);

    const syncedId = str(synced?.["id"]);
    record("edit synced user (refused)", syncedId, await c.patch("users", syncedId, { department: "Cloud edit" }), 400);
    record("edit synced user on-premises", syncedId, await c.syncEdit(syncedId, { department: "Edited on-premises" }), 200);

    const purged = pick(25);
    record("soft-delete user", purged, await c.softDelete("users", purged), 204);
    record("hard-delete user", purged, await c.hardDelete(purged), 204);
  } finally {
    await c.close();
  }
  return done;
}
