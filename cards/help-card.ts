import { z } from "zod";
import type { AdaptiveCard } from "./adaptive-card";
import { renderTemplate } from "./render-template";
import template from "./templates/help.card.json";

/** The help card: every chat command with its usage, purpose and who may use it. */
export const helpCardSchema = z.strictObject({
  title: z.string().min(1),
  intro: z.string().min(1),
  commands: z
    .array(z.strictObject({ usage: z.string().min(1), purpose: z.string().min(1), who: z.string().min(1) }))
    .min(1),
  footer: z.string().min(1),
});
export type HelpCardData = z.input<typeof helpCardSchema>;

/** Renders the help card (buttons: Backups, Jobs, Who am I). */
export function renderHelpCard(data: HelpCardData): AdaptiveCard {
  return renderTemplate({ name: "help", template, schema: helpCardSchema }, data);
}
