import type { LinkName, ObjectType } from "../../core/model/catalog";
import type { Directory, DirectoryRecord, LinksRecord, LinkWriteOutcome, ObjectRecord, ObjectWrite, ReadOptions, WriteOutcome } from "../../core/ports";

/**
 * When a write call is about to go out (`before`) or has come back (`after`), with its number (from 1). It
 * may return a promise: the write waits for it (a cancel asked for while the write is under way).
 */
export type WriteHook = (call: number, phase: "before" | "after") => void | Promise<void>;

/**
 * A Directory that forwards everything to a real one and calls a hook around each write call (an object
 * write, a `writeMany`, a link write). The hook may throw `ProcessDied` to play the process dying just before
 * a write is sent or just after Graph applied it (before the engine recorded it): from then on the process
 * makes no call at all (`death` is set; the recovery world's store refuses that process's calls too).
 */
export class TrippingDirectory implements Directory {
  /** Write calls made so far. */
  calls = 0;
  /** `getObject` calls made so far. */
  reads = 0;
  /** How the process died, once it has. */
  death: ProcessDied | undefined;
  /** Settles when the process dies. */
  readonly died: Promise<ProcessDied>;
  private resolveDied!: (death: ProcessDied) => void;

  constructor(
    private readonly inner: Directory,
    private readonly hook: WriteHook,
    /** Called before each `getObject` with its number (from 1); may throw. */
    private readonly readHook: (call: number) => void = () => undefined,
  ) {
    this.died = new Promise((resolve) => (this.resolveDied = resolve));
  }

  /** Throws once the process is dead: a dead process calls nothing. */
  alive(): void {
    if (this.death) throw this.death;
  }

  /** Runs a hook; a `ProcessDied` it throws kills the process. */
  private async trip(run: () => void | Promise<void>): Promise<void> {
    try {
      await run();
    } catch (err) {
      if (err instanceof ProcessDied && !this.death) {
        this.death = err;
        this.resolveDied(err);
      }
      throw err;
    }
  }

  private async write<T>(fn: () => Promise<T>): Promise<T> {
    this.alive();
    const n = ++this.calls;
    await this.trip(() => this.hook(n, "before"));
    const result = await fn();
    await this.trip(() => this.hook(n, "after"));
    return result;
  }

  readAll(type: ObjectType, options?: ReadOptions): AsyncIterable<readonly DirectoryRecord[]> {
    this.alive();
    return this.inner.readAll(type, options);
  }
  readChanges(type: ObjectType, token: string, options?: ReadOptions): AsyncIterable<readonly DirectoryRecord[]> {
    this.alive();
    return this.inner.readChanges(type, token, options);
  }
  readDeleted(type: ObjectType, options?: ReadOptions): AsyncIterable<readonly ObjectRecord[]> {
    this.alive();
    return this.inner.readDeleted(type, options);
  }
  async getObject(type: ObjectType, id: string): Promise<{ object: ObjectRecord; links: LinksRecord[] } | null> {
    this.alive();
    await this.trip(() => this.readHook(++this.reads));
    return this.inner.getObject(type, id);
  }
  async getDeleted(type: ObjectType, id: string): Promise<ObjectRecord | null> {
    this.alive();
    return this.inner.getDeleted(type, id);
  }
  async getLinkTargets(type: ObjectType, id: string, link: LinkName): Promise<string[] | null> {
    this.alive();
    return this.inner.getLinkTargets(type, id, link);
  }
  async memberOf(type: ObjectType, id: string): Promise<string[] | null> {
    this.alive();
    return this.inner.memberOf(type, id);
  }
  async directoryRoleMembers(roleDisplayName: string): Promise<string[]> {
    this.alive();
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

/** The error a tripped call throws: the process "died" there. */
export class ProcessDied extends Error {
  constructor(call: number, phase: string) {
    super(`the process died ${phase} write call ${call}`);
  }
}
