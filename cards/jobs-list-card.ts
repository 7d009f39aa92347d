import { z } from "zod";
import type { AdaptiveCard } from "./adaptive-card";
import { textColorSchema } from "./card-parts";
import { renderTemplate } from "./render-template";
import template from "./templates/jobs-list.card.json";
import { VERB_DATA } from "./verbs";

/** One job in the list, with its "Open" button. */
const jobEntrySchema = z.strictObject({
  heading: z.string().min(1),
  stateLabel: z.string().min(1),
  stateColor: textColorSchema,
  detail: z.string().min(1),
  open: VERB_DATA["job.refresh"],
});

/** A page of difference reports and recovery jobs, of the tenant or of one backup. */
export const jobsListCardSchema = z.strictObject({
  title: z.string().min(1),
  subtitle: z.string().min(1),
  empty: z.string(),
  jobs: z.array(jobEntrySchema).max(10),
  previous: VERB_DATA["jobs.list"].nullable(),
  next: VERB_DATA["jobs.list"].nullable(),
  /** When filtered by backup: the unfiltered list. */
  all: VERB_DATA["jobs.list"].nullable(),
});
export type JobsListCardData = z.input<typeof jobsListCardSchema>;

/** Renders a page of the job list. */
export function renderJobsListCard(data: JobsListCardData): AdaptiveCard {
  return renderTemplate({ name: "jobs-list", template, schema: jobsListCardSchema }, data);
}
