import { USER_DEFAULT_SELECT, USER_PROPERTIES } from "./users";
import { GROUP_DEFAULT_SELECT, GROUP_PROPERTIES } from "./groups";
import { APPLICATION_PROPERTIES, SERVICE_PRINCIPAL_PROPERTIES } from "./apps";
import { CA_POLICY_PROPERTIES } from "./policies";
import { entityType, type GraphProperty } from "./graph-model";
import { KINDS, type Kind } from "./kinds";
import type { JsonObject } from "./json";

/**
 * What the simulator knows of each kind's shape, from Graph v1.0's schema (`graph-model.ts`) and, where the
 * schema says nothing (default property sets, read-only properties), from Graph's documentation.
 */

/** The schema's entity types behind each kind (named locations: the base type and its two derived types). */
export const ENTITY_TYPES: Readonly<Record<Kind, readonly string[]>> = {
  user: ["user"],
  group: ["group"],
  application: ["application"],
  servicePrincipal: ["servicePrincipal"],
  conditionalAccessPolicy: ["conditionalAccessPolicy"],
  namedLocation: ["namedLocation", "ipNamedLocation", "countryNamedLocation"],
  directoryRole: ["directoryRole"],
};

/** Structural properties of one schema entity type (base types included). */
export function typeProperties(typeName: string): Readonly<Record<string, GraphProperty>> {
  return entityType(typeName).props;
}

/** A record with one value per kind. */
function perKind<T>(fn: (kind: Kind) => T): Record<Kind, T> {
  const out: Partial<Record<Kind, T>> = {};
  for (const k of KINDS) out[k] = fn(k);
  return out as Record<Kind, T>;
}

/** The names `pick` gives over the kind's schema types, as one set. */
const unionOf = (kind: Kind, pick: (t: string) => readonly string[]): ReadonlySet<string> => new Set(ENTITY_TYPES[kind].flatMap(pick));

/** Every structural property the schema declares on the kind's types: what `$select` and write bodies may name. */
export const SELECTABLE: Readonly<Record<Kind, ReadonlySet<string>>> = perKind((k) => unionOf(k, (t) => Object.keys(typeProperties(t))));

/**
 * What a read's `$select` may name: the properties of the type the path serves. A derived type's own
 * properties (an ip named location's `ipRanges`) are not on the base type, and an unqualified name of one is
 * refused, as OData refuses it; without `$select` each object shows all of its own type's.
 */
export const SELECTABLE_ON_READ: Readonly<Record<Kind, ReadonlySet<string>>> = perKind((k) => new Set(Object.keys(typeProperties(ENTITY_TYPES[k][0] ?? k))));

/** Navigation properties of the kind's types: never plain values in a write body. */
export const NAVIGATION: Readonly<Record<Kind, ReadonlySet<string>>> = perKind((k) => unionOf(k, (t) => entityType(t).nav ?? []));

/** The properties the generator computes per kind (a created object starts with these unset). */
export const MODELED: Readonly<Record<Kind, readonly string[]>> = {
  user: USER_PROPERTIES,
  group: GROUP_PROPERTIES,
  application: APPLICATION_PROPERTIES,
  servicePrincipal: SERVICE_PRINCIPAL_PROPERTIES,
  conditionalAccessPolicy: CA_POLICY_PROPERTIES,
  namedLocation: [
    "id", "displayName", "createdDateTime", "modifiedDateTime", "isTrusted", "ipRanges", "countriesAndRegions",
    "includeUnknownCountriesAndRegions", "countryLookupMethod",
  ],
  directoryRole: ["id", "deletedDateTime", "description", "displayName", "roleTemplateId"],
};

/** A type's properties but `except`, and but media streams (Graph serves those at their own URL, never inline). */
const allOf = (typeName: string, except: readonly string[] = []): string[] =>
  Object.entries(typeProperties(typeName))
    .filter(([name, p]) => !except.includes(name) && p.type !== "Edm.Stream")
    .map(([name]) => name);

/**
 * What Graph returns without `$select`, per kind. Users and groups: a documented subset
 * (https://learn.microsoft.com/graph/api/resources/user, https://learn.microsoft.com/graph/api/group-get example 1);
 * applications, service principals, Conditional Access policies, named locations and directory roles: every
 * property but those the docs mark "returned only on `$select`"
 * (https://learn.microsoft.com/graph/api/serviceprincipal-get example 3: customSecurityAttributes).
 */
export const DEFAULT_SELECT: Readonly<Record<Kind, readonly string[]>> = {
  user: USER_DEFAULT_SELECT,
  group: GROUP_DEFAULT_SELECT,
  application: allOf("application"),
  servicePrincipal: allOf("servicePrincipal", ["customSecurityAttributes"]),
  conditionalAccessPolicy: allOf("conditionalAccessPolicy"),
  namedLocation: [...SELECTABLE.namedLocation],
  directoryRole: allOf("directoryRole"),
};

/**
 * User properties Graph serves only when reading one user (its profile and mailbox services), never in a list
 * (https://learn.microsoft.com/graph/api/user-list#optional-query-parameters).
 */
