import { MAX_REFRESH_USER_IDS, renderRecoveryConfirmationCard, type AdaptiveCard, type ContainerStyle } from "../../cards";
import type { Change } from "../../core/model/change";
import type { Job } from "../../core/model/job";
import type { RecoveryRequest } from "../../core/model/recovery-request";
import { changeName } from "./change-entry";
import { fitToBudget } from "./fit-budget";
import { formatCount, formatUtc, personName, plural, tenantText } from "./format";
import { REASON_LABEL, countsByAction, describeScope, excludedLines, typeLabel } from "./labels";
import type { ViewContext } from "./view-context";

/** What the confirmation card shows, and to whom. */
export interface RecoveryConfirmationInput {
  readonly request: RecoveryRequest;
  /** The difference report the request applies. */
  readonly report: Job;
  /** A few of the report's changes that cannot be recovered (examples; at most 5 are shown). */
  readonly excluded: readonly Change[];
  /** An approver may decide now; the requester and others only see the request. */
  readonly viewer: "approver" | "requester" | "viewer";
  /** Teams ids ("29:…") of those who may approve, for Teams' per-user refresh (at most 60 are kept). */
  readonly approverChannelIds: readonly string[];
  /** A few of the recoverable changes flagged security-sensitive (the count comes from the report). */
  readonly sensitive: readonly Change[];
  /** The job holding the tenant's job slot while the request waits (not this request's own recovery), or null. */
  readonly running: Job | null;
  /** RECOVERY_REQUIRES_SECOND_APPROVER: whether the requester may approve their own request. */
  readonly requireSecondApprover: boolean;
  /** Whether the card's viewer may cancel jobs (a Cancel button for the job in the way; the click is checked again). */
  readonly canCancel: boolean;
}

const EXAMPLES = 5;

function stateOf(request: RecoveryRequest, now: Date): "pending" | "expired" | "approved" | "rejected" | "withdrawn" {
  if (request.state === "pending") return Date.parse(request.expiresAt) <= now.getTime() ? "expired" : "pending";
  return request.state;
}

/**
 * A recovery request: what it will write (by action), what it leaves out and why, its state, and, only for an
 * approver while it is pending, Approve and Reject. While pending, Teams refreshes the card per approver
 * (`recovery.view`), so each sees the buttons their own role allows; once decided or expired it is static.
 */
