import type { ConnectorCall } from "./chaos-connector";

/** The ids an alert can be about, most specific first. */
export interface AlertSubjects {
  readonly recoveryJobId: string;
  readonly requestId: string;
  readonly reportId: string;
}

/** One send (a reply in a turn or a proactive message: botbuilder posts both to `…/activities/{id}`): where, about what, and the card's first line. */
export interface SentAlert {
  readonly conversationId: string;
  readonly about: "recovery" | "request" | "report" | "other";
  readonly title: string;
  readonly at: number;
}

/** What the connector received, as alerts. */
export interface AlertFigures {
  readonly sends: number;
  readonly updates: number;
  /** Sends per conversation, about what, with which title. */
  readonly sent: Record<string, Record<string, number>>;
  /** The same conversation told the same thing (about, title) more than once. */
  readonly duplicates: string[];
}

/**
 * What a card is, in a line: its first TextBlock's text and its buttons' verbs (a recovery's progress card and
 * its result card share a title; the result has `changes.page`), or the activity's text.
 */
export function cardTitle(body: string): string {
  const activity = JSON.parse(body) as { text?: unknown; attachments?: Array<{ content?: unknown }> };
  let title: string | null = null;
  const verbs = new Set<string>();
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== "object") return;
    if (Array.isArray(v)) return v.forEach(walk);
    const o = v as Record<string, unknown>;
    if (title === null && o["type"] === "TextBlock" && typeof o["text"] === "string") title = o["text"];
    if (typeof o["verb"] === "string") verbs.add(o["verb"]);
    for (const [k, x] of Object.entries(o)) if (k !== "data" && k !== "refresh") walk(x);
  };
  const card = activity.attachments?.[0]?.content;
  if (card === undefined) return typeof activity.text === "string" ? activity.text.slice(0, 80) : "(no card)";
  walk(card);
  return `${title ?? "(untitled)"} [${[...verbs].sort().join(" ")}]`;
}

/** Classifies the connector's calls: card updates, and sends by conversation and subject. */
export function tallyAlerts(calls: readonly ConnectorCall[], subjects: AlertSubjects): { figures: AlertFigures; alerts: SentAlert[] } {
  const alerts: SentAlert[] = [];
  let updates = 0;
  for (const c of calls) {
    if (c.kind === "update") {
      updates++;
      continue;
    }
    const about = c.body.includes(subjects.recoveryJobId) ? "recovery" : c.body.includes(subjects.requestId) ? "request" : c.body.includes(subjects.reportId) ? "report" : "other";
    alerts.push({ conversationId: c.conversationId, about, title: cardTitle(c.body), at: c.at });
  }
  const sent: Record<string, Record<string, number>> = {};
  for (const a of alerts) {
    const per = (sent[a.conversationId] ??= {});
    const key = `${a.about}: ${a.title}`;
    per[key] = (per[key] ?? 0) + 1;
  }
  const duplicates = Object.entries(sent).flatMap(([conversation, per]) => Object.entries(per).filter(([, n]) => n > 1).map(([key, n]) => `${conversation} got "${key}" ${n} times`));
  return { figures: { sends: alerts.length, updates, sent, duplicates }, alerts };
}
