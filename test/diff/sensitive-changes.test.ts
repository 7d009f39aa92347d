import type { UnnumberedChange } from "../../core/diff/compare-object";
import { sensitiveReasons } from "../../core/diff/sensitive-changes";
import type { PropertyChange } from "../../core/model/change";
import type { ObjectType } from "../../core/model/catalog";

function change(type: ObjectType, properties: PropertyChange[], extra: Partial<UnnumberedChange> = {}): UnnumberedChange {
  return {
    id: "id-1",
    entityTypeName: type,
    displayName: "x",
    recoveryAction: "update",
    deltaFromCurrent: { properties, links: [] },
    currentState: "active",
    recoverable: true,
    ...extra,
  };
}
const prop = (name: string, backupValue: unknown, currentValue: unknown): PropertyChange => ({ name, backupValue, currentValue });

describe("which recoveries are flagged security-sensitive before approval", () => {
  it("an account the recovery would re-enable, user or service principal; not one it would disable", () => {
    expect(sensitiveReasons(change("user", [prop("accountEnabled", true, false)]), null)).toEqual(["Re-enables a disabled account: it can sign in again."]);
    expect(sensitiveReasons(change("user", [prop("accountEnabled", false, true)]), null)).toEqual([]);
    expect(sensitiveReasons(change("servicePrincipal", [prop("accountEnabled", true, false)]), null)).toHaveLength(1);
    expect(sensitiveReasons(change("user", [prop("department", "Sales", "Finance")]), null)).toEqual([]);
  });

  it("a Conditional Access policy turned off, set to report-only, or with other conditions or grant controls", () => {
    const ca = (p: PropertyChange[]) => sensitiveReasons(change("conditionalAccessPolicy", p), null);
    expect(ca([prop("state", "disabled", "enabled")])).toEqual(["Turns a Conditional Access policy off."]);
    expect(ca([prop("state", "enabledForReportingButNotEnforced", "enabled")])).toEqual([expect.stringMatching(/report-only/)]);
    expect(ca([prop("state", "enabled", "disabled")])).toEqual([]);
    expect(ca([prop("conditions", { users: { includeUsers: ["All"] } }, { users: { includeUsers: ["None"] } })])).toEqual([expect.stringMatching(/whom and what/)]);
    expect(ca([prop("grantControls", { builtInControls: [] }, { builtInControls: ["mfa"] })])).toEqual([expect.stringMatching(/requires to grant/)]);
    expect(ca([prop("displayName", "a", "b")])).toEqual([]);
  });

  it("any change to the authentication-methods or authorization policy", () => {
    expect(sensitiveReasons(change("authenticationMethodsPolicy", [prop("authenticationMethodConfigurations", [], [])]), null)).toHaveLength(1);
    expect(sensitiveReasons(change("authorizationPolicy", [prop("blockMsolPowerShell", false, true)]), null)).toHaveLength(1);
  });

  it("a method configuration of the authentication methods policy, named, and a method turned back on", () => {
    const sms = (from: string, to: string) => change("authenticationMethodsPolicy", [prop("authenticationMethodConfigurations/Sms/state", from, to)]);
    expect(sensitiveReasons(sms("enabled", "disabled"), null)).toEqual([
      "Changes the tenant's authentication methods policy (how people sign in).",
      "Turns an authentication method back on: SMS.",
    ]);
    expect(sensitiveReasons(sms("disabled", "enabled"), null)).toEqual(["Changes the tenant's authentication methods policy (how people sign in)."]);
  });

  it("app permissions, identifier URIs and sign-in audience; a restored app or service principal brings its credentials back", () => {
    expect(sensitiveReasons(change("application", [prop("requiredResourceAccess", [{ resourceAppId: "g" }], [])]), null)).toEqual([expect.stringMatching(/API permissions/)]);
    expect(sensitiveReasons(change("application", [], { recoveryAction: "restore", currentState: "softDeleted" }), null)).toEqual([expect.stringMatching(/credentials/)]);
    expect(sensitiveReasons(change("servicePrincipal", [prop("appRoleAssignmentRequired", false, true)]), null)).toEqual([expect.stringMatching(/without an assignment/)]);
    expect(sensitiveReasons(change("application", [prop("notes", "a", "b")]), null)).toEqual([]);
  });

  it("members or owners of a role-assignable group or of Rewind's own role groups; other groups' members are not", () => {
    const members = change("group", [], { deltaFromCurrent: { properties: [], links: [{ link: "members", toAdd: ["u1"], toRemove: [] }] } });
    expect(sensitiveReasons(members, null)).toEqual([]);
    expect(sensitiveReasons(members, "roleAssignable")).toEqual(["Changes the members of a role-assignable group."]);
    expect(sensitiveReasons(members, "rewindRole")).toEqual(["Changes the members of one of the groups that give Rewind's own roles."]);
  });
});
