/**
 * `work`, or the error `late()` makes once `ms` passed without it settling. Whatever `work` does after that
 * is nobody's concern any more (its late rejection is swallowed, never unhandled). The one deadline every
 * outbound call uses: Graph tokens, role lookups, the Bot Connector, Cosmos DB start-up, readiness checks.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, late: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late()), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined);
  }
}
