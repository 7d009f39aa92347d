import { Dice } from "./prng";
import { KIND_CODE } from "./kinds";
import { isoSeconds, type JsonObject } from "./json";
import { DEPARTMENTS, GROUP_SUFFIXES, GROUP_TOPICS } from "./names";
import type { TenantContext } from "./context";

const DAY = 86400000;
const G = KIND_CODE.group;

/** Microsoft 365 (unified), security, dynamic (rule-computed members) or on-premises synced security groups. */
export type GroupFlavor = "unified" | "security" | "dynamic" | "synced";

/** ~3% synced, ~10% dynamic, ~35% Microsoft 365, the rest security groups (stable per index). */
export function groupFlavor(tenant: TenantContext, g: number): GroupFlavor {
  const r = new Dice(tenant.seed, G, g).int(1, 100);
  return r < 3 ? "synced" : r < 13 ? "dynamic" : r < 48 ? "unified" : "security";
}

export const GROUP_PROPERTIES = [
  "id", "classification", "createdDateTime", "deletedDateTime", "description", "displayName", "expirationDateTime",
  "groupTypes", "isAssignableToRole", "mail", "mailEnabled", "mailNickname", "membershipRule",
  "membershipRuleProcessingState", "onPremisesDomainName", "onPremisesLastSyncDateTime", "onPremisesNetBiosName",
  "onPremisesSamAccountName", "onPremisesSecurityIdentifier", "onPremisesSyncEnabled", "preferredDataLocation",
  "preferredLanguage", "proxyAddresses", "renewedDateTime", "securityEnabled", "securityIdentifier", "theme",
  "visibility",
] as const;

/**
 * What Graph returns for a group when no `$select` is given: the properties of the documented default answer
 * (https://learn.microsoft.com/graph/api/group-get, example 1; "Returned by default" in resources/group).
 */
export const GROUP_DEFAULT_SELECT = [
  "id", "deletedDateTime", "classification", "createdDateTime", "description", "displayName", "expirationDateTime",
  "groupTypes", "isAssignableToRole", "mail", "mailEnabled", "mailNickname", "membershipRule",
  "membershipRuleProcessingState", "onPremisesDomainName", "onPremisesLastSyncDateTime", "onPremisesNetBiosName",
  "onPremisesSamAccountName", "onPremisesSecurityIdentifier", "onPremisesSyncEnabled", "preferredDataLocation",
  "preferredLanguage", "proxyAddresses", "renewedDateTime", "resourceBehaviorOptions", "resourceProvisioningOptions",
  "securityEnabled", "securityIdentifier", "theme", "visibility", "onPremisesProvisioningErrors",
] as const;

/** Builds group `g` from the seed alone. */
export function generateGroup(tenant: TenantContext, g: number): JsonObject {
  const d = new Dice(tenant.seed, G, g);
  const flavor = groupFlavor(tenant, g);
  const topic = d.pick(2, GROUP_TOPICS);
  const displayName = `${topic} ${d.pick(3, GROUP_SUFFIXES)} ${g}`;
  const nick = displayName.toLowerCase().replace(/[^a-z0-9]/g, "");
  const unified = flavor === "unified" || (flavor === "dynamic" && d.chance(4, 0.4));
  const created = tenant.epochMs + d.int(5, 1800) * DAY + d.int(6, DAY);
  const synced = flavor === "synced";
  const department = d.pick(7, DEPARTMENTS);
  return {
    id: tenant.ids.id("group", g),
    classification: unified && d.chance(8, 0.3) ? d.pick(9, ["Low", "Medium", "High"]) : null,
    createdDateTime: isoSeconds(created),
    deletedDateTime: null,
    description: d.chance(10, 0.8) ? `${topic} collaboration space` : null,
    displayName,
    expirationDateTime: null,
    groupTypes: flavor === "dynamic" ? (unified ? ["Unified", "DynamicMembership"] : ["DynamicMembership"]) : unified ? ["Unified"] : [],
    isAssignableToRole: null,
    mail: unified ? `${nick}@${tenant.domain}` : null,
    mailEnabled: unified,
    mailNickname: unified ? nick : synced ? nick : `${nick}-${(d.at(11) & 0xfff).toString(16)}`,
    membershipRule: flavor === "dynamic" ? `(user.department -eq "${department}")` : null,
    membershipRuleProcessingState: flavor === "dynamic" ? "On" : null,
    onPremisesDomainName: synced ? "corp.contoso.com" : null,
    onPremisesLastSyncDateTime: synced ? isoSeconds(tenant.epochMs + 2500 * DAY + d.int(12, DAY)) : null,
    onPremisesNetBiosName: synced ? "CORP" : null,
    onPremisesSamAccountName: synced ? nick.slice(0, 20) : null,
    onPremisesSecurityIdentifier: synced ? `S-1-5-21-1004336348-1177238915-682003330-${50000 + g}` : null,
    onPremisesSyncEnabled: synced ? true : null,
    preferredDataLocation: null,
    preferredLanguage: null,
    proxyAddresses: unified ? [`SMTP:${nick}@${tenant.domain}`] : [],
    renewedDateTime: isoSeconds(created),
    securityEnabled: !unified || d.chance(13, 0.2),
    securityIdentifier: `S-1-12-1-${d.at(14)}-${d.at(15)}-${d.at(16)}-${g}`,
    theme: unified && d.chance(17, 0.2) ? d.pick(18, ["Teal", "Purple", "Green", "Blue", "Pink", "Orange", "Red"]) : null,
    visibility: unified ? (d.chance(19, 0.6) ? "Private" : "Public") : null,
  };
}
