import { compareObject, type SnapshotEntry } from "../../core/diff/compare-object";
import type { LinkName, ObjectType } from "../../core/model/catalog";
import { propertyLabel } from "../../core/model/contained";

const entry = (
  type: ObjectType,
  id: string,
  properties: Record<string, unknown>,
  links: Partial<Record<LinkName, string[]>> = {},
  deleted = false,
): SnapshotEntry => ({
  object: { type, id, deleted, properties },
  links: Object.entries(links).map(([link, targets]) => ({ type, id, link: link as LinkName, targets: targets ?? [] })),
});

describe("compareObject", () => {
  const ada = entry("user", "u1", { displayName: "Ada", department: "Sales", onPremisesSyncEnabled: null, businessPhones: ["1"] }, { manager: ["m1"] });

  it("finds nothing when only read-only or unsupported properties differ", () => {
    const now = entry("user", "u1", { ...ada.object.properties, createdDateTime: "2026-01-01", lastSignIn: "x" }, { manager: ["m1"] });
    expect(compareObject("user", ada, now, null)).toBeNull();
  });

  it("lists changed writable properties (in catalog order) with backup and current values, and link differences", () => {
    const now = entry("user", "u1", { displayName: "Ada", department: "Marketing", businessPhones: ["1", "2"] }, { manager: ["m2"], sponsors: ["s1"] });
    const change = compareObject("user", ada, now, null);
    expect(change).toMatchObject({ id: "u1", entityTypeName: "user", displayName: "Ada", recoveryAction: "update", currentState: "active", recoverable: true });
    expect(change?.deltaFromCurrent.properties).toEqual([
      { name: "department", backupValue: "Sales", currentValue: "Marketing" },
      { name: "businessPhones", backupValue: ["1"], currentValue: ["1", "2"] },
    ]);
    expect(change?.deltaFromCurrent.links).toEqual([
      { link: "manager", toAdd: ["m1"], toRemove: ["m2"] },
      { link: "sponsors", toAdd: [], toRemove: ["s1"] },
    ]);
  });

  it("treats key order in complex values and a missing property versus null as equal", () => {
    const then = entry("application", "a1", { displayName: "App", info: { a: 1, b: 2 }, notes: null });
    const now = entry("application", "a1", { displayName: "App", info: { b: 2, a: 1 } });
    expect(compareObject("application", then, now, null)).toBeNull();
  });

  it("narrows to the attributes asked for", () => {
    const now = entry("user", "u1", { displayName: "Ada L", department: "Marketing" }, { manager: ["m2"] });
    const change = compareObject("user", ada, now, new Set(["department"]));
    expect(change?.deltaFromCurrent.properties.map((p) => p.name)).toEqual(["department"]);
    expect(change?.deltaFromCurrent.links).toEqual([]);
    expect(compareObject("user", ada, now, new Set(["jobTitle"]))).toBeNull();
  });

  it("restores an object soft-deleted since the backup", () => {
    const now = entry("user", "u1", { ...ada.object.properties }, {}, true);
    expect(compareObject("user", ada, now, null)).toMatchObject({ recoveryAction: "restore", currentState: "softDeleted", recoverable: true, deltaFromCurrent: { properties: [], links: [] } });
  });

  it("soft-deletes an object created or restored since the backup", () => {
    const created = entry("group", "g9", { displayName: "New" });
    expect(compareObject("group", null, created, null)).toMatchObject({ recoveryAction: "softDelete", currentState: "active", recoverable: true });
    const wasDeleted = entry("group", "g9", { displayName: "New" }, {}, true);
    expect(compareObject("group", wasDeleted, created, null)).toMatchObject({ recoveryAction: "softDelete", recoverable: true });
    expect(compareObject("group", null, wasDeleted, null)).toBeNull();
    expect(compareObject("group", wasDeleted, wasDeleted, null)).toBeNull();
  });

  it("flags hard-deleted objects and synced objects as not recoverable", () => {
    expect(compareObject("user", ada, null, null)).toMatchObject({ recoveryAction: "restore", currentState: "hardDeleted", recoverable: false, notRecoverableReason: "hardDeleted" });
    const purged = entry("user", "u2", { displayName: "Gone" }, {}, true);
    expect(compareObject("user", purged, null, null)).toMatchObject({ recoverable: false, notRecoverableReason: "hardDeleted", displayName: "Gone" });
    const synced = entry("user", "u3", { displayName: "Sy", department: "A", onPremisesSyncEnabled: true });
    const syncedNow = entry("user", "u3", { displayName: "Sy", department: "B", onPremisesSyncEnabled: true });
    expect(compareObject("user", synced, syncedNow, null)).toMatchObject({ recoveryAction: "update", recoverable: false, notRecoverableReason: "synced" });
  });

  it("restores a Conditional Access policy or named location from its deleted items, and soft-deletes one created since (Graph v1.0 keeps them 30 days)", () => {
    for (const type of ["conditionalAccessPolicy", "namedLocation"] as const) {
      const live = entry(type, "p1", { displayName: "P" });
      const deleted = entry(type, "p1", { displayName: "P" }, {}, true);
      expect(compareObject(type, live, deleted, null)).toMatchObject({ recoveryAction: "restore", currentState: "softDeleted", recoverable: true });
      expect(compareObject(type, null, live, null)).toMatchObject({ recoveryAction: "softDelete", recoverable: true });
      expect(compareObject(type, live, null, null)).toMatchObject({ recoveryAction: "restore", recoverable: false, notRecoverableReason: "hardDeleted" });
    }
  });

  it("reports a changed authentication method configuration per method and property, in the words an admin knows", () => {
    const configs = (authenticator: string, sms: string) => ({
      authenticationMethodConfigurations: [
        { "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration", id: "MicrosoftAuthenticator", state: authenticator, excludeTargets: [] },
        { "@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration", id: "Sms", state: sms, excludeTargets: [] },
      ],
    });
    const then = entry("authenticationMethodsPolicy", "authenticationMethodsPolicy", configs("enabled", "disabled"));
    const now = entry("authenticationMethodsPolicy", "authenticationMethodsPolicy", configs("disabled", "disabled"));
    const change = compareObject("authenticationMethodsPolicy", then, now, null);
    expect(change?.deltaFromCurrent.properties).toEqual([
      { name: "authenticationMethodConfigurations/MicrosoftAuthenticator/state", backupValue: "enabled", currentValue: "disabled" },
    ]);
    expect(propertyLabel("authenticationMethodsPolicy", change!.deltaFromCurrent.properties[0]!.name)).toBe("Microsoft Authenticator: state");
  });

  it("never reports a method's includeTargets for recovery: Graph's schema writes them at their own path, not in the method's PATCH", () => {
    const targets = (id: string) => ({
      authenticationMethodConfigurations: [
        { "@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration", id: "Sms", state: "enabled", excludeTargets: [], includeTargets: [{ id, targetType: "group" }] },
      ],
    });
    const then = entry("authenticationMethodsPolicy", "authenticationMethodsPolicy", targets("all_users"));
    const now = entry("authenticationMethodsPolicy", "authenticationMethodsPolicy", targets("0a0a0a0a-0000-4000-8000-0000000000aa"));
    expect(compareObject("authenticationMethodsPolicy", then, now, null)).toBeNull();
  });

  it("ignores the members of dynamic groups", () => {
    const then = entry("group", "g1", { displayName: "Dyn", membershipRule: "user.department -eq \"Sales\"" }, { members: ["a", "b"], owners: ["o1"] });
    const now = entry("group", "g1", { displayName: "Dyn", membershipRule: "user.department -eq \"Sales\"" }, { members: ["c"], owners: ["o1"] });
    expect(compareObject("group", then, now, null)).toBeNull();
  });

  it("compares large member lists in one pass, in any order they were stored", () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `m${String(i).padStart(5, "0")}`);
    const then = entry("group", "g1", { displayName: "Big" }, { members: ids });
    const now = entry("group", "g1", { displayName: "Big" }, { members: [...ids.slice(3).reverse(), "zz-new"] });
    expect(compareObject("group", then, now, null)?.deltaFromCurrent.links).toEqual([{ link: "members", toAdd: ids.slice(0, 3), toRemove: ["zz-new"] }]);
  });

  it("never offers a soft delete for a distribution list or a mail-enabled security group (Graph deletes them for good)", () => {
    const entry = (properties: Record<string, unknown>) => ({ object: { type: "group" as const, id: "g-1", deleted: false, properties: { displayName: "All staff", ...properties } }, links: [] });
    const list = entry({ mailEnabled: true, securityEnabled: false, groupTypes: [] });
    const mailSecurity = entry({ mailEnabled: true, securityEnabled: true, groupTypes: [] });
    for (const created of [list, mailSecurity]) {
      const change = compareObject("group", null, created, null);
      expect(change).toMatchObject({ recoveryAction: "softDelete", recoverable: false, notRecoverableReason: "unsupported" });
      expect(change?.notRecoverableDetail).toMatch(/Distribution lists and mail-enabled security groups are deleted permanently/);
    }
    expect(compareObject("group", list, null, null)?.notRecoverableDetail).toMatch(/deleted permanently by Microsoft Graph/);
    // A Microsoft 365 group is mail-enabled too, and is soft-deleted as usual.
    expect(compareObject("group", null, entry({ mailEnabled: true, securityEnabled: false, groupTypes: ["Unified"] }), null)).toMatchObject({ recoverable: true });
  });
});
