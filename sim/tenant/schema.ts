import { USER_DEFAULT_SELECT, USER_PROPERTIES } from "./users";
import { GROUP_PROPERTIES } from "./groups";
import { APPLICATION_PROPERTIES, SERVICE_PRINCIPAL_PROPERTIES } from "./apps";
import { CA_POLICY_PROPERTIES } from "./policies";
import type { Kind } from "./kinds";
import type { JsonObject } from "./json";

/** Properties a client may name in `$select` and in writes, per kind. */
export const SELECTABLE: Readonly<Record<Kind, ReadonlySet<string>>> = {
  user: new Set(USER_PROPERTIES),
  group: new Set(GROUP_PROPERTIES),
  application: new Set(APPLICATION_PROPERTIES),
  servicePrincipal: new Set(SERVICE_PRINCIPAL_PROPERTIES),
  conditionalAccessPolicy: new Set(CA_POLICY_PROPERTIES),
  namedLocation: new Set([
    "id", "displayName", "createdDateTime", "modifiedDateTime", "isTrusted", "ipRanges", "countriesAndRegions",
    "includeUnknownCountriesAndRegions", "countryLookupMethod",
  ]),
  directoryRole: new Set(["id", "deletedDateTime", "description", "displayName", "roleTemplateId"]),
};

/** Kinds whose list answers carry only a default property set when no `$select` is given. */
export const DEFAULT_SELECT: Partial<Record<Kind, readonly string[]>> = { user: USER_DEFAULT_SELECT };

/** Properties no client may write (Graph refuses or ignores them); everything else selectable is writable. */
export const READ_ONLY: Readonly<Record<Kind, ReadonlySet<string>>> = {
  user: new Set(["id", "createdDateTime", "deletedDateTime", "creationType", "externalUserState", "onPremisesDistinguishedName", "onPremisesDomainName", "onPremisesLastSyncDateTime", "onPremisesSamAccountName", "onPremisesSecurityIdentifier", "onPremisesSyncEnabled", "onPremisesUserPrincipalName", "proxyAddresses"]),
  group: new Set(["id", "createdDateTime", "deletedDateTime", "expirationDateTime", "onPremisesDomainName", "onPremisesLastSyncDateTime", "onPremisesNetBiosName", "onPremisesSamAccountName", "onPremisesSecurityIdentifier", "onPremisesSyncEnabled", "proxyAddresses", "renewedDateTime", "securityIdentifier"]),
  application: new Set(["id", "appId", "createdDateTime", "deletedDateTime"]),
  servicePrincipal: new Set(["id", "appId", "appDisplayName", "appOwnerOrganizationId", "deletedDateTime"]),
  conditionalAccessPolicy: new Set(["id", "createdDateTime", "modifiedDateTime"]),
  namedLocation: new Set(["id", "createdDateTime", "modifiedDateTime"]),
  directoryRole: new Set(["id", "deletedDateTime", "description", "displayName", "roleTemplateId"]),
};

/** Properties a create must carry, per kind (Graph answers 400 without them). */
export const REQUIRED_ON_CREATE: Partial<Record<Kind, readonly string[]>> = {
  user: ["accountEnabled", "displayName", "mailNickname", "userPrincipalName"],
  group: ["displayName", "mailEnabled", "mailNickname", "securityEnabled"],
  application: ["displayName"],
  servicePrincipal: ["appId"],
  conditionalAccessPolicy: ["displayName", "state", "conditions"],
  namedLocation: ["displayName"],
};

/** A fresh object of `kind` with every selectable property null, then `props`. */
export function blankObject(kind: Kind, id: string, props: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const p of SELECTABLE[kind]) out[p] = null;
  out["id"] = id;
  for (const [k, v] of Object.entries(props)) out[k] = v;
  return out;
}
