import { z } from "zod";
import { actionButtonSchema } from "./action-button";
import type { AdaptiveCard } from "./adaptive-card";
import { containerStyleSchema } from "./card-parts";
import { renderTemplate } from "./render-template";
import template from "./templates/error.card.json";

/**
 * A refusal or failure: its title, "Error <status>", the message exactly as given (shown as a plain text run,
 * so no markdown changes it on screen), what to do next, a usage line, and an optional way back.
 */
export const errorCardSchema = z.strictObject({
  title: z.string().min(1),
  statusLine: z.string().min(1),
  style: containerStyleSchema,
  message: z.string().min(1),
  nextStep: z.string(),
  usage: z.string(),
  back: actionButtonSchema.nullable(),
});
export type ErrorCardData = z.input<typeof errorCardSchema>;

/** Renders an error card. */
export function renderErrorCard(data: ErrorCardData): AdaptiveCard {
  return renderTemplate({ name: "error", template, schema: errorCardSchema }, data);
}
