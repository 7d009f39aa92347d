import { Dice } from "./prng";
import { KIND_CODE } from "./kinds";
import { isoSeconds, type JsonObject } from "./json";
import { DEPARTMENTS, GIVEN_NAMES, GUEST_DOMAINS, JOB_LEVELS, JOB_ROLES, PLACES, SURNAMES } from "./names";
import { DEMO_PEOPLE } from "./demo";
import type { TenantContext } from "./context";

const DAY = 86400000;
const U = KIND_CODE.user;

/** Names as they appear in mail nicknames (lower case, letters only), computed once. */
const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, "");
const GIVEN_SLUGS: readonly string[] = GIVEN_NAMES.map(slug);
const SURNAME_SLUGS: readonly string[] = SURNAMES.map(slug);

/** The three kinds of generated user; fixed people are always cloud members. */
export type UserFlavor = "member" | "guest" | "synced";

/** ~4% guests, ~5% synced from on-premises AD, the rest cloud members (stable per index). */
export function userFlavor(tenant: TenantContext, i: number): UserFlavor {
  if (i < 16) return "member"; // role holders and the demo people
  const r = new Dice(tenant.seed, U, i).int(1, 100);
  return r < 4 ? "guest" : r < 9 ? "synced" : "member";
}

/** The per-user MFA state served at /beta/users/{id}/authentication/requirements. */
export function baseMfaState(tenant: TenantContext, i: number): "disabled" | "enabled" | "enforced" {
  const r = new Dice(tenant.seed, U, i).int(40, 100);
  return r < 80 ? "disabled" : r < 95 ? "enabled" : "enforced";
}

/** Every property a generated user carries (the `$select` vocabulary). */
export const USER_PROPERTIES = [
  "id", "accountEnabled", "ageGroup", "businessPhones", "city", "companyName", "consentProvidedForMinor", "country",
  "createdDateTime", "creationType", "deletedDateTime", "department", "displayName", "employeeHireDate", "employeeId",
  "employeeLeaveDateTime", "employeeOrgData", "employeeType", "externalUserState", "faxNumber", "givenName",
  "jobTitle", "mail", "mailNickname", "mobilePhone", "officeLocation", "onPremisesDistinguishedName",
  "onPremisesDomainName", "onPremisesImmutableId", "onPremisesLastSyncDateTime", "onPremisesSamAccountName",
  "onPremisesSecurityIdentifier", "onPremisesSyncEnabled", "onPremisesUserPrincipalName", "otherMails",
  "passwordPolicies", "postalCode", "preferredDataLocation", "preferredLanguage", "proxyAddresses",
  "showInAddressList", "state", "streetAddress", "surname", "usageLocation", "userPrincipalName", "userType",
] as const;

/** What Graph returns for a user when no `$select` is given (https://learn.microsoft.com/graph/api/user-get). */
export const USER_DEFAULT_SELECT = [
  "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation",
  "preferredLanguage", "surname", "userPrincipalName", "id",
] as const;

function phone(d: Dice, field: number): string {
  return `+1 425 555 ${String(10000 + (d.at(field) % 10000)).slice(1)}`;
}

function b64(n1: number, n2: number): string {
  const b = Buffer.alloc(16);
  b.writeUInt32LE(n1, 0);
  b.writeUInt32LE(n2, 4);
  b.writeUInt32LE((n1 ^ 0x5a5a5a5a) >>> 0, 8);
  b.writeUInt32LE((n2 ^ 0xa5a5a5a5) >>> 0, 12);
  return b.toString("base64");
}

