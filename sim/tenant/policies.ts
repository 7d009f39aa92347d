import { Dice } from "./prng";
import { KIND_CODE } from "./kinds";
import { isoSeconds, type JsonObject } from "./json";
import { COUNTRIES } from "./names";
import type { TenantContext } from "./context";

const DAY = 86400000;

const CA_NAMES = [
  "Require MFA for administrators", "Block legacy authentication", "Require MFA for all users",
  "Require compliant device", "Block access from untrusted countries", "Require MFA for Azure management",
  "Require terms of use for guests", "Sign-in risk requires MFA", "User risk requires password change",
  "Block high-risk countries",
];

/** Named locations alternate between IP ranges and countries. */
export function namedLocationIsIp(n: number): boolean {
  return n % 2 === 0;
}

export function generateNamedLocation(tenant: TenantContext, n: number): JsonObject {
  const d = new Dice(tenant.seed, KIND_CODE.namedLocation, n);
  const created = isoSeconds(tenant.epochMs + d.int(2, 1500) * DAY);
  const modified = isoSeconds(tenant.epochMs + 1500 * DAY + d.int(3, 300) * DAY);
  const id = tenant.ids.id("namedLocation", n);
  if (namedLocationIsIp(n)) {
    const a = 10 + d.int(4, 200);
    return {
      "@odata.type": "#microsoft.graph.ipNamedLocation",
      id,
      displayName: `Office network ${n}`,
      createdDateTime: created,
      modifiedDateTime: modified,
      isTrusted: d.chance(5, 0.7),
      ipRanges: [
        { "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: `${a}.${d.int(6, 255)}.0.0/16` },
        { "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: `203.0.${d.int(7, 255)}.0/24` },
      ],
    };
  }
  const c1 = d.pick(8, COUNTRIES);
  const c2 = d.pick(9, COUNTRIES);
  return {
    "@odata.type": "#microsoft.graph.countryNamedLocation",
    id,
    displayName: `Countries ${n}`,
    createdDateTime: created,
    modifiedDateTime: modified,
    countriesAndRegions: c1 === c2 ? [c1] : [c1, c2],
    includeUnknownCountriesAndRegions: d.chance(10, 0.2),
    countryLookupMethod: "clientIpAddress",
  };
}

export const CA_POLICY_PROPERTIES = [
  "id", "conditions", "createdDateTime", "displayName", "grantControls", "modifiedDateTime", "sessionControls", "state", "templateId",
] as const;

export function generateCaPolicy(tenant: TenantContext, c: number): JsonObject {
  const d = new Dice(tenant.seed, KIND_CODE.conditionalAccessPolicy, c);
  const name = `${CA_NAMES[c % CA_NAMES.length] ?? "Policy"}${c >= CA_NAMES.length ? ` ${c}` : ""}`;
  const r = d.int(2, 10);
  const state = r < 6 ? "enabled" : r < 8 ? "enabledForReportingButNotEnforced" : "disabled";
  const locations = tenant.spec.namedLocations > 0 && d.chance(3, 0.4)
    ? { includeLocations: ["All"], excludeLocations: [tenant.ids.id("namedLocation", d.int(4, tenant.spec.namedLocations))] }
    : null;
  const excludeGroups = tenant.spec.groups > 0 && d.chance(5, 0.5) ? [tenant.ids.id("group", d.int(6, tenant.spec.groups))] : [];
  const block = name.startsWith("Block");
  return {
    id: tenant.ids.id("conditionalAccessPolicy", c),
    templateId: null,
    displayName: name,
    createdDateTime: isoSeconds(tenant.epochMs + d.int(7, 1500) * DAY),
    modifiedDateTime: d.chance(8, 0.5) ? isoSeconds(tenant.epochMs + 1500 * DAY + d.int(9, 300) * DAY) : null,
    state,
    sessionControls: d.chance(10, 0.3) ? { signInFrequency: { value: 12, type: "hours", isEnabled: true, authenticationType: "primaryAndSecondaryAuthentication", frequencyInterval: "timeBased" } } : null,
    conditions: {
      userRiskLevels: [],
      signInRiskLevels: name.startsWith("Sign-in risk") ? ["high", "medium"] : [],
      clientAppTypes: name.includes("legacy") ? ["exchangeActiveSync", "other"] : ["all"],
      servicePrincipalRiskLevels: [],
      platforms: null,
      devices: null,
      locations,
      applications: { includeApplications: ["All"], excludeApplications: [], includeUserActions: [], includeAuthenticationContextClassReferences: [] },
      users: {
        includeUsers: ["All"],
        excludeUsers: [tenant.ids.id("user", 2)],
        includeGroups: [],
        excludeGroups,
        includeRoles: [],
        excludeRoles: [],
        includeGuestsOrExternalUsers: null,
        excludeGuestsOrExternalUsers: null,
      },
    },
    grantControls: block
      ? { operator: "OR", builtInControls: ["block"], customAuthenticationFactors: [], termsOfUse: [] }
      : { operator: "OR", builtInControls: [d.pick(11, ["mfa", "compliantDevice", "domainJoinedDevice"])], customAuthenticationFactors: [], termsOfUse: [] },
  };
}

export function generateAuthorizationPolicy(): JsonObject {
  return {
    "@odata.type": "#microsoft.graph.authorizationPolicy",
    id: "authorizationPolicy",
    allowInvitesFrom: "everyone",
    allowedToSignUpEmailBasedSubscriptions: true,
    allowedToUseSSPR: true,
    allowEmailVerifiedUsersToJoinOrganization: false,
    blockMsolPowerShell: false,
    description: "Used to manage authorization related settings across the company.",
    displayName: "Authorization Policy",
    guestUserRoleId: "10dae51f-b6af-4016-8d66-8c2a99b929b3",
    defaultUserRolePermissions: {
      allowedToCreateApps: true,
      allowedToCreateSecurityGroups: true,
      allowedToCreateTenants: true,
      allowedToReadOtherUsers: true,
      permissionGrantPoliciesAssigned: ["ManagePermissionGrantsForSelf.microsoft-user-default-low"],
    },
  };
}

/** The eight method configurations Rewind backs up, as Graph serves them. */
export function authenticationMethodConfigurations(): JsonObject[] {
  // Each configuration's includeTargets holds the target type its schema declares (a derived one for FIDO2,
  // Microsoft Authenticator and SMS, which carry settings of their own).
  const all = { "@odata.type": "#microsoft.graph.authenticationMethodTarget", id: "all_users", isRegistrationRequired: false, targetType: "group" };
  const as = (type: string, extra: JsonObject): JsonObject => ({ ...all, "@odata.type": `#microsoft.graph.${type}`, ...extra });
  return [
    { "@odata.type": "#microsoft.graph.emailAuthenticationMethodConfiguration", id: "Email", state: "enabled", allowExternalIdToUseEmailOtp: "default", excludeTargets: [], includeTargets: [all] },
    { "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", id: "Fido2", state: "enabled", isAttestationEnforced: true, isSelfServiceRegistrationAllowed: true, excludeTargets: [], keyRestrictions: { isEnforced: false, enforcementType: "block", aaGuids: [] }, includeTargets: [as("passkeyAuthenticationMethodTarget", { allowedPasskeyProfiles: [] })] },
    { "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration", id: "MicrosoftAuthenticator", state: "enabled", isSoftwareOathEnabled: false, excludeTargets: [], featureSettings: { displayAppInformationRequiredState: { state: "enabled" }, displayLocationInformationRequiredState: { state: "enabled" } }, includeTargets: [as("microsoftAuthenticatorAuthenticationMethodTarget", { authenticationMode: "any" })] },
    { "@odata.type": "#microsoft.graph.voiceAuthenticationMethodConfiguration", id: "Voice", state: "disabled", isOfficePhoneAllowed: false, excludeTargets: [], includeTargets: [all] },
    { "@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration", id: "Sms", state: "enabled", excludeTargets: [], includeTargets: [as("smsAuthenticationMethodTarget", { isUsableForSignIn: false })] },
    { "@odata.type": "#microsoft.graph.softwareOathAuthenticationMethodConfiguration", id: "SoftwareOath", state: "disabled", excludeTargets: [], includeTargets: [all] },
    { "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration", id: "TemporaryAccessPass", state: "enabled", defaultLifetimeInMinutes: 60, defaultLength: 8, minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480, isUsableOnce: false, excludeTargets: [], includeTargets: [all] },
    { "@odata.type": "#microsoft.graph.x509CertificateAuthenticationMethodConfiguration", id: "X509Certificate", state: "disabled", excludeTargets: [], certificateUserBindings: [{ x509CertificateField: "PrincipalName", userProperty: "onPremisesUserPrincipalName", priority: 1 }], authenticationModeConfiguration: { x509CertificateAuthenticationDefaultMode: "x509CertificateSingleFactor", rules: [] }, includeTargets: [all] },
  ];
}

export function generateAuthenticationMethodsPolicy(): JsonObject {
  return {
    "@odata.type": "#microsoft.graph.authenticationMethodsPolicy",
    id: "authenticationMethodsPolicy",
    displayName: "Authentication Methods Policy",
    description: "The tenant-wide policy that controls which authentication methods are allowed in the tenant, authentication method registration requirements, and self-service password reset settings",
    lastModifiedDateTime: "2024-01-01T00:00:00Z",
    policyVersion: "1.5",
    policyMigrationState: "migrationComplete",
    registrationEnforcement: { authenticationMethodsRegistrationCampaign: { snoozeDurationInDays: 1, state: "default", excludeTargets: [], includeTargets: [{ id: "all_users", targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" }] } },
    authenticationMethodConfigurations: authenticationMethodConfigurations(),
  };
}
