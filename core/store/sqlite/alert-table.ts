import type { Database, Statement } from "better-sqlite3";
import { timeKey } from "./time-key";

/**
 * The `alerts` table: one row per alert key. A process claims a key before sending and marks it sent after,
 * so each alert goes out once across processes; a claim never completed (its process died) can be taken over
 * once it is old enough.
 */
export class AlertTable {
  private readonly s: {
    readonly insert: Statement<[number, string, string, string]>;
    readonly takeOver: Statement<[string, string, number, string, string]>;
    readonly complete: Statement<[string, number, string, string]>;
    readonly release: Statement<[number, string, string]>;
    readonly sent: Statement<[number, string], number>;
    readonly purge: Statement<[string]>;
  };

  constructor(db: Database) {
    this.s = {
      insert: db.prepare("INSERT INTO alerts (tk, key, owner, claimed_at) VALUES (?, ?, ?, ?) ON CONFLICT (tk, key) DO NOTHING"),
      takeOver: db.prepare("UPDATE alerts SET owner = ?, claimed_at = ? WHERE tk = ? AND key = ? AND sent_at IS NULL AND claimed_at < ?"),
      complete: db.prepare("UPDATE alerts SET sent_at = ? WHERE tk = ? AND key = ? AND owner = ? AND sent_at IS NULL"),
      release: db.prepare("DELETE FROM alerts WHERE tk = ? AND key = ? AND owner = ? AND sent_at IS NULL"),
      sent: db.prepare<[number, string], number>("SELECT count(*) FROM alerts WHERE tk = ? AND key = ? AND sent_at IS NOT NULL").pluck(),
      purge: db.prepare("DELETE FROM alerts WHERE claimed_at < ?"),
    };
  }

  /** True when this owner now holds the claim. Call inside a write transaction. */
  claim(tk: number, key: string, owner: string, at: string, staleBefore: string): boolean {
    if (key.length === 0 || owner.length === 0) throw new RangeError("An alert claim needs a key and an owner.");
    const when = timeKey(at, "at");
    if (this.s.insert.run(tk, key, owner, when).changes === 1) return true;
    return this.s.takeOver.run(owner, when, tk, key, timeKey(staleBefore, "staleBefore")).changes === 1;
  }

  complete(tk: number, key: string, owner: string, at: string): void {
    this.s.complete.run(timeKey(at, "at"), tk, key, owner);
  }

  release(tk: number, key: string, owner: string): void {
    this.s.release.run(tk, key, owner);
  }

  isSent(tk: number, key: string): boolean {
    return (this.s.sent.get(tk, key) ?? 0) > 0;
  }

  purge(before: string): number {
    return this.s.purge.run(timeKey(before, "before")).changes;
  }
}
