import type { UnnumberedChange } from "../../core/diff/compare-object";
import type { Change } from "../../core/model/change";
import { decideChange, SKIP_REASONS } from "../../core/recovery/plan-decision";

const GROUP = "b14a0b25-0002-4000-8000-000000000001";
const [A, B, C, D] = ["a", "b", "c", "d"].map((x) => `b14a0b25-0001-4000-8000-00000000000${x}`) as [string, string, string, string];

function reported(delta: Partial<Change["deltaFromCurrent"]>, extra: Partial<Change> = {}): Change {
  return {
    seq: 7,
    id: GROUP,
    entityTypeName: "group",
    displayName: "Finance",
    recoveryAction: "update",
    deltaFromCurrent: { properties: [], links: [], ...delta },
    currentState: "active",
    recoverable: true,
    ...extra,
  };
}

const fresh = (delta: Partial<Change["deltaFromCurrent"]>, extra: Partial<Change> = {}): UnnumberedChange => {
  const { seq: _seq, ...rest } = reported(delta, extra);
  return rest;
};

const nothingAccounted = (): boolean => false;

describe("what a recovery plan does with each change of its report", () => {
  const report = reported({
    properties: [{ name: "description", backupValue: "Money", currentValue: "Cash" }],
    links: [{ link: "members", toAdd: [A, B], toRemove: [C] }],
  });

  it("writes what is left of the reported change, under the report's seq", () => {
    const now = fresh({ properties: [{ name: "description", backupValue: "Money", currentValue: "Cash" }], links: [{ link: "members", toAdd: [B], toRemove: [] }] });
    expect(decideChange(report, now, nothingAccounted)).toEqual({ kind: "apply", change: { ...now, seq: 7 } });
  });

  it("skips an object that already matches the backup", () => {
    expect(decideChange(report, null, nothingAccounted)).toMatchObject({ kind: "skip", reason: SKIP_REASONS.alreadyMatches, change: report });
  });

  it("skips an object changed after the report: another current value, a new property, a new link target, another action", () => {
    const changed = [
      fresh({ properties: [{ name: "description", backupValue: "Money", currentValue: "Coins" }] }),
      fresh({ properties: [{ name: "visibility", backupValue: "Private", currentValue: "Public" }] }),
      fresh({ links: [{ link: "members", toAdd: [A, D], toRemove: [] }] }),
      fresh({ links: [{ link: "owners", toAdd: [A], toRemove: [] }] }),
      fresh({}, { recoveryAction: "restore", currentState: "softDeleted" }),
    ];
    for (const now of changed) expect(decideChange(report, now, nothingAccounted)).toMatchObject({ kind: "skip", reason: SKIP_REASONS.changedSinceReport, change: report });
  });

  it("skips an object whose backup values differ from the approved report (a backup edited in the store after approval)", () => {
    // The tenant still holds the reported current value, but the stored backup now says something else:
    // writing it would write a value nobody approved.
    const edited = fresh({ properties: [{ name: "description", backupValue: "Wire the money to account 42", currentValue: "Cash" }] });
    expect(decideChange(report, edited, nothingAccounted)).toMatchObject({ kind: "skip", reason: SKIP_REASONS.backupDiffers, change: report });
  });

  it("keeps the report's security flags on what it writes", () => {
    const flagged = { ...report, sensitive: ["Changes the members of a role-assignable group."] };
    const now = fresh({ properties: [{ name: "description", backupValue: "Money", currentValue: "Cash" }] });
    expect(decideChange(flagged, now, nothingAccounted)).toMatchObject({ kind: "apply", change: { sensitive: flagged.sensitive } });
  });

  it("does not count a link the report left out on purpose (its target is restored by the recovery) as a change, nor write it", () => {
    const now = fresh({ links: [{ link: "members", toAdd: [A, D], toRemove: [] }] });
    const decision = decideChange(report, now, (id) => id === D);
    expect(decision).toEqual({ kind: "apply", change: { ...now, seq: 7, deltaFromCurrent: { properties: [], links: [{ link: "members", toAdd: [A], toRemove: [] }] } } });
    const onlyThat = fresh({ links: [{ link: "members", toAdd: [D], toRemove: [] }] });
    expect(decideChange(report, onlyThat, (id) => id === D)).toMatchObject({ kind: "skip", reason: SKIP_REASONS.alreadyMatches });
  });

  it("skips what the report marked not recoverable, or what became so since, with the reason", () => {
    const synced = reported({}, { recoverable: false, notRecoverableReason: "synced", notRecoverableDetail: "Change it on-premises." });
    expect(decideChange(synced, fresh({}), nothingAccounted)).toMatchObject({ kind: "skip", reason: "Change it on-premises." });
    const purged = fresh({}, { recoverable: false, notRecoverableReason: "hardDeleted", notRecoverableDetail: "It was deleted permanently." });
    expect(decideChange(report, purged, nothingAccounted)).toMatchObject({ kind: "skip", reason: "It was deleted permanently.", change: report });
  });
});
