/**
 * The catalog of supported object types as data: properties, which are writable, links and Graph
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
  /** Beyond Microsoft's own service, which does not recover these links (owners, manager and sponsors). */
  readonly beyondMicrosoft: boolean;
}

/**
 * Where Graph keeps a type's soft-deleted objects. Directory objects share `/directory/deletedItems` (listed
 * per type through a cast); Conditional Access keeps its own (`/identity/conditionalAccess/deletedItems/…`).
 * One item is `<itemPath>/{id}`, restored by `POST <itemPath>/{id}/restore`, deleted for good by DELETE.
 */
export interface DeletedItemsDef {
  /** The container this type's deleted objects are listed, read, restored or purged under. */
  readonly itemPath: string;
  /** The `@odata.type` (without `#`) that tells this type apart where the container holds several, else null. */
  readonly cast: string | null;
}

/**
 * A contained collection that belongs to an object but that Graph writes item by item (a navigation
 * property with `ContainsTarget`, never part of the owner's PATCH): the authentication methods policy's
 * method configurations. The backup keeps the list under `name`; a difference is reported per item and
 * property (`<name>/<itemId>/<property>`), and recovery PATCHes each changed item at `<path>/{itemId}` with
 * its derived type and only its changed properties.
 */
export interface ContainedDef {
  readonly name: string;
  /** The collection's Graph path. */
  readonly path: string;
  /** Per known item id: its derived `@odata.type` (sent with each PATCH) and the name admins know it by. */
  readonly items: Readonly<Record<string, { readonly odataType: string; readonly label: string }>>;
  /**
   * Item properties that are navigation properties of their own (Graph's schema contains them in the item and
   * writes them at their own path, never in the item's PATCH): backed up and shown in the backup, not compared
   * for recovery, so nothing writes them the wrong way.
   */
  readonly notWritten: readonly string[];
}

/** One supported object type. */
export interface ObjectTypeDef {
  readonly type: ObjectType;
  /** Collection path (`/users`) or singleton path (`/policies/authorizationPolicy`). */
  readonly path: string;
  readonly singleton: boolean;
  /** Where its soft-deleted objects are, when Graph soft-deletes the type; null when a delete is for good. */
  readonly deletedItems: DeletedItemsDef | null;
  /** A collection Graph writes item by item, read and backed up with the object. */
  readonly contained: ContainedDef | null;
  /**
   * Whether reads name the properties in `$select`. Not for the authentication methods policy (its GET takes no
   * query option) nor named locations (two derived types, whose properties an unqualified `$select` of the base
   * type cannot name; Graph answers each with all of its own without one).
   */
  readonly selectOnRead: boolean;
  /** The delta path, when Graph offers one (only users and groups are read through delta here). */
  readonly deltaPath: string | null;
  /** Whether the list accepts `$top` (directory objects do; policy collections page on their own). */
  readonly listTop: boolean;
  /** Properties selected on read besides the supported ones: identity and the flags recovery decides on. */
  readonly extraSelect: readonly string[];
  readonly properties: readonly PropertyDef[];
  readonly links: readonly LinkDef[];
}

/** Conditional Access keeps deleted policies and named locations in its own deleted items (Graph v1.0). */
const CA_DELETED_POLICIES = "/identity/conditionalAccess/deletedItems/policies";
const CA_DELETED_LOCATIONS = "/identity/conditionalAccess/deletedItems/namedLocations";

/** The method configurations of the authentication methods policy, by id, with their derived types (Graph v1.0). */
const METHOD_CONFIGURATIONS: ContainedDef["items"] = {
  Email: { odataType: "#microsoft.graph.emailAuthenticationMethodConfiguration", label: "Email OTP" },
  Fido2: { odataType: "#microsoft.graph.fido2AuthenticationMethodConfiguration", label: "Passkey (FIDO2)" },
  MicrosoftAuthenticator: { odataType: "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration", label: "Microsoft Authenticator" },
  Voice: { odataType: "#microsoft.graph.voiceAuthenticationMethodConfiguration", label: "Voice call" },
  Sms: { odataType: "#microsoft.graph.smsAuthenticationMethodConfiguration", label: "SMS" },
  SoftwareOath: { odataType: "#microsoft.graph.softwareOathAuthenticationMethodConfiguration", label: "Third-party software OATH tokens" },
  TemporaryAccessPass: { odataType: "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration", label: "Temporary Access Pass" },
  X509Certificate: { odataType: "#microsoft.graph.x509CertificateAuthenticationMethodConfiguration", label: "Certificate-based authentication" },
  QRCodePin: { odataType: "#microsoft.graph.qrCodePinAuthenticationMethodConfiguration", label: "QR code" },
};

const w = (...names: string[]): PropertyDef[] => names.map((name) => ({ name, writable: true }));
const ro = (...names: string[]): PropertyDef[] => names.map((name) => ({ name, writable: false }));

