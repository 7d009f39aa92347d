/**
 * The catalog of supported object types (SPEC §2) as data: properties, which are writable, links and Graph
 * paths. A new object type is one entry here plus its Graph paths; nothing else in the engine names types.
 */

/** Every object type the engine backs up and recovers. */
export const OBJECT_TYPES = [
  "user",
  "group",
  "application",
  "servicePrincipal",
  "conditionalAccessPolicy",
  "namedLocation",
  "authorizationPolicy",
  "authenticationMethodsPolicy",
] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

/** Every link (navigation between objects) the engine backs up and recovers. */
export const LINK_NAMES = ["members", "owners", "manager", "sponsors"] as const;
export type LinkName = (typeof LINK_NAMES)[number];

/** One supported property. `writable: false` properties are backed up and shown, never written back. */
export interface PropertyDef {
  readonly name: string;
  readonly writable: boolean;
}

/** How a link is read in bulk and written one reference at a time. */
export interface LinkDef {
  readonly name: LinkName;
  /** `one` for manager (a single reference), `many` for collections. */
  readonly cardinality: "one" | "many";
  /**
   * How a full read obtains the link for every object of the type:
   * `delta` rides on the type's delta query (`members@delta`, `manager@delta`);
   * `expand` uses a second list pass with `$expand=<name>($select=id)`.
   */
  readonly bulkRead: "delta" | "expand";
  /** Beyond Microsoft's own service (SPEC §2: owners, manager and sponsors). */
  readonly beyondMicrosoft: boolean;
}

/** One supported object type. */
export interface ObjectTypeDef {
  readonly type: ObjectType;
  /** Collection path (`/users`) or singleton path (`/policies/authorizationPolicy`). */
  readonly path: string;
  readonly singleton: boolean;
  /** The Graph `@odata.type` cast used under `/directory/deletedItems/`, when the type can be soft-deleted. */
  readonly deletedItemsCast: string | null;
  /** The delta path, when Graph offers one (only users and groups are read through delta here). */
  readonly deltaPath: string | null;
  /** Whether the list accepts `$top` (directory objects do; policy collections page on their own). */
  readonly listTop: boolean;
  /** Properties selected on read besides the supported ones: identity and the flags recovery decides on. */
  readonly extraSelect: readonly string[];
  readonly properties: readonly PropertyDef[];
  readonly links: readonly LinkDef[];
}

const w = (...names: string[]): PropertyDef[] => names.map((name) => ({ name, writable: true }));
const ro = (...names: string[]): PropertyDef[] => names.map((name) => ({ name, writable: false }));

