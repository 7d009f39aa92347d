import type { Container, SqlQuerySpec } from "@azure/cosmos";
import type { z } from "zod";
import { parseStored } from "./stored-json";

/** Whether a Cosmos error has this HTTP status (the SDK's errors carry `code`). */
export function hasStatus(err: unknown, status: number): boolean {
  return typeof err === "object" && err !== null && ((err as { code?: unknown }).code === status || (err as { statusCode?: unknown }).statusCode === status);
}

/** Reads one document by id in its partition, parsed through `schema`; null when there is none. */
export async function readDoc<T>(container: Container, id: string, pk: string, schema: z.ZodType<T>, what: string): Promise<T | null> {
  try {
    const { resource, statusCode } = await container.item(id, pk).read();
    if (statusCode === 404 || resource === undefined) return null;
    return parseStored(schema, resource, what);
  } catch (err) {
    if (hasStatus(err, 404)) return null;
    throw err;
  }
}

/** Runs a conditional write; false when Cosmos refused it for a lost race (412 stale etag, 409 taken, 404 gone). */
export async function wonRace(write: () => Promise<unknown>, lost: readonly number[] = [404, 409, 412]): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (err) {
    if (lost.some((status) => hasStatus(err, status))) return false;
    throw err;
  }
}

/**
 * The results of a query within one partition: Cosmos routes it there (`partitionKey`), and the query must filter
 * on the same key itself too (`c.pk = @pk`), since the emulator ignores the option. Never a fan-out.
 */
export async function queryPartition<T>(container: Container, partitionKey: string, query: SqlQuerySpec): Promise<T[]> {
  if (!/\bc\.pk = @pk\b/.test(query.query) || !query.parameters?.some((p) => p.name === "@pk" && p.value === partitionKey)) {
    throw new Error("A single-partition query must filter on c.pk = @pk with the same partition key.");
  }
  const { resources } = await container.items.query<T>(query, { partitionKey }).fetchAll();
  return resources;
}
