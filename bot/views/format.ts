/**
 * Text formatting shared by the views: UTC times, relative durations, counts, truncation, and making tenant
 * text (names, property values, Graph messages) inert on a card.
 */
import type { ViewContext } from "./view-context";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const COUNT = new Intl.NumberFormat("en-US");

/** "2026-11-25 02:00 UTC" (the input as is when it is not a date). */
export function formatUtc(iso: string | undefined): string {
  if (!iso) return "—";
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const text = new Date(at).toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, 16)} UTC`;
}

/** "less than a minute", "about 4 min", "about 2 h 10 min", "about 3 days". */
export function formatDuration(ms: number): string {
  if (ms < MINUTE) return "less than a minute";
  if (ms < HOUR) return `about ${Math.round(ms / MINUTE)} min`;
  if (ms < DAY) {
    const hours = Math.floor(ms / HOUR);
    const minutes = Math.round((ms - hours * HOUR) / MINUTE);
    return minutes > 0 && minutes < 60 ? `about ${hours} h ${minutes} min` : `about ${Math.round(ms / HOUR)} h`;
  }
  const days = Math.round(ms / DAY);
  return `about ${days} ${days === 1 ? "day" : "days"}`;
}

/** "about 4 min left (estimated completion 2026-11-25 02:14 UTC)", or that it is due any moment. */
export function formatEta(estimatedIso: string, now: Date): string {
  const at = Date.parse(estimatedIso);
  if (Number.isNaN(at)) return `Estimated completion: ${estimatedIso}`;
  const left = at - now.getTime();
  if (left <= 0) return `Should finish any moment now (estimated ${formatUtc(estimatedIso)}).`;
  return `${capitalize(formatDuration(left))} left (estimated completion ${formatUtc(estimatedIso)}).`;
}

/** 12,345 */
export function formatCount(n: number): string {
  return COUNT.format(n);
}

/** "1 change", "12,345 changes". */
export function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

export function capitalize(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

/** At most `max` characters (whole code points), ending with "…" when cut. */
export function clip(text: string, max: number): string {
  const points = Array.from(text);
  if (points.length <= max) return text;
  return `${points.slice(0, Math.max(1, max - 1)).join("")}…`;
}

/**
 * Tenant text is shown on cards that render markdown. Breaking link syntax (`[text](url)`, `<scheme:…>`) with
 * an invisible zero-width space keeps a display name or property value from turning into a disguised link.
 */
export function inert(text: string): string {
  return text.replace(/\]\(/g, "]\u200b(").replace(/<(?=[a-z][a-z0-9+.-]*:)/gi, "<\u200b");
}

/** Tenant text made inert and clipped. */
export function tenantText(text: string, max: number): string {
  return inert(clip(text.replace(/\s+/g, " ").trim(), max)) || "(empty)";
}

/** A property value for a card: strings as they are, everything else as compact JSON, clipped. */
export function compactValue(value: unknown, max: number): string {
  if (value === null || value === undefined) return "(none)";
  if (typeof value === "string") return value.length === 0 ? "(empty)" : tenantText(value, max);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  let json: string;
  try {
    json = JSON.stringify(value) ?? String(value);
  } catch {
    json = String(value);
  }
  return tenantText(json, max);
}

/** A person's display name from the context, else their id. */
export function personName(viewContext: ViewContext, userId: string | undefined): string {
  if (!userId) return "—";
  return tenantText(viewContext.names.get(userId) ?? userId, 80);
}

/** The first 8 characters of an id, for compact lists. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}