export const SINGLE_USER_ONLY: ReadonlySet<string> = new Set([
  "aboutMe", "birthday", "hireDate", "interests", "mySite", "pastProjects", "preferredName", "responsibilities",
  "schools", "skills", "mailboxSettings",
]);

/** The authorization policy singleton: every property its schema type declares is selectable and returned by default. */
export const AUTHORIZATION_POLICY_PROPERTIES: ReadonlySet<string> = new Set(allOf("authorizationPolicy"));

/**
 * Properties no client may write. The schema marks none of these types' properties read-only (no
 * `Core.Computed` / `Core.Permissions` annotation on them), so the lists follow the "Read-only" notes of the
 * resource pages (https://learn.microsoft.com/graph/api/resources/user, …/resources/group,
 * …/resources/application, …/resources/serviceprincipal, …/resources/conditionalaccesspolicy,
 * …/resources/namedlocation, …/resources/directoryrole), plus any property the schema does annotate.
 */
const DOCUMENTED_READ_ONLY: Readonly<Record<Kind, readonly string[]>> = {
  user: [
    "id", "deletedDateTime", "assignedLicenses", "assignedPlans", "createdDateTime", "creationType", "externalUserState",
    "externalUserStateChangeDateTime", "imAddresses", "lastPasswordChangeDateTime", "legalAgeGroupClassification", "licenseAssignmentStates",
    "onPremisesDistinguishedName", "onPremisesDomainName", "onPremisesLastSyncDateTime", "onPremisesProvisioningErrors",
    "onPremisesSamAccountName", "onPremisesSecurityIdentifier", "onPremisesSyncEnabled", "onPremisesUserPrincipalName",
    "provisionedPlans", "proxyAddresses", "securityIdentifier", "serviceProvisioningErrors", "signInActivity",
    "signInSessionsValidFromDateTime",
  ],
  group: [
    "id", "deletedDateTime", "assignedLabels", "assignedLicenses", "createdDateTime", "expirationDateTime", "licenseProcessingState", "mail",
    "onPremisesDomainName", "onPremisesLastSyncDateTime", "onPremisesNetBiosName", "onPremisesProvisioningErrors",
    "onPremisesSamAccountName", "onPremisesSecurityIdentifier", "onPremisesSyncEnabled", "proxyAddresses", "renewedDateTime",
    "securityIdentifier", "serviceProvisioningErrors",
  ],
  application: ["id", "deletedDateTime", "appId", "applicationTemplateId", "createdDateTime", "publisherDomain", "disabledByMicrosoftStatus"],
  servicePrincipal: ["id", "deletedDateTime", "appDisplayName", "appOwnerOrganizationId", "applicationTemplateId", "disabledByMicrosoftStatus", "signInAudience"],
  conditionalAccessPolicy: ["id", "deletedDateTime", "createdDateTime", "modifiedDateTime"],
  namedLocation: ["id", "deletedDateTime", "createdDateTime", "modifiedDateTime"],
  directoryRole: ["id", "deletedDateTime", "description", "displayName", "roleTemplateId"],
};

/** Properties no client may write, per kind: the documented ones and any the schema annotates read-only. */
export const READ_ONLY: Readonly<Record<Kind, ReadonlySet<string>>> = perKind(
  (k) => new Set([...DOCUMENTED_READ_ONLY[k], ...unionOf(k, (t) => Object.entries(typeProperties(t)).filter(([, p]) => p.readOnly === true).map(([n]) => n))]),
);

/** Properties a create must carry, per kind (Graph answers 400 without them). */
export const REQUIRED_ON_CREATE: Partial<Record<Kind, readonly string[]>> = {
  user: ["accountEnabled", "displayName", "mailNickname", "userPrincipalName"],
  group: ["displayName", "mailEnabled", "mailNickname", "securityEnabled"],
  application: ["displayName"],
  servicePrincipal: ["appId"],
  conditionalAccessPolicy: ["displayName", "state", "conditions"],
  namedLocation: ["displayName"],
};

/**
 * A fresh object of `kind`: every property the generator models unset as Graph leaves it (`[]` for a
 * collection, `false` for a non-nullable Boolean such as `appRoleAssignmentRequired` or `isTrusted`, whose
 * documented default is false, else null), then `props`.
 */
export function blankObject(kind: Kind, id: string, props: JsonObject): JsonObject {
  const cast = props["@odata.type"];
  const [base, ...derived] = ENTITY_TYPES[kind];
  const short = typeof cast === "string" ? cast.replace(/^#?microsoft\.graph\./, "") : "";
  const declared = typeProperties(derived.includes(short) ? short : (base ?? kind));
  const out: JsonObject = {};
  for (const name of MODELED[kind]) {
    const p = declared[name];
    if (!p) continue; // a property of the other derived type (named locations)
    out[name] = p.collection ? [] : !p.nullable && p.type === "Edm.Boolean" ? false : null;
  }
  out["id"] = id;
  for (const [k, v] of Object.entries(props)) out[k] = v;
  return out;
}
