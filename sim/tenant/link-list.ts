import type { Ref } from "./kinds";

/** An ordered set of references: a materialized membership that keeps Graph's stable listing order. */
export class LinkList {
  private list: Ref[];
  private readonly set: Set<Ref>;

  constructor(initial: Iterable<Ref> = []) {
    this.list = [...initial];
    this.set = new Set(this.list);
  }

  get length(): number {
    return this.list.length;
  }

  at(j: number): Ref | undefined {
    return this.list[j];
  }

  has(ref: Ref): boolean {
    return this.set.has(ref);
  }

  /** Adds at the end; false when already present. */
  add(ref: Ref): boolean {
    if (this.set.has(ref)) return false;
    this.set.add(ref);
    this.list.push(ref);
    return true;
  }

  /** Removes; false when absent. */
  remove(ref: Ref): boolean {
    if (!this.set.delete(ref)) return false;
    this.list = this.list.filter((r) => r !== ref);
    return true;
  }

  toArray(): Ref[] {
    return [...this.list];
  }
}
