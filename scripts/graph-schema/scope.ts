/**
 * What Rewind touches in Microsoft Graph v1.0: the roots of the schema fixture. Everything else in the fixture
 * follows from these by closure (see closure.ts). A new Graph path in the gateway or the simulator that the
 * fixture lacks shows up as a conformance violation; add its root or navigation property here and re-run
 * `npm run graph-schema -- <full v1.0.csdl>`.
 */

/** Entity sets and singletons of the entity container that Rewind uses. */
export const ROOTS: readonly string[] = [
  "users",
  "groups",
  "applications",
  "servicePrincipals",
  "directoryObjects",
  "directoryRoles",
  "directory",
  "identity",
  "policies",
  // Served by the simulator (its own suites read them), not read by the gateway.
  "organization",
  "oauth2PermissionGrants",
];

/**
 * Navigation properties followed into their target types (qualified type/property; a `*` type matches any
 * kept type), so the containers on the way to Rewind's objects are kept: `/directory/deletedItems`, `/identity/conditionalAccess/...`,
 * `/policies/authorizationPolicy`, `/policies/authenticationMethodsPolicy/authenticationMethodConfigurations`.
 * Any other navigation property is kept only when its target type is in the fixture anyway (members, owners,
 * manager, sponsors, memberOf: all directoryObject), and dropped otherwise: following every one of them
 * (a user's mail, drive, calendar, Teams...) would pull in most of Graph.
 */
export const FOLLOW: readonly string[] = [
  "microsoft.graph.directory/deletedItems",
  "microsoft.graph.identityContainer/conditionalAccess",
  "microsoft.graph.conditionalAccessRoot/policies",
  "microsoft.graph.conditionalAccessRoot/namedLocations",
  "microsoft.graph.conditionalAccessRoot/deletedItems",
  "microsoft.graph.caPoliciesDeletableRoot/policies",
  "microsoft.graph.caPoliciesDeletableRoot/namedLocations",
  "microsoft.graph.policyRoot/authorizationPolicy",
  "microsoft.graph.policyRoot/authenticationMethodsPolicy",
  "microsoft.graph.authenticationMethodsPolicy/authenticationMethodConfigurations",
  // Each method configuration's own targets.
  "*/includeTargets",
  // Served by the simulator (a user's authentication methods), not read by the gateway.
  "microsoft.graph.user/authentication",
];

/** Bound actions and functions kept (with every overload bound to a kept type). */
export const OPERATIONS: readonly string[] = ["delta", "restore"];

/** Annotation terms dropped from the fixture: prose only, and most of the file's size. */
export const DROPPED_TERMS: readonly string[] = ["Org.OData.Core.V1.Description", "Org.OData.Core.V1.LongDescription"];
