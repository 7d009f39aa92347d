import type { Change } from "../../core/model/change";
import { changeEntry } from "../../bot/views/change-entry";
import { DETAIL_LEVELS } from "../../bot/views/fit-budget";

describe("a change of the authentication methods policy on a card", () => {
  it("names the method and its property, not the Graph path: 'Microsoft Authenticator: state', enabled → disabled", () => {
    const change: Change = {
      seq: 1,
      id: "authenticationMethodsPolicy",
      entityTypeName: "authenticationMethodsPolicy",
      displayName: "Authentication Methods Policy",
      recoveryAction: "update",
      deltaFromCurrent: { properties: [{ name: "authenticationMethodConfigurations/MicrosoftAuthenticator/state", backupValue: "enabled", currentValue: "disabled" }], links: [] },
      currentState: "active",
      recoverable: true,
    };
    expect(changeEntry(change, DETAIL_LEVELS[0]!).properties).toEqual([{ title: "Microsoft Authenticator: state", value: "enabled → disabled" }]);
  });
});
