import type { Ref } from "./kinds";

/** What changed about an object: its properties (or existence), one member link, or its manager link. */
export type ChangeWhat = "object" | "member" | "manager";

export interface ChangeEntry {
  seq: number;
  kind: "user" | "group";
  index: number;
  what: ChangeWhat;
  /** The member whose link changed (`member`), or the previous manager (`manager`). */
  ref?: Ref;
}

/**
 * The append-only record of mutations that delta queries replay. Only mutations are recorded, so its size
 * follows the writes made, never the tenant. A delta token is a position in this log.
 */
export class ChangeLog {
  private readonly entries: ChangeEntry[] = [];

  /** The position a token issued now would carry. */
  get head(): number {
    return this.entries.length;
  }

  append(kind: "user" | "group", index: number, what: ChangeWhat, ref?: Ref): void {
    const e: ChangeEntry = { seq: this.entries.length, kind, index, what };
    if (ref !== undefined) e.ref = ref;
    this.entries.push(e);
  }

  /** Entries of `kind` in [from, to). */
  range(kind: "user" | "group", from: number, to: number): ChangeEntry[] {
    const out: ChangeEntry[] = [];
    const end = Math.min(to, this.entries.length);
    for (let i = Math.max(0, from); i < end; i++) {
      const e = this.entries[i];
      if (e && e.kind === kind) out.push(e);
    }
    return out;
  }
}
