import { canonicalJson } from "../model/canonical-json";
import type { RecoveryJob } from "../model/job";
import type { RecoveryRequest } from "../model/recovery-request";
import type { RecoveryRequestStore } from "../ports";

/** Why a recovery job is refused: in words for the admin (shown on the job) and the audit. */
export const NO_APPROVAL =
  "This recovery job has no approved recovery request that names it, so Rewind refused to run it and wrote nothing. Ask for the recovery again with `recover <reportId>`.";

/**
 * The approved request a recovery job runs under, or why there is none. A job is only ever created by an
 * approval, which marks its request approved with the job's id first; a job found without such a request
 * (written into the store by other means, or whose request was changed since) must write nothing. Every
 * field the job carries from its request must match it.
 */
export async function approvedRequestOf(store: Pick<RecoveryRequestStore, "getRecoveryRequest">, job: RecoveryJob): Promise<RecoveryRequest | null> {
  const request = await store.getRecoveryRequest(job.tenantId, job.recoveryRequestId);
  if (!request) return null;
  const matches =
    request.state === "approved" &&
    request.recoveryJobId === job.id &&
    request.reportId === job.reportId &&
    request.backupId === job.backupId &&
    request.requestedBy === job.requestedBy &&
    request.decidedBy === job.approvedBy &&
    canonicalJson(request.scope) === canonicalJson(job.scope) &&
    request.digest.length > 0;
  return matches ? request : null;
}
