import { createHash } from "node:crypto";
import { canonicalJson } from "../model/canonical-json";
import type { JobStore } from "../ports";

/** Changes read per page while digesting. */
const PAGE = 500;

/**
 * SHA-256 (hex) of a report's changes as stored, in `seq` order, each as canonical JSON. An approval names
 * this digest; a recovery recomputes it from the store before it plans, so a report edited after it was
 * approved (or a request pointing at other changes) writes nothing. Canonical JSON makes the digest a
 * function of the content, whatever key order a store gives back.
 */
export async function reportDigest(store: Pick<JobStore, "readChanges">, tenantId: string, jobId: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash("sha256");
  let afterSeq: number | undefined;
  for (;;) {
    signal?.throwIfAborted();
    const page = await store.readChanges(tenantId, jobId, { limit: PAGE, ...(afterSeq !== undefined ? { afterSeq } : {}) });
    for (const change of page) {
      hash.update(canonicalJson(change));
      hash.update("\n");
    }
    if (page.length < PAGE) return hash.digest("hex");
    afterSeq = page[page.length - 1]!.seq;
  }
}
