import type { Container, SqlParameter } from "@azure/cosmos";

/**
 * Runs a query page by page (never all results at once), yielding each result. Every query here filters on
 * `c.pk` itself: the emulator ignores the `partitionKey` option, and real Cosmos routes by it.
 */
export async function* queryRows(container: Container, query: string, parameters: SqlParameter[], pageSize = 100): AsyncGenerator<unknown> {
  const iterator = container.items.query({ query, parameters }, { maxItemCount: pageSize });
  while (iterator.hasMoreResults()) {
    const page = await iterator.fetchNext();
    for (const row of page.resources) yield row;
  }
}

/** All rows of a query known to be small (ids, a few fields per document). */
export async function queryAll(container: Container, query: string, parameters: SqlParameter[]): Promise<unknown[]> {
  const rows: unknown[] = [];
  for await (const row of queryRows(container, query, parameters, 1000)) rows.push(row);
  return rows;
}
