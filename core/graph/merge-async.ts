/**
 * Interleaves several async iterables, pulling from all of them at once and yielding items as they arrive.
 * Lets independent Graph enumerations (a delta pass and an `$expand` pass) overlap instead of queueing.
 * Stops every source when the consumer stops early or one source fails. `onStop` runs first then, so sources
 * waiting on a request can be aborted rather than waited for (a source mid-`next()` closes only after it).
 */
export async function* mergeAsync<T>(sources: ReadonlyArray<AsyncIterable<T>>, onStop?: () => void): AsyncGenerator<T> {
  const iterators = sources.map((s) => s[Symbol.asyncIterator]());
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<T> }>>();
  const pull = (index: number): void => {
    pending.set(index, iterators[index]!.next().then((result) => ({ index, result })));
  };
  iterators.forEach((_, i) => pull(i));
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(index);
        continue;
      }
      pull(index);
      yield result.value;
    }
  } finally {
    // Early stop or failure: close what is still open, ignoring their own errors, including those of
    // pulls nobody will await any more.
    if (pending.size > 0) onStop?.();
    for (const p of pending.values()) p.catch(() => undefined);
    await Promise.all([...pending.keys()].map((i) => iterators[i]!.return?.().catch(() => undefined)));
  }
}
