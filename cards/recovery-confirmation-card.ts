import { z } from "zod";
import type { AdaptiveCard } from "./adaptive-card";
import { containerStyleSchema, factSchema, textsSchema } from "./card-parts";
import { renderTemplate } from "./render-template";
import template from "./templates/recovery-confirmation.card.json";
import { VERB_DATA } from "./verbs";

/** Most users a card's refresh may name (Teams' limit for user-specific views). */
export const MAX_REFRESH_USER_IDS = 60;

/** A recovery request as an approver, its requester or anyone else sees it. */
export const recoveryConfirmationCardSchema = z.strictObject({
  title: z.string().min(1),
  stateLine: z.string().min(1),
  stateStyle: containerStyleSchema,
  /** Who is waiting for whom ("" to show nothing). */
  waiting: z.string(),
  facts: z.array(factSchema).min(1),
  plan: textsSchema.min(1),
  excludedTitle: z.string().min(1),
  excluded: textsSchema,
  examples: z.array(z.strictObject({ name: z.string().min(1), detail: z.string().min(1) })).max(5),
  /** Security-sensitive changes the recovery would write: a heading with their count, and a few of them. */
  sensitiveTitle: z.string(),
  sensitive: z.array(z.strictObject({ name: z.string().min(1), detail: z.string().min(1) })).max(5),
  /** Another job holds the tenant's job slot: who started it and since when (the recovery waits for it). */
  running: z.strictObject({ title: z.string().min(1), text: z.string().min(1) }).nullable(),
  /** For administrators while another job holds the slot: cancels it. */
  cancelRunning: VERB_DATA["job.cancel"].nullable(),
  /** Only for an approver while the request is pending. */
  approve: VERB_DATA["recovery.approve"].nullable(),
  reject: VERB_DATA["recovery.reject"].nullable(),
  /**
   * While pending, for everyone else: asks for their own view. Teams refreshes the card by itself for the
   * users named in `refresh` (60 at most); this button serves the others and clients that do not refresh.
   */
  recheck: VERB_DATA["recovery.view"].nullable(),
  /** While pending: Teams asks each named user's own view of the card (Universal Actions user-specific views). */
  refresh: z
    .strictObject({
      data: VERB_DATA["recovery.view"],
      userIds: z.array(z.string().min(1)).max(MAX_REFRESH_USER_IDS),
    })
    .nullable(),
});
export type RecoveryConfirmationCardData = z.input<typeof recoveryConfirmationCardSchema>;

/** Renders a recovery request's confirmation card. */
export function renderRecoveryConfirmationCard(data: RecoveryConfirmationCardData): AdaptiveCard {
  return renderTemplate({ name: "recovery-confirmation", template, schema: recoveryConfirmationCardSchema }, data);
}
