import { z } from "zod";
import type { AdaptiveCard } from "./adaptive-card";
import { factSchema, textColorSchema, textsSchema } from "./card-parts";
import { renderTemplate } from "./render-template";
import template from "./templates/who-am-i.card.json";

/** Who the user is to Rewind: their roles and, in plain words, what those allow. */
export const whoAmICardSchema = z.strictObject({
  title: z.string().min(1),
  facts: z.array(factSchema).min(1),
  rolesLine: z.string().min(1),
  rolesColor: textColorSchema,
  allows: textsSchema,
  advice: z.string(),
});
export type WhoAmICardData = z.input<typeof whoAmICardSchema>;

/** Renders the "who am I" card. */
export function renderWhoAmICard(data: WhoAmICardData): AdaptiveCard {
  return renderTemplate({ name: "who-am-i", template, schema: whoAmICardSchema }, data);
}
