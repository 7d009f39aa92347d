import type { RecoveryRequest } from "../../model/recovery-request";
import { StoreConflictError, StoreNotFoundError } from "../../model/store-error";

/** The recovery-request rules every store applies, with one message each (compare-and-set on `version`, like jobs). */
export const requestRules = {
  taken(requestId: string): StoreConflictError {
    return new StoreConflictError(`Recovery request ${requestId} already exists.`);
  },

  missing(requestId: string): StoreNotFoundError {
    return new StoreNotFoundError(`No recovery request ${requestId}.`);
  },

  stale(requestId: string, storedVersion: number, givenVersion: number): StoreConflictError {
    return new StoreConflictError(`Recovery request ${requestId} changed since it was read (version ${storedVersion}, not ${givenVersion}).`);
  },

  /** A request as a document without `version` (the store keeps it beside, for the compare-and-set). */
  split(request: RecoveryRequest): { doc: Omit<RecoveryRequest, "version">; version: number } {
    const { version, ...doc } = request;
    return { doc, version };
  },

  /** A stored request put back together; the key it was stored under decides whose request it is. */
  join(key: { readonly tenantId: string; readonly id: string }, doc: Omit<RecoveryRequest, "version">, version: number): RecoveryRequest {
    if (doc.id !== key.id || doc.tenantId !== key.tenantId) throw new Error(`Stored recovery request ${key.id} holds the document of another request (${doc.id}).`);
    return { ...doc, version };
  },
} as const;
