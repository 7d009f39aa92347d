import type { RecoveryRequest } from "../../core/model/recovery-request";

/** What an approval card carries for a request: its id, report and change digest. */
export function approvalOf(request: RecoveryRequest): { requestId: string; reportId: string; digest: string } {
  return { requestId: request.id, reportId: request.reportId, digest: request.digest };
}