/** The catalog itself, in the order a recovery restores types (targets of links before their sources). */
export const CATALOG: Readonly<Record<ObjectType, ObjectTypeDef>> = {
  user: {
    type: "user",
    path: "/users",
    singleton: false,
    deletedItemsCast: "microsoft.graph.user",
    deltaPath: "/users/delta",
    listTop: true,
    extraSelect: ["id", "onPremisesSyncEnabled"],
    properties: [
      ...w(
        "accountEnabled", "ageGroup", "city", "companyName", "consentProvidedForMinor", "country", "department",
        "displayName", "employeeHireDate", "employeeId", "employeeLeaveDateTime", "employeeOrgData", "employeeType",
        "faxNumber", "givenName", "jobTitle", "mail", "mailNickname", "mobilePhone", "otherMails",
        "passwordPolicies", "officeLocation", "postalCode", "preferredDataLocation", "preferredLanguage", "state",
        "streetAddress", "surname", "businessPhones", "usageLocation", "userPrincipalName", "userType",
      ),
    ],
    links: [
      { name: "manager", cardinality: "one", bulkRead: "delta", beyondMicrosoft: true },
      { name: "sponsors", cardinality: "many", bulkRead: "expand", beyondMicrosoft: true },
    ],
  },
  group: {
    type: "group",
    path: "/groups",
    singleton: false,
    deletedItemsCast: "microsoft.graph.group",
    deltaPath: "/groups/delta",
    listTop: true,
    extraSelect: ["id", "onPremisesSyncEnabled", "membershipRule", "membershipRuleProcessingState", "isAssignableToRole"],
    properties: w(
      "classification", "description", "displayName", "groupTypes", "visibility", "mail", "mailEnabled",
      "mailNickname", "preferredDataLocation", "preferredLanguage", "securityEnabled", "theme",
    ),
    links: [
      { name: "members", cardinality: "many", bulkRead: "delta", beyondMicrosoft: false },
      { name: "owners", cardinality: "many", bulkRead: "expand", beyondMicrosoft: true },
    ],
  },
  application: {
    type: "application",
    path: "/applications",
    singleton: false,
    deletedItemsCast: "microsoft.graph.application",
    deltaPath: null,
    listTop: true,
    extraSelect: ["id", "appId"],
    properties: [
      ...w(
        "displayName", "description", "notes", "tags", "identifierUris", "isFallbackPublicClient", "publisherDomain",
        "isDeviceOnlyAuthSupported", "serviceManagementReference", "requiredResourceAccess",
        "nativeAuthenticationApisEnabled", "signInAudience", "groupMembershipClaims", "optionalClaims", "isDisabled",
        "addIns", "servicePrincipalLockConfiguration", "info",
      ),
      ...ro("createdDateTime"),
    ],
    links: [],
  },
  servicePrincipal: {
    type: "servicePrincipal",
    path: "/servicePrincipals",
    singleton: false,
    deletedItemsCast: "microsoft.graph.servicePrincipal",
    deltaPath: null,
    listTop: true,
    extraSelect: ["id", "appId"],
    properties: w(
      "accountEnabled", "alternativeNames", "appRoleAssignmentRequired", "description", "loginUrl", "notes",
      "notificationEmailAddresses", "preferredTokenSigningKeyThumbprint", "tags", "servicePrincipalType",
      "preferredSingleSignOnMode", "publisherName", "samlSingleSignOnSettings", "servicePrincipalNames",
    ),
    links: [],
  },
  conditionalAccessPolicy: {
    type: "conditionalAccessPolicy",
    path: "/identity/conditionalAccess/policies",
    singleton: false,
    deletedItemsCast: null,
    deltaPath: null,
    listTop: false,
    extraSelect: ["id"],
    properties: [...w("displayName", "state", "conditions", "grantControls", "sessionControls"), ...ro("createdDateTime", "modifiedDateTime")],
    links: [],
  },
  namedLocation: {
    type: "namedLocation",
    path: "/identity/conditionalAccess/namedLocations",
    singleton: false,
    deletedItemsCast: null,
    deltaPath: null,
    listTop: false,
    extraSelect: ["id"],
    // The two kinds of named location carry different properties; Graph returns only those of the kind.
    properties: [
      ...w("displayName", "isTrusted", "ipRanges", "countriesAndRegions", "includeUnknownCountriesAndRegions", "countryLookupMethod"),
      ...ro("createdDateTime", "modifiedDateTime"),
    ],
    links: [],
  },
  authorizationPolicy: {
    type: "authorizationPolicy",
    path: "/policies/authorizationPolicy",
    singleton: true,
    deletedItemsCast: null,
    deltaPath: null,
    listTop: false,
    extraSelect: ["id"],
    properties: w("blockMsolPowerShell", "guestUserRoleId"),
    links: [],
  },
  authenticationMethodsPolicy: {
    type: "authenticationMethodsPolicy",
    path: "/policies/authenticationMethodsPolicy",
    singleton: true,
    deletedItemsCast: null,
    deltaPath: null,
    listTop: false,
    extraSelect: ["id"],
    properties: w("authenticationMethodConfigurations"),
    links: [],
  },
};

/** Properties written back by recovery for a type. */
export function writableProperties(type: ObjectType): string[] {
  return CATALOG[type].properties.filter((p) => p.writable).map((p) => p.name);
}

/** The `$select` list for a full read of a type: identity, recovery flags and every supported property. */
export function selectFor(type: ObjectType): string[] {
  const def = CATALOG[type];
  return [...new Set([...def.extraSelect, ...def.properties.map((p) => p.name)])];
}

/** Whether `name` is a supported property of `type` (unknown names are refused at every boundary). */
export function isSupportedProperty(type: ObjectType, name: string): boolean {
  return CATALOG[type].properties.some((p) => p.name === name);
}
