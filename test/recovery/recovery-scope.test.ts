import type { Change } from "../../core/model/change";
import { narrowToAttributes } from "../../core/recovery/recovery-scope";

const policyChange = (names: readonly string[]): Change => ({
  seq: 1,
  id: "authenticationMethodsPolicy",
  entityTypeName: "authenticationMethodsPolicy",
  displayName: "Authentication Methods Policy",
  recoveryAction: "update",
  deltaFromCurrent: { properties: names.map((name) => ({ name, backupValue: "enabled", currentValue: "disabled" })), links: [] },
  currentState: "active",
  recoverable: true,
});

describe("a recovery narrowed to attributes", () => {
  it("keeps a method configuration's changes when the scope names the configurations (the attribute a report is scoped by)", () => {
    const change = policyChange(["authenticationMethodConfigurations/Sms/state", "authenticationMethodConfigurations/Fido2/state", "policyMigrationState"]);
    expect(narrowToAttributes(change, new Set(["authenticationMethodConfigurations"]))?.deltaFromCurrent.properties.map((p) => p.name)).toEqual([
      "authenticationMethodConfigurations/Sms/state",
      "authenticationMethodConfigurations/Fido2/state",
    ]);
    expect(narrowToAttributes(change, new Set(["policyMigrationState"]))?.deltaFromCurrent.properties.map((p) => p.name)).toEqual(["policyMigrationState"]);
    expect(narrowToAttributes(policyChange(["authenticationMethodConfigurations/Sms/state"]), new Set(["registrationEnforcement"]))).toBeNull();
  });
});
