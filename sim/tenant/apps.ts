import { Dice } from "./prng";
import { KIND_CODE } from "./kinds";
import { isoSeconds, type JsonObject } from "./json";
import { APP_KINDS, APP_WORDS } from "./names";
import type { TenantContext } from "./context";

const DAY = 86400000;
const A = KIND_CODE.application;
const MS_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

/** Service principal index of the Microsoft Graph resource (after one per application). */
export function graphSpIndex(tenant: TenantContext): number {
  return tenant.spec.applications;
}

/** Applications with an even index divisible by four publish app roles and have assignments. */
export function appHasRoles(a: number): boolean {
  return a % 4 === 0;
}

/** Every third application has a tenant-wide (AllPrincipals) delegated grant to Microsoft Graph. */
export function appHasGrant(a: number): boolean {
  return a % 3 === 0;
}

/** A GUID derived from the app index and a role number, stable across runs. */
function roleId(tenant: TenantContext, a: number, k: number): string {
  return tenant.ids.raw(0x00a0 + k, a);
}

export function appRoles(tenant: TenantContext, a: number): JsonObject[] {
  if (!appHasRoles(a)) return [];
  return ["Reader", "Writer"].map((name, k) => ({
    allowedMemberTypes: ["User", "Application"],
    description: `${name} access`,
    displayName: name,
    id: roleId(tenant, a, k),
    isEnabled: true,
    origin: "Application",
    value: `App.${name}`,
  }));
}

function appName(tenant: TenantContext, a: number): string {
  const d = new Dice(tenant.seed, A, a);
  return `${d.pick(2, APP_WORDS)} ${d.pick(3, APP_KINDS)} ${a}`;
}

export const APPLICATION_PROPERTIES = [
  "id", "addIns", "api", "appId", "appRoles", "createdDateTime", "deletedDateTime", "description", "displayName",
  "groupMembershipClaims", "identifierUris", "info", "isDeviceOnlyAuthSupported", "isDisabled",
  "isFallbackPublicClient", "nativeAuthenticationApisEnabled", "notes", "oauth2RequirePostResponse", "optionalClaims", "publisherDomain",
  "requiredResourceAccess", "serviceManagementReference", "servicePrincipalLockConfiguration", "signInAudience",
  "tags", "web",
] as const;

/** Builds application `a` from the seed alone. */
export function generateApplication(tenant: TenantContext, a: number): JsonObject {
  const d = new Dice(tenant.seed, A, a);
  const name = appName(tenant, a);
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const appId = tenant.ids.appId(a);
  return {
    id: tenant.ids.id("application", a),
    addIns: [],
    api: { requestedAccessTokenVersion: 2, oauth2PermissionScopes: [] },
    appId,
    appRoles: appRoles(tenant, a),
    createdDateTime: isoSeconds(tenant.epochMs + d.int(4, 1800) * DAY),
    deletedDateTime: null,
    description: d.chance(5, 0.6) ? `${name} for Contoso` : null,
    displayName: name,
    groupMembershipClaims: d.chance(6, 0.2) ? "SecurityGroup" : null,
    identifierUris: d.chance(7, 0.5) ? [`api://${appId}`] : [],
    info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null },
    isDeviceOnlyAuthSupported: null,
    isDisabled: null,
    isFallbackPublicClient: d.chance(8, 0.1) ? true : null,
    nativeAuthenticationApisEnabled: null,
    notes: d.chance(9, 0.2) ? `Owner: ${d.pick(10, ["IT", "Finance", "HR", "Sales"])}` : null,
    oauth2RequirePostResponse: false,
    optionalClaims: d.chance(11, 0.15) ? { accessToken: [{ name: "groups", essential: false, source: null, additionalProperties: [] }], idToken: [], saml2Token: [] } : null,
    publisherDomain: tenant.domain,
    requiredResourceAccess: [
      {
        resourceAppId: MS_GRAPH_APP_ID,
        resourceAccess: [{ id: "e1fe6dd8-ba31-4d61-89e7-88639da4683d", type: "Scope" }],
      },
    ],
    serviceManagementReference: d.chance(12, 0.1) ? `SVC-${1000 + a}` : null,
    servicePrincipalLockConfiguration: { isEnabled: true, allProperties: true, credentialsWithUsageVerify: true, credentialsWithUsageSign: true, tokenEncryptionKeyId: true },
    signInAudience: d.chance(13, 0.85) ? "AzureADMyOrg" : "AzureADMultipleOrgs",
    tags: d.chance(14, 0.3) ? ["HideApp"] : [],
    web: { homePageUrl: null, logoutUrl: null, redirectUris: [`https://${slug}.contoso.com/signin-oidc`], implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false } },
  };
}

