import { z } from "zod";
import type { AdaptiveCard } from "./adaptive-card";
import { containerStyleSchema } from "./card-parts";
import { renderTemplate } from "./render-template";
import template from "./templates/notice.card.json";

/** A short message with no buttons (for example, a refusal to serve another tenant). */
export const noticeCardSchema = z.strictObject({
  title: z.string().min(1),
  text: z.string().min(1),
  style: containerStyleSchema,
});
export type NoticeCardData = z.input<typeof noticeCardSchema>;

/** Renders a notice card. */
export function renderNoticeCard(data: NoticeCardData): AdaptiveCard {
  return renderTemplate({ name: "notice", template, schema: noticeCardSchema }, data);
}
