/** Views: pure functions from the engine's objects to Rewind's cards (formatting, truncation, paging). */
export type { AdaptiveCard } from "../../cards";
export { BACKUPS_PER_PAGE, CHANGES_PER_PAGE, JOBS_PER_PAGE, type ViewContext } from "./view-context";
export { COMMAND_USAGE, helpView, type CommandName } from "./help-view";
export { backupListView } from "./backup-list-view";
export { backupResultView } from "./backup-result-view";
export { jobProgressView } from "./job-progress-view";
export { JOB_CARD_SIZES, jobCardView } from "./job-card-view";
export { reportSummaryView } from "./report-summary-view";
export { changesPageView, type ChangesPageInput } from "./changes-page-view";
export { recoveryConfirmationView, type RecoveryConfirmationInput } from "./recovery-confirmation-view";
export { recoveryResultView, type RecoveryResultInput } from "./recovery-result-view";
export { jobsListView, type JobsListInput } from "./jobs-list-view";
export { errorView, type ErrorViewInput } from "./error-view";
export { whoAmIView } from "./who-am-i-view";
export { noticeView } from "./notice-view";
