import type { Container } from "@azure/cosmos";
import type { z } from "zod";
import { hasStatus } from "./cosmos-containers";
import { parseDoc } from "./cosmos-conversation-documents";

/** Reads one document by id in its partition, parsed through `schema`; null when there is none. */
export async function readDoc<T>(container: Container, id: string, pk: string, schema: z.ZodType<T>, what: string): Promise<T | null> {
  try {
    const { resource, statusCode } = await container.item(id, pk).read();
    if (statusCode === 404 || resource === undefined) return null;
    return parseDoc(schema, resource, what);
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
