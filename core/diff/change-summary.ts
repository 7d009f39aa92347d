import type { ObjectType } from "../model/catalog";
import type { Change, ChangeSummary, NotRecoverableReason, RecoveryAction } from "../model/change";

/**
 * Counts changes by type and action as they stream past. The digest is not made here: it is of the report as
 * stored, incoming links included (see `reportDigest`).
 */
export class SummaryCounter {
  private total = 0;
  private notRecoverable = 0;
  private links = 0;
  private readonly byType = new Map<ObjectType, Map<RecoveryAction, number>>();
  private readonly excluded = new Map<NotRecoverableReason, number>();
  private sensitive = 0;

  add(change: Change): void {
    this.total++;
    if (change.recoverable && change.sensitive && change.sensitive.length > 0) this.sensitive++;
    if (!change.recoverable) {
      this.notRecoverable++;
      const reason = change.notRecoverableReason ?? "unsupported";
      this.excluded.set(reason, (this.excluded.get(reason) ?? 0) + 1);
    }
    for (const l of change.deltaFromCurrent.links) this.links += l.toAdd.length + l.toRemove.length;
    let actions = this.byType.get(change.entityTypeName);
    if (!actions) this.byType.set(change.entityTypeName, (actions = new Map()));
    actions.set(change.recoveryAction, (actions.get(change.recoveryAction) ?? 0) + 1);
  }

  summary(): ChangeSummary {
    const byType: Partial<Record<ObjectType, Partial<Record<RecoveryAction, number>>>> = {};
    for (const [type, actions] of this.byType) byType[type] = Object.fromEntries(actions);
    return {
      total: this.total,
      notRecoverable: this.notRecoverable,
      byType,
      links: this.links,
      excluded: Object.fromEntries(this.excluded),
      sensitive: this.sensitive,
    };
  }
}
