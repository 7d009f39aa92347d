import type { LinkName, ObjectType } from "../../core/model/catalog";
import type { Directory, DirectoryRecord, LinksRecord, LinkWriteOutcome, ObjectRecord, ObjectWrite, ReadOptions, WriteOutcome } from "../../core/ports";

/** When a write call is about to go out (`before`) or has come back (`after`), with its number (from 1). */
export type WriteHook = (call: number, phase: "before" | "after") => void;

/**
 * A Directory that forwards everything to a real one and calls a hook around each write call (an object
 * write, a `writeMany`, a link write). The hook may throw to play a process dying just before a write is
 * sent or just after Graph applied it (before the engine recorded it), or abort a signal to play a cancel.
 */
export class TrippingDirectory implements Directory {
  /** Write calls made so far. */
  calls = 0;
  /** `getObject` calls made so far. */
  reads = 0;

  constructor(
    private readonly inner: Directory,
    private readonly hook: WriteHook,
    /** Called before each `getObject` with its number (from 1); may throw. */
    private readonly readHook: (call: number) => void = () => undefined,
  ) {}

  private async write<T>(fn: () => Promise<T>): Promise<T> {
    const n = ++this.calls;
    this.hook(n, "before");
    const result = await fn();
    this.hook(n, "after");
    return result;
  }

  readAll(type: ObjectType, options?: ReadOptions): AsyncIterable<readonly DirectoryRecord[]> {
    return this.inner.readAll(type, options);
  }
  readChanges(type: ObjectType, token: string, options?: ReadOptions): AsyncIterable<readonly DirectoryRecord[]> {
    return this.inner.readChanges(type, token, options);
  }
  readDeleted(type: ObjectType, options?: ReadOptions): AsyncIterable<readonly ObjectRecord[]> {
    return this.inner.readDeleted(type, options);
  }
  async getObject(type: ObjectType, id: string): Promise<{ object: ObjectRecord; links: LinksRecord[] } | null> {
    this.readHook(++this.reads);
    return this.inner.getObject(type, id);
  }
  getDeleted(type: ObjectType, id: string): Promise<ObjectRecord | null> {
    return this.inner.getDeleted(type, id);
  }
  getLinkTargets(type: ObjectType, id: string, link: LinkName): Promise<string[] | null> {
    return this.inner.getLinkTargets(type, id, link);
  }
  memberOf(type: ObjectType, id: string): Promise<string[] | null> {
    return this.inner.memberOf(type, id);
  }
  directoryRoleMembers(roleDisplayName: string): Promise<string[]> {
    return this.inner.directoryRoleMembers(roleDisplayName);
  }
  updateObject(type: ObjectType, id: string, properties: Readonly<Record<string, unknown>>): Promise<WriteOutcome> {
    return this.write(() => this.inner.updateObject(type, id, properties));
  }
  restoreObject(type: ObjectType, id: string): Promise<WriteOutcome> {
    return this.write(() => this.inner.restoreObject(type, id));
  }
  softDeleteObject(type: ObjectType, id: string): Promise<WriteOutcome> {
    return this.write(() => this.inner.softDeleteObject(type, id));
  }
  addLinks(type: ObjectType, id: string, link: LinkName, targetIds: readonly string[]): Promise<LinkWriteOutcome[]> {
    return this.write(() => this.inner.addLinks(type, id, link, targetIds));
  }
  removeLinks(type: ObjectType, id: string, link: LinkName, targetIds: readonly string[]): Promise<LinkWriteOutcome[]> {
    return this.write(() => this.inner.removeLinks(type, id, link, targetIds));
  }
  writeMany(writes: readonly ObjectWrite[]): Promise<WriteOutcome[]> {
    return this.write(() => this.inner.writeMany(writes));
  }
}

/** The error a tripped write throws: the process "died" there. */
export class ProcessDied extends Error {
  constructor(call: number, phase: string) {
    super(`the process died ${phase} write call ${call}`);
  }
}