/** Properties a generated service principal carries (all declared by Graph v1.0; `publisherName` is beta only). */
export const SERVICE_PRINCIPAL_PROPERTIES = [
  "id", "accountEnabled", "alternativeNames", "appDisplayName", "appId", "appOwnerOrganizationId",
  "appRoleAssignmentRequired", "appRoles", "deletedDateTime", "description", "displayName", "homepage", "loginUrl",
  "notes", "notificationEmailAddresses", "oauth2PermissionScopes", "preferredSingleSignOnMode",
  "preferredTokenSigningKeyThumbprint", "replyUrls", "samlSingleSignOnSettings",
  "servicePrincipalNames", "servicePrincipalType", "signInAudience", "tags",
] as const;

/** Builds service principal `s`: one per application (same appId), then Microsoft Graph. */
export function generateServicePrincipal(tenant: TenantContext, s: number): JsonObject {
  const id = tenant.ids.id("servicePrincipal", s);
  if (s === graphSpIndex(tenant)) {
    return {
      id, accountEnabled: true, alternativeNames: [], appDisplayName: "Microsoft Graph", appId: MS_GRAPH_APP_ID,
      appOwnerOrganizationId: "f8cdef31-a31e-4b4a-93e4-5f571e91255a", appRoleAssignmentRequired: false, appRoles: [],
      deletedDateTime: null, description: null, displayName: "Microsoft Graph", homepage: null, loginUrl: null, notes: null,
      notificationEmailAddresses: [], oauth2PermissionScopes: [], preferredSingleSignOnMode: null,
      preferredTokenSigningKeyThumbprint: null, replyUrls: [],
      samlSingleSignOnSettings: null, servicePrincipalNames: [MS_GRAPH_APP_ID, "https://graph.microsoft.com"],
      servicePrincipalType: "Application", signInAudience: "AzureADMultipleOrgs", tags: [],
    };
  }
  const d = new Dice(tenant.seed, KIND_CODE.servicePrincipal, s);
  const name = appName(tenant, s);
  const appId = tenant.ids.appId(s);
  const saml = d.chance(2, 0.1);
  return {
    id,
    accountEnabled: !d.chance(3, 0.05),
    alternativeNames: [],
    appDisplayName: name,
    appId,
    appOwnerOrganizationId: tenant.tenantId,
    appRoleAssignmentRequired: appHasRoles(s) && d.chance(4, 0.5),
    appRoles: appRoles(tenant, s),
    deletedDateTime: null,
    description: null,
    displayName: name,
    homepage: null,
    loginUrl: saml ? `https://${name.toLowerCase().replace(/[^a-z0-9]+/g, "")}.contoso.com/login` : null,
    notes: null,
    notificationEmailAddresses: saml ? [`admin@${tenant.domain}`] : [],
    oauth2PermissionScopes: [],
    preferredSingleSignOnMode: saml ? "saml" : null,
    preferredTokenSigningKeyThumbprint: saml ? (d.at(5).toString(16) + d.at(6).toString(16)).toUpperCase() : null,
    replyUrls: [],
    samlSingleSignOnSettings: saml ? { relayState: null } : null,
    servicePrincipalNames: [appId],
    servicePrincipalType: "Application",
    signInAudience: "AzureADMyOrg",
    tags: ["WindowsAzureActiveDirectoryIntegratedApp"],
  };
}
