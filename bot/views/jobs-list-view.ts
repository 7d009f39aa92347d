import { renderJobsListCard, type AdaptiveCard } from "../../cards";
import { isTerminal, type Job } from "../../core/model/job";
import { formatCount, formatUtc, personName, shortId } from "./format";
import { progressLine } from "./job-progress-view";
import { KIND_LABEL, STATE_COLOR, STATE_LABEL } from "./labels";
import { JOBS_PER_PAGE, type ViewContext } from "./view-context";

/** What the job list shows: one page of jobs, of the tenant or of one backup. */
export interface JobsListInput {
  readonly jobs: readonly Job[];
  readonly backupId?: string;
  readonly page: number;
  readonly hasNext: boolean;
}

const RETENTION = "Difference reports and recovery jobs are kept for five days after they complete, then removed.";

/** A page of difference reports and recovery jobs, each with "Open"; paging keeps the backup filter. */
export function jobsListView(p: JobsListInput, viewContext: ViewContext): AdaptiveCard {
  const page = Math.max(1, Math.floor(p.page) || 1);
  const filter = p.backupId ? { backupId: p.backupId } : {};
  const jobs = p.jobs.slice(0, JOBS_PER_PAGE);
  const empty =
    jobs.length > 0
      ? ""
      : page > 1
        ? "No more jobs: the list ended on an earlier page."
        : `${p.backupId ? `No difference report or recovery job of backup ${p.backupId}.` : "No difference reports or recovery jobs."} ${RETENTION} Start a report from the backup list.`;
  return renderJobsListCard({
    title: p.backupId ? `Reports and recoveries of backup ${p.backupId}` : "Reports and recoveries",
    subtitle: `Page ${formatCount(page)} · newest first · ${RETENTION}`,
    empty,
    jobs: jobs.map((job) => ({
      heading: `${KIND_LABEL[job.kind]} · backup ${job.backupId}`,
      stateLabel: `${STATE_LABEL[job.state]}${job.cancelRequested && !isTerminal(job.state) ? " (cancel requested)" : ""}${isTerminal(job.state) ? "" : ` · ${progressLine(job)}`}`,
      stateColor: STATE_COLOR[job.state],
      detail: `Created ${formatUtc(job.createdAt)} by ${personName(viewContext, job.requestedBy)} · job ${shortId(job.id)}`,
      open: { jobId: job.id },
    })),
    previous: page > 1 ? { ...filter, page: page - 1 } : null,
    next: p.hasNext && page < 100_000 ? { ...filter, page: page + 1 } : null,
    all: p.backupId ? {} : null,
  });
}
