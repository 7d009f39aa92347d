/** Rewind's Adaptive Cards: one template, data schema and pure render function per card, and the verb contract. */
export { CARD_BUDGET_BYTES, CARD_VERSION, MAX_CARD_BYTES, cardBytes, type AdaptiveCard } from "./adaptive-card";
export { actionButtonSchema, type ActionButton } from "./action-button";
export { TEXT_COLORS, type ContainerStyle, type Fact, type Line, type TextColor } from "./card-parts";
export { CardTemplateError, renderTemplate, type CardDefinition } from "./render-template";
export {
  CARD_VERBS,
  FILTER_ACTIONS,
  FILTER_OBJECT_TYPES,
  OUTCOME_FILTERS,
  VERB_DATA,
  isCardVerb,
  parseVerbData,
  type CardVerb,
  type OutcomeFilter,
  type ParsedVerb,
  type VerbData,
  type VerbRefusal,
} from "./verbs";
export { renderBackupListCard, backupListCardSchema, type BackupListCardData } from "./backup-list-card";
export { renderBackupResultCard, backupResultCardSchema, type BackupResultCardData } from "./backup-result-card";
export { renderChangesPageCard, changesPageCardSchema, changeEntrySchema, type ChangeEntry, type ChangesPageCardData } from "./changes-page-card";
export { renderErrorCard, errorCardSchema, type ErrorCardData } from "./error-card";
export { renderHelpCard, helpCardSchema, type HelpCardData } from "./help-card";
export { renderJobProgressCard, jobProgressCardSchema, type JobProgressCardData } from "./job-progress-card";
export { renderJobsListCard, jobsListCardSchema, type JobsListCardData } from "./jobs-list-card";
export { renderNoticeCard, noticeCardSchema, type NoticeCardData } from "./notice-card";
export {
  MAX_REFRESH_USER_IDS,
  renderRecoveryConfirmationCard,
  recoveryConfirmationCardSchema,
  type RecoveryConfirmationCardData,
} from "./recovery-confirmation-card";
export { renderRecoveryResultCard, recoveryResultCardSchema, type RecoveryResultCardData } from "./recovery-result-card";
export { renderReportSummaryCard, reportSummaryCardSchema, type ReportSummaryCardData } from "./report-summary-card";
export { renderWhoAmICard, whoAmICardSchema, type WhoAmICardData } from "./who-am-i-card";
