import type { Container } from "@azure/cosmos";
import { z } from "zod";
import type { RecoveryRequest } from "../../model/recovery-request";
import { requestRules } from "../shared/request-rules";
import { StoredRecoveryRequestSchema } from "../documents/stored-documents";
import { timeKey } from "../../../lib/time-key";
import { hasStatus } from "../../../lib/cosmos-calls";
import { queryAll } from "./cosmos-query";
import { parseStored } from "../../../lib/stored-json";

/**
 * A recovery request in `requests` (pk = tenantId, id = request id): the request without `version` under
 * `request`, with `version`, `state` and the normalized `requestedKey` beside it for the compare-and-set and
 * the listing.
 */
const RequestDocSchema = z.object({
  id: z.string(),
  pk: z.string(),
  version: z.number().int(),
  state: z.string(),
  requestedKey: z.string(),
  request: StoredRecoveryRequestSchema,
  _etag: z.string(),
});
type RequestDoc = z.infer<typeof RequestDocSchema>;

function toDoc(request: RecoveryRequest, version: number): Omit<RequestDoc, "_etag" | "request"> & { request: Omit<RecoveryRequest, "version"> } {
  const { doc: stored } = requestRules.split(request);
  return { id: request.id, pk: request.tenantId, version, state: request.state, requestedKey: timeKey(request.requestedAt, "requestedAt"), request: stored };
}

function fromDoc(raw: unknown): { request: RecoveryRequest; doc: RequestDoc } {
  const doc = parseStored(RequestDocSchema, raw, `recovery request ${(raw as { id?: unknown } | null)?.id ?? ""}`.trim());
  return { request: requestRules.join({ tenantId: doc.pk, id: doc.id }, doc.request, doc.version), doc };
}

/** Recovery requests of every tenant, in `requests`. */
export class CosmosRequests {
  constructor(private readonly container: Container) {}

  /** Adds a request; `StoreConflictError` when the id is taken (the create's 409). */
  async create(request: RecoveryRequest): Promise<void> {
    try {
      await this.container.items.create(toDoc(request, request.version));
    } catch (err) {
      if (hasStatus(err, 409)) throw requestRules.taken(request.id);
      throw err;
    }
  }

  async get(tenantId: string, requestId: string): Promise<RecoveryRequest | null> {
    return (await this.read(tenantId, requestId))?.request ?? null;
  }

  /** Newest first (by `requestedAt`, then id). */
  async list(tenantId: string, pendingOnly: boolean): Promise<RecoveryRequest[]> {
    const docs = await queryAll<unknown>(this.container, {
      query: `SELECT * FROM c WHERE c.pk = @pk${pendingOnly ? ' AND c.state = "pending"' : ""}`,
      parameters: [{ name: "@pk", value: tenantId }],
    });
    return docs
      .map((raw) => fromDoc(raw).doc)
      .sort((a, b) => (a.requestedKey !== b.requestedKey ? (a.requestedKey < b.requestedKey ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .map((doc) => ({ ...doc.request, version: doc.version }));
  }

  /** Compare-and-set on `version` (checked, then enforced by `IfMatch` on the etag read); returns the request as stored. */
  async update(request: RecoveryRequest): Promise<RecoveryRequest> {
    const found = await this.read(request.tenantId, request.id);
    if (found === null) throw requestRules.missing(request.id);
    const stale = () => requestRules.stale(request.id, found.doc.version, request.version);
    if (found.doc.version !== request.version) throw stale();
    try {
      const { resource } = await this.container
        .item(request.id, request.tenantId)
        .replace(toDoc(request, request.version + 1), { accessCondition: { type: "IfMatch", condition: found.doc._etag } });
      return fromDoc(resource).request;
    } catch (err) {
      if (hasStatus(err, 412)) throw stale();
      if (hasStatus(err, 404)) throw requestRules.missing(request.id);
      throw err;
    }
  }

  private async read(tenantId: string, requestId: string): Promise<{ request: RecoveryRequest; doc: RequestDoc } | null> {
    const { resource, statusCode } = await this.container.item(requestId, tenantId).read();
    return statusCode === 404 || resource === undefined ? null : fromDoc(resource);
  }
}