/** Builds user `i` from the seed alone. */
export function generateUser(tenant: TenantContext, i: number): JsonObject {
  const d = new Dice(tenant.seed, U, i);
  const pinned = tenant.demo ? DEMO_PEOPLE[i] : undefined;
  const flavor = userFlavor(tenant, i);
  const gi = d.int(2, GIVEN_NAMES.length);
  const si = d.int(3, SURNAMES.length);
  const given = pinned ? pinned.given : GIVEN_NAMES[gi] ?? "";
  const surname = pinned ? pinned.surname : SURNAMES[si] ?? "";
  const place = d.pick(4, PLACES);
  const department = d.pick(5, DEPARTMENTS);
  const jobTitle = pinned ? pinned.title : `${d.pick(6, JOB_LEVELS)} ${d.pick(7, JOB_ROLES)}`;
  const nick = pinned ? pinned.upn : `${GIVEN_SLUGS[gi] ?? ""}.${SURNAME_SLUGS[si] ?? ""}${i}`;
  const guestDomain = d.pick(8, GUEST_DOMAINS);
  const guest = flavor === "guest";
  const synced = flavor === "synced";
  const mail = guest ? `${nick}@${guestDomain}` : `${nick}@${tenant.domain}`;
  const upn = guest ? `${nick}_${guestDomain}#EXT#@${tenant.domain}` : `${nick}@${tenant.domain}`;
  const created = tenant.epochMs + d.int(9, 1800) * DAY + d.int(10, DAY);
  const hire = created - d.int(11, 30) * DAY;
  const leaving = !guest && d.chance(12, 0.02);
  const contractor = !guest && d.chance(13, 0.12);
  const sam = nick.replace(/\./g, "").slice(0, 20);
  return {
    id: tenant.ids.id("user", i),
    accountEnabled: pinned ? true : !d.chance(14, 0.04),
    ageGroup: null,
    businessPhones: guest ? [] : [phone(d, 15)],
    city: guest ? null : place[0],
    companyName: guest ? guestDomain.split(".")[0] ?? null : "Contoso",
    consentProvidedForMinor: null,
    country: guest ? null : place[3],
    createdDateTime: isoSeconds(created),
    creationType: guest ? "Invitation" : null,
    deletedDateTime: null,
    department: guest ? null : department,
    displayName: guest ? `${given} ${surname} (${guestDomain})` : `${given} ${surname}`,
    employeeHireDate: guest ? null : isoSeconds(hire),
    employeeId: guest ? null : String(100000 + i),
    employeeLeaveDateTime: leaving ? isoSeconds(created + 2000 * DAY) : null,
    employeeOrgData: guest ? null : { division: department, costCenter: `CC-${1000 + d.int(16, 90) * 10}` },
    employeeType: guest ? null : contractor ? "Contractor" : "Employee",
    externalUserState: guest ? "Accepted" : null,
    faxNumber: d.chance(17, 0.03) ? phone(d, 18) : null,
    givenName: given,
    jobTitle: guest ? null : jobTitle,
    mail,
    mailNickname: guest ? `${nick}_${guestDomain}#EXT#` : nick,
    mobilePhone: guest || d.chance(19, 0.3) ? null : phone(d, 20),
    officeLocation: guest ? null : `${place[0]}/${1 + d.int(21, 40)}`,
    onPremisesDistinguishedName: synced ? `CN=${given} ${surname},OU=Users,OU=${department},DC=corp,DC=contoso,DC=com` : null,
    onPremisesDomainName: synced ? "corp.contoso.com" : null,
    onPremisesImmutableId: synced ? b64(d.at(22), i) : null,
    onPremisesLastSyncDateTime: synced ? isoSeconds(tenant.epochMs + 2500 * DAY + d.int(23, DAY)) : null,
    onPremisesSamAccountName: synced ? sam : null,
    onPremisesSecurityIdentifier: synced ? `S-1-5-21-1004336348-1177238915-682003330-${1000 + i}` : null,
    onPremisesSyncEnabled: synced ? true : null,
    onPremisesUserPrincipalName: synced ? `${nick}@corp.contoso.com` : null,
    otherMails: guest ? [mail] : d.chance(24, 0.1) ? [`${nick}@outlook.com`] : [],
    passwordPolicies: d.chance(25, 0.1) ? "DisablePasswordExpiration" : null,
    postalCode: guest ? null : `${place[2]}${String(d.int(26, 100)).padStart(2, "0")}`,
    preferredDataLocation: null,
    preferredLanguage: guest ? null : d.chance(27, 0.85) ? "en-US" : d.pick(28, ["fr-FR", "de-DE", "es-ES", "ja-JP", "nl-NL"]),
    proxyAddresses: guest ? [] : [`SMTP:${mail}`],
    showInAddressList: null,
    state: guest ? null : place[1],
    streetAddress: guest ? null : `${1 + d.int(29, 9000)} ${place[5]}`,
    surname,
    usageLocation: guest ? null : place[4],
    userPrincipalName: upn,
    userType: guest ? "Guest" : "Member",
  };
}
