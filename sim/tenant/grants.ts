import { Dice } from "./prng";
import { KIND_CODE } from "./kinds";
import { isoSeconds, type JsonObject } from "./json";
import { appHasGrant, appHasRoles, appRoles, graphSpIndex } from "./apps";
import type { TenantContext } from "./context";

const DAY = 86400000;

function guidBytes(guid: string): Buffer {
  return Buffer.from(guid.replace(/-/g, ""), "hex");
}

function bytesGuid(b: Buffer): string {
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The number of generated AllPrincipals grants (one per third application). */
export function grantCount(tenant: TenantContext): number {
  return Math.ceil(tenant.spec.applications / 3);
}

/** The client service principal index of grant k. */
export function grantClient(k: number): number {
  return k * 3;
}

/** Grant ids look like Graph's: base64url of the client and resource object ids. */
export function grantId(tenant: TenantContext, k: number): string {
  const client = tenant.ids.id("servicePrincipal", grantClient(k));
  const resource = tenant.ids.id("servicePrincipal", graphSpIndex(tenant));
  return Buffer.concat([guidBytes(client), guidBytes(resource)]).toString("base64url");
}

/** Maps a grant id back to its index, or undefined. */
export function parseGrantId(tenant: TenantContext, id: string): number | undefined {
  if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
  const b = Buffer.from(id, "base64url");
  if (b.length !== 32) return undefined;
  const client = tenant.ids.parse(bytesGuid(b.subarray(0, 16)));
  if (client?.kind !== "servicePrincipal" || !appHasGrant(client.index) || client.index >= tenant.spec.applications) return undefined;
  const k = client.index / 3;
  return grantId(tenant, k) === id ? k : undefined;
}

export function generateGrant(tenant: TenantContext, k: number): JsonObject {
  return {
    clientId: tenant.ids.id("servicePrincipal", grantClient(k)),
    consentType: "AllPrincipals",
    id: grantId(tenant, k),
    principalId: null,
    resourceId: tenant.ids.id("servicePrincipal", graphSpIndex(tenant)),
    scope: appHasGrant(grantClient(k)) ? "User.Read openid profile offline_access" : "",
  };
}

/** Who holds an app role of service principal s: a few users and groups (only apps that publish roles). */
export function appRoleAssignees(tenant: TenantContext, s: number): Array<{ kind: "user" | "group"; index: number; role: number }> {
  if (s >= tenant.spec.applications || !appHasRoles(s)) return [];
  const d = new Dice(tenant.seed, KIND_CODE.servicePrincipal, s);
  const n = 1 + d.int(40, 4);
  const out: Array<{ kind: "user" | "group"; index: number; role: number }> = [];
  const seen = new Set<string>();
  for (let k = 0; k < n; k++) {
    const useGroup = tenant.spec.groups > 0 && d.chance(41 + k, 0.3);
    const kind = useGroup ? "group" : "user";
    const index = d.int(50 + k, useGroup ? tenant.spec.groups : tenant.spec.users);
    if (seen.has(`${kind}${index}`)) continue;
    seen.add(`${kind}${index}`);
    out.push({ kind, index, role: d.int(60 + k, 2) });
  }
  return out;
}

/** One appRoleAssignment as Graph lists it under /servicePrincipals/{id}/appRoleAssignedTo. */
export function appRoleAssignment(
  tenant: TenantContext,
  s: number,
  a: { kind: "user" | "group"; index: number; role: number },
  principalDisplayName: string | null,
  resourceDisplayName: string | null,
): JsonObject {
  const principalId = tenant.ids.id(a.kind, a.index);
  const tail = Buffer.alloc(8);
  tail.writeUInt32LE(s, 0);
  tail.writeUInt32LE(a.index, 4);
  return {
    id: Buffer.concat([guidBytes(principalId), tail]).toString("base64url"),
    appRoleId: appRoles(tenant, s)[a.role]?.["id"] ?? null,
    createdDateTime: isoSeconds(tenant.epochMs + (s % 1000) * DAY),
    deletedDateTime: null,
    principalDisplayName,
    principalId,
    principalType: a.kind === "user" ? "User" : "Group",
    resourceDisplayName,
    resourceId: tenant.ids.id("servicePrincipal", s),
  };
}
