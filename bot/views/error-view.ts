import { parseVerbData, renderErrorCard, type AdaptiveCard, type CardVerb, type ContainerStyle } from "../../cards";

/** What an error card shows: the status, the message exactly as given, and what to do next. */
export interface ErrorViewInput {
  readonly status: number;
  /** Shown verbatim (the texts of core/model/errors.ts are exact): never rephrased or cut. */
  readonly message: string;
  readonly nextStep?: string;
  /** A command's usage line, in monospace. */
  readonly usage?: string;
  /** A button back to where the user was. */
  readonly back?: { title: string; verb: CardVerb; data: Record<string, unknown> };
}

function titleFor(status: number): string {
  if (status === 400) return "That didn't work";
  if (status === 403) return "Not allowed";
  if (status === 404) return "Not found";
  if (status === 409) return "Busy";
  if (status === 412) return "This card is out of date";
  if (status === 429) return "Not now";
  if (status >= 500) return "Something went wrong";
  return "That didn't work";
}

function styleFor(status: number): ContainerStyle {
  return status === 403 || status >= 500 ? "attention" : "warning";
}

/**
 * The card for a refused command or click. A back button whose data would not pass its verb's schema is
 * left out rather than failing: an error card must always render.
 */
export function errorView(e: ErrorViewInput): AdaptiveCard {
  const back = e.back && parseVerbData(e.back.verb, e.back.data).ok ? { title: e.back.title.slice(0, 40) || "Back", verb: e.back.verb, data: e.back.data } : null;
  return renderErrorCard({
    title: titleFor(e.status),
    statusLine: `Error ${e.status}`,
    style: styleFor(e.status),
    message: e.message.length > 0 ? e.message : "No details were given.",
    nextStep: e.nextStep ?? "",
    usage: e.usage ?? "",
    back,
  });
}
