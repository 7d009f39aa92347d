import { renderNoticeCard, type AdaptiveCard } from "../../cards";

/** A short generic message (for example, that Rewind serves only its own tenant). */
export function noticeView(p: { title: string; text: string; style?: "default" | "good" | "attention" | "warning" }): AdaptiveCard {
  return renderNoticeCard({ title: p.title, text: p.text, style: p.style ?? "default" });
}