/** The catalog itself, in the order a recovery restores types (targets of links before their sources). */
export const CATALOG: Readonly<Record<ObjectType, ObjectTypeDef>> = {
  user: {
    type: "user",
    path: "/users",
    singleton: false,
    deletedItems: { itemPath: "/directory/deletedItems", cast: "microsoft.graph.user" },
    contained: null,
    selectOnRead: true,
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
    deletedItems: { itemPath: "/directory/deletedItems", cast: "microsoft.graph.group" },
    contained: null,
    selectOnRead: true,
    deltaPath: "/groups/delta",
    listTop: true,
    extraSelect: ["id", "onPremisesSyncEnabled", "membershipRule", "membershipRuleProcessingState", "isAssignableToRole"],
    // `mail` is read-only in Graph (https://learn.microsoft.com/graph/api/resources/group): shown, never written.
    properties: [
      ...w(
        "classification", "description", "displayName", "groupTypes", "visibility", "mailEnabled",
        "mailNickname", "preferredDataLocation", "preferredLanguage", "securityEnabled", "theme",
      ),
      ...ro("mail"),
    ],
    links: [
      { name: "members", cardinality: "many", bulkRead: "delta", beyondMicrosoft: false },
      { name: "owners", cardinality: "many", bulkRead: "expand", beyondMicrosoft: true },
    ],
  },
  application: {
    type: "application",
    path: "/applications",
    singleton: false,
    deletedItems: { itemPath: "/directory/deletedItems", cast: "microsoft.graph.application" },
    contained: null,
    selectOnRead: true,
    deltaPath: null,
    listTop: true,
    extraSelect: ["id", "appId"],
    properties: [
      ...w(
        "displayName", "description", "notes", "tags", "identifierUris", "isFallbackPublicClient",
        "isDeviceOnlyAuthSupported", "serviceManagementReference", "requiredResourceAccess",
        "nativeAuthenticationApisEnabled", "signInAudience", "groupMembershipClaims", "optionalClaims", "isDisabled",
        "addIns", "servicePrincipalLockConfiguration", "info",
      ),
      // `publisherDomain` is read-only in Graph (https://learn.microsoft.com/graph/api/resources/application).
      ...ro("createdDateTime", "publisherDomain"),
    ],
    links: [],
  },
  servicePrincipal: {
    type: "servicePrincipal",
    path: "/servicePrincipals",
    singleton: false,
    deletedItems: { itemPath: "/directory/deletedItems", cast: "microsoft.graph.servicePrincipal" },
    contained: null,
    selectOnRead: true,
    deltaPath: null,
    listTop: true,
    extraSelect: ["id", "appId"],
    properties: w(
      "accountEnabled", "alternativeNames", "appRoleAssignmentRequired", "description", "loginUrl", "notes",
      "notificationEmailAddresses", "preferredTokenSigningKeyThumbprint", "tags", "servicePrincipalType",
      "preferredSingleSignOnMode", "samlSingleSignOnSettings", "servicePrincipalNames",
    ),
    links: [],
  },
  conditionalAccessPolicy: {
    type: "conditionalAccessPolicy",
    path: "/identity/conditionalAccess/policies",
    singleton: false,
    deletedItems: { itemPath: CA_DELETED_POLICIES, cast: null },
    contained: null,
    selectOnRead: true,
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
    deletedItems: { itemPath: CA_DELETED_LOCATIONS, cast: null },
    contained: null,
    selectOnRead: false,
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
    deletedItems: null,
    contained: null,
    selectOnRead: true,
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
    deletedItems: null,
    contained: {
      name: "authenticationMethodConfigurations",
      path: "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations",
      items: METHOD_CONFIGURATIONS,
      // A method's includeTargets (who may use it) is a contained navigation property in Graph v1.0's schema.
      notWritten: ["includeTargets"],
    },
    selectOnRead: false,
    deltaPath: null,
    listTop: false,
    extraSelect: ["id"],
    // Graph's docs call description, displayName, policyVersion and lastModifiedDateTime read-only.
    properties: [...w("registrationEnforcement", "policyMigrationState"), ...ro("description", "displayName", "policyVersion", "lastModifiedDateTime")],
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

/** Whether `name` is a supported property (or contained collection) of `type` (unknown names are refused at every boundary). */
export function isSupportedProperty(type: ObjectType, name: string): boolean {
  return CATALOG[type].properties.some((p) => p.name === name) || CATALOG[type].contained?.name === name;
}

/** The Graph path of one soft-deleted object of a type (null when Graph deletes the type for good). */
export function deletedItemPath(type: ObjectType, id: string): string | null {
  const d = CATALOG[type].deletedItems;
  return d ? `${d.itemPath}/${encodeURIComponent(id)}` : null;
}

/** The list of a type's deleted objects: its container, cast to the type where the container holds several. */
export function deletedListPath(type: ObjectType): string | null {
  const d = CATALOG[type].deletedItems;
  return d ? (d.cast ? `${d.itemPath}/${d.cast}` : d.itemPath) : null;
}

/**
 * One deleted object read as its own type: under a container that holds several types, the item cast to it
 * (`/directory/deletedItems/{id}/microsoft.graph.user`), so `$select` may name the type's properties.
 */
export function deletedItemReadPath(type: ObjectType, id: string): string | null {
  const path = deletedItemPath(type, id);
  const cast = CATALOG[type].deletedItems?.cast;
  return path !== null && cast ? `${path}/${cast}` : path;
}

/** A read of `path` naming `select` where the type's reads take `$select`, with any further query options. */
export function readUrl(type: ObjectType, path: string, select: readonly string[], more: readonly string[] = []): string {
  const query = [...(CATALOG[type].selectOnRead ? [`$select=${select.join(",")}`] : []), ...more];
  return query.length > 0 ? `${path}?${query.join("&")}` : path;
}