export function recoveryConfirmationView(p: RecoveryConfirmationInput, viewContext: ViewContext): AdaptiveCard {
  const { request, report } = p;
  const state = stateOf(request, viewContext.now);
  const decidedBy = personName(viewContext, request.decidedBy);
  const decidedAt = formatUtc(request.decidedAt);
  const status: Record<typeof state, { line: string; style: ContainerStyle; waiting: string }> = {
    pending: {
      line: "Waiting for a Backup Administrator's approval",
      style: "warning",
      waiting:
        p.viewer === "approver"
          ? "Check what will be done, then approve or reject. Approving starts the recovery job at once."
          : p.viewer === "requester"
            ? p.requireSecondApprover
              ? "Waiting for another administrator to approve or reject it."
              : "Waiting for an administrator (you included) to approve or reject it."
            : "Only a Backup Administrator or a Global Administrator can approve it.",
    },
    expired: {
      line: `Expired at ${formatUtc(request.expiresAt)} without a decision`,
      style: "attention",
      waiting: `Nothing was changed. The tenant keeps changing, so run a new difference report of backup ${request.backupId}, or ask again with recover ${request.reportId}.`,
    },
    approved: {
      line: `Approved by ${decidedBy} at ${decidedAt}`,
      style: "good",
      waiting: request.recoveryJobId ? `Recovery job ${request.recoveryJobId} started; its progress card follows.` : "",
    },
    rejected: {
      line: `Rejected by ${decidedBy} at ${decidedAt}${request.reason ? `: ${tenantText(request.reason, 300)}` : ""}`,
      style: "attention",
      waiting: "Nothing was changed.",
    },
    withdrawn: { line: `Withdrawn${request.decidedBy ? ` by ${decidedBy}` : ""}${request.decidedAt ? ` at ${decidedAt}` : ""}`, style: "default", waiting: "Nothing was changed." },
  };
  const summary = report.summary;
  const plan: string[] = [];
  if (summary) {
    const byAction = countsByAction(summary);
    const parts = [
      byAction.restore > 0 ? `${formatCount(byAction.restore)} to restore` : "",
      byAction.update > 0 ? `${formatCount(byAction.update)} to update` : "",
      byAction.softDelete > 0 ? `${formatCount(byAction.softDelete)} to soft-delete` : "",
    ].filter((t) => t.length > 0);
    const links = summary.links > 0 ? `, with ${plural(summary.links, "link change", "link changes")}` : "";
    plan.push(`The report lists ${plural(summary.total, "change", "changes")}${parts.length > 0 ? `: ${parts.join(", ")}` : ""}${links}.`);
    plan.push(
      summary.notRecoverable > 0
        ? `${formatCount(summary.notRecoverable)} of them cannot be recovered and are left out (below), so at most ${plural(summary.total - summary.notRecoverable, "change is", "changes are")} written.`
        : `All of them can be recovered.`,
    );
  } else {
    plan.push("The report's counts are not available; every recoverable change of the report is written.");
  }
  const scoped = (request.scope.types?.length ?? 0) > 0 || (request.scope.objects?.length ?? 0) > 0 || (request.scope.attributes?.length ?? 0) > 0;
  if (scoped) plan.push(`Only changes within this request's scope are written: ${describeScope(request.scope)}.`);
  plan.push("Order: restores, then property updates, then links, then soft-deletes. Nothing is deleted permanently: a soft-deleted object stays restorable for 30 days.");
  plan.push("An object that changed after the report is skipped and listed, never overwritten.");

  const decision = { requestId: request.id, reportId: request.reportId, digest: request.digest };
  const open = state === "pending";
  const canDecide = open && p.viewer === "approver";
  const requester = personName(viewContext, request.requestedBy);
  const whoMayApprove = p.requireSecondApprover
    ? `A Backup Administrator or Global Administrator other than ${requester}`
    : `Any Backup Administrator or Global Administrator, ${requester} included (this tenant lets one administrator approve their own request)`;
  const sensitiveCount = summary?.sensitive ?? p.sensitive.length;
  const running = open && p.running ? runningNotice(p.running, viewContext) : null;
  return fitToBudget((level) =>
    renderRecoveryConfirmationCard({
      title: `Recovery to backup ${request.backupId}`,
      stateLine: status[state].line,
      stateStyle: status[state].style,
      waiting: status[state].waiting,
      facts: [
        { title: "Requested by", value: personName(viewContext, request.requestedBy) },
        { title: "Requested at", value: formatUtc(request.requestedAt) },
        { title: state === "expired" ? "Expired at" : "Expires at", value: formatUtc(request.expiresAt) },
        { title: "Difference report", value: request.reportId },
        { title: "Scope", value: scoped ? describeScope(request.scope) : "Every change of the report" },
        ...(open ? [{ title: "Who may approve", value: whoMayApprove }] : []),
        { title: "Request id", value: request.id },
      ],
      plan,
      excludedTitle: `Left out: ${plural(summary?.notRecoverable ?? 0, "change", "changes")} that cannot be recovered`,
      excluded: summary ? excludedLines(summary) : [],
      examples: p.excluded.slice(0, EXAMPLES).map((c) => ({
        name: `${changeName(c, level)} (${typeLabel(c.entityTypeName)})`,
        detail: c.notRecoverableDetail
          ? tenantText(c.notRecoverableDetail, level.messageChars)
          : c.notRecoverableReason
            ? REASON_LABEL[c.notRecoverableReason]
            : "Cannot be recovered.",
      })),
      sensitiveTitle:
        sensitiveCount > 0
          ? `Security-sensitive: ${plural(sensitiveCount, "change weakens or widens", "changes weaken or widen")} the tenant's security when written back. Check ${sensitiveCount === 1 ? "it" : "them"} before approving`
          : "",
      sensitive:
        sensitiveCount > 0
          ? p.sensitive.slice(0, EXAMPLES).map((c) => ({
              name: `${changeName(c, level)} (${typeLabel(c.entityTypeName)})`,
              detail: tenantText((c.sensitive ?? []).join(" "), level.messageChars),
            }))
          : [],
      running,
      cancelRunning: running && p.canCancel && p.running ? { jobId: p.running.id } : null,
      approve: canDecide ? decision : null,
      reject: canDecide ? decision : null,
      recheck: open && !canDecide ? decision : null,
      refresh: open ? { data: decision, userIds: p.approverChannelIds.slice(0, MAX_REFRESH_USER_IDS) } : null,
    }),
  );
}

/** "A difference report is running…": who started the job in the way, since when, and what it means here. */
function runningNotice(job: Job, viewContext: ViewContext): { title: string; text: string } {
  const what = job.kind === "recovery" ? "A recovery job" : "A difference report";
  return {
    title: `${what} holds the tenant's job slot`,
    text: `Started by ${personName(viewContext, job.requestedBy)} at ${formatUtc(job.startedAt ?? job.createdAt)} (job ${job.id}, ${job.state}). Only one job runs at a time, so this recovery can start once it ends; an administrator can cancel it.`,
  };
}
