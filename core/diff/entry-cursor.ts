import type { SnapshotEntry } from "./compare-object";

/** Walks a stream of sorted batches one entry at a time, so two streams can be merged. */
export class EntryCursor {
  private batch: ReadonlyArray<SnapshotEntry> = [];
  private index = 0;
  private done = false;
  private readonly source: AsyncIterator<ReadonlyArray<SnapshotEntry>>;

  constructor(batches: AsyncIterable<ReadonlyArray<SnapshotEntry>>) {
    this.source = batches[Symbol.asyncIterator]();
  }

  /** The next entry without taking it, or null at the end. */
  async peek(): Promise<SnapshotEntry | null> {
    while (this.index >= this.batch.length) {
      if (this.done) return null;
      const next = await this.source.next();
      if (next.done) {
        this.done = true;
        return null;
      }
      this.batch = next.value;
      this.index = 0;
    }
    return this.batch[this.index] ?? null;
  }

  /** Takes the entry `peek` returned. */
  take(): void {
    this.index++;
  }

  /** Stops the underlying read early (on cancel or error). */
  async close(): Promise<void> {
    if (!this.done) {
      this.done = true;
      await this.source.return?.();
    }
  }
}
