import type { Container, SqlQuerySpec } from "@azure/cosmos";

/** Results per page when a query is read to the end. */
const ALL_PAGE_ROWS = 1000;

/**
 * Runs a query page by page (never all results at once), yielding each result. Every query here filters on
 * `c.pk` itself: the emulator ignores the `partitionKey` option, and real Cosmos routes by it.
 */
export async function* queryRows(container: Container, query: SqlQuerySpec, pageSize = 100): AsyncGenerator<unknown> {
  const iterator = container.items.query(query, { maxItemCount: pageSize });
  while (iterator.hasMoreResults()) {
    const page = await iterator.fetchNext();
    for (const row of page.resources) yield row;
  }
}

/**
 * Every result of a query, read to the end (page after page): for answers known to be small (ids and a few
 * fields per document, a `TOP @n` round, one tenant's jobs). Rows are unchecked: callers parse them.
 */
export async function queryAll<T = unknown>(container: Container, query: SqlQuerySpec): Promise<T[]> {
  const rows: T[] = [];
  for await (const row of queryRows(container, query, ALL_PAGE_ROWS)) rows.push(row as T);
  return rows;
}
