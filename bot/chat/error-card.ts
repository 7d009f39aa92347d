import type { Logger } from "pino";
import type { AdaptiveCard, CardVerb } from "../../cards";
import { RewindError } from "../../core/model/errors";
import { errorView } from "../views";

/** Where a refused click can take the user back to. */
export interface BackAction {
  readonly title: string;
  readonly verb: CardVerb;
  readonly data: Record<string, unknown>;
}

/**
 * The card for a failed command or click: a refusal shows its status, the engine's exact text (SPEC §5) and
 * what to do next; anything unexpected is logged with the turn's reference and shown without internals.
 */
export function errorCard(err: unknown, log: Logger, reference: string, options: { usage?: string; back?: BackAction } = {}): AdaptiveCard {
  const extra = { ...(options.usage ? { usage: options.usage } : {}), ...(options.back ? { back: options.back } : {}) };
  if (err instanceof RewindError) {
    log.info({ code: err.code, status: err.status, message: err.message }, "request refused");
    // A job in the way: the way on is that job's card (its progress, and Cancel for administrators).
    const toRunning = !options.back && err.runningJob ? { back: { title: "Show the running job", verb: "job.refresh" as const, data: { jobId: err.runningJob.id } } } : {};
    return errorView({ status: err.status, message: err.message, ...(err.nextStep ? { nextStep: err.nextStep } : {}), ...extra, ...toRunning });
  }
  log.error({ err }, "request failed");
  return errorView({
    status: 500,
    message: `Something went wrong on Rewind's side (reference ${reference}).`,
    nextStep: "Try again in a minute. If it keeps happening, give the reference to whoever runs Rewind.",
    ...extra,
  });
}
