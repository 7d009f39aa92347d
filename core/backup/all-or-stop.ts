import { linkedAbort } from "../../lib/linked-abort";

/**
 * Runs tasks at the same time on one signal, linked to `outer`. The first failure aborts that signal, so the
 * other tasks stop their Graph reads instead of running on (retries included) for a result nobody will use.
 * Settles once every task has, so nothing still writes when the caller cleans up; rejects with that first
 * failure.
 */
export async function allOrStop(outer: AbortSignal | undefined, tasks: ReadonlyArray<(signal: AbortSignal) => Promise<void>>): Promise<void> {
  const stop = linkedAbort(outer);
  let failure: { readonly error: unknown } | undefined;
  try {
    await Promise.all(
      tasks.map(async (task) => {
        try {
          await task(stop.signal);
        } catch (error) {
          if (failure === undefined) {
            failure = { error };
            stop.abort(error);
          }
        }
      }),
    );
  } finally {
    stop.dispose();
  }
  if (failure !== undefined) throw failure.error;
}
