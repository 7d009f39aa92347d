import { canonicalJson } from "../model/canonical-json";
import type { PropertyChange } from "../model/change";
import { parseContainedName, propertyLabel } from "../model/contained";
import type { UnnumberedChange } from "./compare-object";

/**
 * Why a group's membership is sensitive: it can hold directory roles (`isAssignableToRole`), or it is one of
 * the groups that give Rewind's own roles (ROLE_GROUP_BACKUP_ADMINS / _READERS).
 */
export type PrivilegedGroup = "roleAssignable" | "rewindRole";

/**
 * What writing a change back would do to the tenant's security, in words for the approver: a recovery
 * restores the backup's values, so a value that was weaker then (an enabled account, a policy switched off,
 * wider permissions, other members in a privileged group) is weaker again after it. Empty when nothing is.
 * `privileged` says whether the object is a privileged group (only groups can be).
 */
export function sensitiveReasons(change: UnnumberedChange, privileged: PrivilegedGroup | null): string[] {
  const reasons: string[] = [];
  const props = new Map(change.deltaFromCurrent.properties.map((p) => [p.name, p]));
  const changed = (name: string): PropertyChange | undefined => props.get(name);
  const becomes = (name: string, value: unknown): boolean => {
    const p = changed(name);
    return p !== undefined && canonicalJson(p.backupValue ?? null) === canonicalJson(value);
  };
  switch (change.entityTypeName) {
    case "user":
      if (becomes("accountEnabled", true)) reasons.push("Re-enables a disabled account: it can sign in again.");
      break;
    case "servicePrincipal":
      if (becomes("accountEnabled", true)) reasons.push("Re-enables a disabled service principal: the app can sign in again.");
      if (becomes("appRoleAssignmentRequired", false)) reasons.push("Lets every user sign in to the app, without an assignment.");
      if (changed("preferredTokenSigningKeyThumbprint")) reasons.push("Changes the certificate the app's tokens are signed with.");
      if (change.recoveryAction === "restore") reasons.push("Brings back a deleted service principal with its credentials and permissions.");
      break;
    case "application":
      if (changed("requiredResourceAccess")) reasons.push("Changes the API permissions the application asks for.");
      if (changed("identifierUris")) reasons.push("Changes the application's identifier URIs.");
      if (changed("signInAudience")) reasons.push("Changes which accounts can sign in to the application.");
      if (change.recoveryAction === "restore") reasons.push("Brings back a deleted application with its credentials (secrets and certificates).");
      break;
    case "conditionalAccessPolicy":
      if (becomes("state", "disabled")) reasons.push("Turns a Conditional Access policy off.");
      if (becomes("state", "enabledForReportingButNotEnforced")) reasons.push("Sets a Conditional Access policy to report-only: it stops being enforced.");
      if (changed("conditions")) reasons.push("Changes whom and what a Conditional Access policy applies to.");
      if (changed("grantControls")) reasons.push("Changes what a Conditional Access policy requires to grant access.");
      break;
    case "namedLocation":
      if (becomes("isTrusted", true)) reasons.push("Marks a named location as trusted.");
      if (changed("ipRanges") || changed("countriesAndRegions") || changed("includeUnknownCountriesAndRegions")) {
        reasons.push("Changes the networks or countries of a named location that Conditional Access relies on.");
      }
      break;
    case "authenticationMethodsPolicy":
      if (props.size > 0) reasons.push("Changes the tenant's authentication methods policy (how people sign in).");
      for (const p of change.deltaFromCurrent.properties) {
        // A method configuration's state (`authenticationMethodConfigurations/<id>/state`) turned back on.
        const where = parseContainedName("authenticationMethodsPolicy", p.name);
        if (where?.property === "state" && p.backupValue === "enabled") {
          reasons.push(`Turns an authentication method back on: ${propertyLabel("authenticationMethodsPolicy", p.name).replace(/: state$/, "")}.`);
        }
      }
      break;
    case "authorizationPolicy":
      if (props.size > 0) reasons.push("Changes the tenant's authorization policy.");
      break;
    case "group": {
      if (privileged === null) break;
      const what = privileged === "rewindRole" ? "one of the groups that give Rewind's own roles" : "a role-assignable group";
      const links = change.deltaFromCurrent.links;
      if (links.some((l) => l.link === "members")) reasons.push(`Changes the members of ${what}.`);
      if (links.some((l) => l.link === "owners")) reasons.push(`Changes the owners of ${what}.`);
      if (change.recoveryAction === "restore") reasons.push(`Restores ${what}, with its members.`);
      break;
    }
  }
  return reasons;
}

/** The change with its reasons (`sensitive`), or as it is when it has none. */
export function flagSensitive<C extends UnnumberedChange>(change: C, privileged: PrivilegedGroup | null): C {
  const reasons = sensitiveReasons(change, privileged);
  if (reasons.length === 0) {
    if (change.sensitive === undefined) return change;
    const { sensitive: _dropped, ...rest } = change;
    return rest as C;
  }
  return { ...change, sensitive: reasons };
}
