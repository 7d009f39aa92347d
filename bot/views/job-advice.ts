/** What to do next, from Microsoft's troubleshooting page for Entra Backup and Recovery (its "Resolution" sections). */

export const REPORT_FAILED_ADVICE: readonly string[] = [
  "Review the error above.",
  "Retry the difference report with a narrower scope, such as one object type or some object ids (for example diff <backupId> type=user).",
  "Make sure no other difference report or recovery job is running at the same time (jobs lists them).",
];

export const RECOVERY_FAILED_ADVICE: readonly string[] = [
  "Review the failed changes (Show result lists them with Microsoft Graph's messages).",
  "Retry recovery with a narrower scope, focusing on supported cloud-only objects: run a difference report of just those objects and recover it.",
  "Make sure no other difference report or recovery job is running at the same time.",
];

export const RECOVERY_WARNINGS_ADVICE: readonly string[] = [
  "Review the failed changes list: each has Microsoft Graph's message.",
  "Retry recovery with a narrower scope, focusing on supported cloud-only objects (synchronized objects must be fixed in on-premises Active Directory).",
  "Re-create by hand any link that could not be recovered: its other object no longer exists, or the link type is not supported.",
];

/** While a job runs for long. */
export const LONG_RUNNING_NOTE =
  "Large tenants and large change sets take longer. Let it run unless you need to cancel it; only one job runs at a time.";

/** When a cancel was asked and the job still runs. */
export const CANCEL_BEST_EFFORT = "Cancelling is best-effort: some work may continue briefly before the job stops.";
