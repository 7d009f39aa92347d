/** How a pool runs: `signal` stops it taking new items (the work already started is awaited, then it throws the reason). */
export interface PoolOptions {
  readonly signal?: AbortSignal;
}

/**
 * Maps items with at most `concurrency` calls of `fn` in flight, keeping the input order in the result:
 * round trips overlap without flooding the service (Graph and Cosmos DB both throttle). After the first
 * failure (or an abort) no new item starts; the calls already started settle, then that failure is thrown.
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
  options: PoolOptions = {},
): Promise<R[]> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer (got ${concurrency}).`);
  const out = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async (): Promise<void> => {
    while (failure === null && next < items.length) {
      if (options.signal?.aborted) {
        failure = { error: options.signal.reason };
        return;
      }
      const i = next++;
      try {
        out[i] = await fn(items[i]!, i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
  return out;
}

/** `mapConcurrent` for work whose results nobody needs (same order of starts, same failure and abort rules). */
export async function forEachConcurrent<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<void>,
  options: PoolOptions = {},
): Promise<void> {
  await mapConcurrent(items, concurrency, fn, options);
}
