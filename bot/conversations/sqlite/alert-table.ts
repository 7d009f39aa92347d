import type { Database, Statement } from "better-sqlite3";

/**
 * The `alerts` table: one row per alert key. A process claims a key before sending and marks it sent after,
 * so each alert goes out once across processes; a claim never completed (its process died) can be taken over
 * once it is old enough. Methods run inside the caller's transaction (a write one for all but `isSent`), which
 * is what makes a claim atomic across processes sharing the file.
 */
export class AlertTable {
  private readonly s: {
    readonly insert: Statement<[number, string, string, string]>;
    readonly takeOver: Statement<[string, string, number, string, string]>;
    readonly complete: Statement<[string, number, string, string]>;
    readonly release: Statement<[number, string, string]>;
    readonly sent: Statement<[number, string], number>;
    readonly purge: Statement<[number, string]>;
  };

  constructor(db: Database) {
    this.s = {
      insert: db.prepare("INSERT INTO alerts (tk, key, owner, claimed_at) VALUES (?, ?, ?, ?) ON CONFLICT (tk, key) DO NOTHING"),
      takeOver: db.prepare("UPDATE alerts SET owner = ?, claimed_at = ? WHERE tk = ? AND key = ? AND sent_at IS NULL AND claimed_at < ?"),
      complete: db.prepare("UPDATE alerts SET sent_at = ? WHERE tk = ? AND key = ? AND owner = ? AND sent_at IS NULL"),
      release: db.prepare("DELETE FROM alerts WHERE tk = ? AND key = ? AND owner = ? AND sent_at IS NULL"),
      sent: db.prepare<[number, string], number>("SELECT count(*) FROM alerts WHERE tk = ? AND key = ? AND sent_at IS NOT NULL").pluck(),
      purge: db.prepare("DELETE FROM alerts WHERE tk = ? AND claimed_at < ?"),
    };
  }

  /** True when this owner now holds the claim (times normalized). Call inside a write transaction. */
  claim(tk: number, key: string, owner: string, at: string, staleBefore: string): boolean {
    if (this.s.insert.run(tk, key, owner, at).changes === 1) return true;
    return this.s.takeOver.run(owner, at, tk, key, staleBefore).changes === 1;
  }

  /** Marks the alert sent if `owner` holds the claim; otherwise a no-op. */
  complete(tk: number, key: string, owner: string, at: string): void {
    this.s.complete.run(at, tk, key, owner);
  }

  /** Frees an unsent claim held by `owner` (the key is free again at once); otherwise a no-op. */
  release(tk: number, key: string, owner: string): void {
    this.s.release.run(tk, key, owner);
  }

  isSent(tk: number, key: string): boolean {
    return (this.s.sent.get(tk, key) ?? 0) > 0;
  }

  /** Removes tenant `tk`'s alert records claimed before `before` (a normalized time key), sent or not; returns how many. */
  purge(tk: number, before: string): number {
    return this.s.purge.run(tk, before).changes;
  }
}
