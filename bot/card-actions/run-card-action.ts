import { parseVerbData } from "../../cards/verbs";
import type { ChatActions } from "../chat/chat-actions";
import type { Turn } from "../chat/turn";
import type { CardJson } from "../proactive/proactive-sender";
import { errorView, helpView } from "../views";

/** What a card click is answered with: a card that replaces the clicked one for the clicker, or a short message. */
export type ActionAnswer = { readonly kind: "card"; readonly card: CardJson } | { readonly kind: "message"; readonly text: string };

const card = (c: CardJson): ActionAnswer => ({ kind: "card", card: c });

/**
 * Runs a card click (`Action.Execute`): the verb's data is parsed strictly (a tampered card is refused and
 * nothing changes), then the use case runs as the clicking user, whose role the engine checks now, never
 * from the card. Navigation answers in place; actions that start work post their own cards.
 */
export async function runCardAction(chat: ChatActions, turn: Turn, verb: string, data: unknown): Promise<ActionAnswer> {
  const parsed = parseVerbData(verb, data);
  if (!parsed.ok) {
    turn.log.warn({ verb, problem: parsed.error }, "card data refused");
    return card(
      errorView({
        status: 400,
        message: `This card's data is not valid: ${parsed.error} Nothing was changed.`,
        nextStep: "Use a card Rewind posted, or type the command (type help to see them).",
      }),
    );
  }
  switch (parsed.verb) {
    case "help.show":
      return card(helpView());
    case "whoami.show":
      return card(await chat.whoAmI(turn));
    case "backups.list":
      return card(await chat.backups(turn, parsed.data.page ?? 1));
    case "report.start": {
      const job = await chat.startReport(turn, { backupId: parsed.data.backupId });
      return { kind: "message", text: `Difference report started for backup ${job.backupId}. Its progress card is in the chat.` };
    }
    case "report.summary":
    case "recovery.result":
    case "job.refresh":
      return card(await chat.jobCard(turn, { jobId: parsed.data.jobId }));
    case "report.changes":
      return card(await chat.changes(turn, { jobId: parsed.data.jobId, page: 1 }));
    case "changes.page":
      return card(await chat.changes(turn, parsed.data));
    case "recovery.request":
      await chat.requestRecovery(turn, parsed.data.reportId);
      return { kind: "message", text: "Recovery requested. The request card is in the chat; a Backup Administrator approves it there." };
    case "recovery.view":
      return card(await chat.viewRequest(turn, parsed.data));
    case "recovery.approve":
      return card(await chat.approve(turn, parsed.data));
    case "recovery.reject":
      return card(await chat.reject(turn, parsed.data));
    case "job.cancel":
      return card(await chat.jobCard(turn, { job: await chat.cancel(turn, parsed.data.jobId) }));
    case "jobs.list":
      return card(await chat.jobs(turn, { page: parsed.data.page ?? 1, ...(parsed.data.backupId ? { backupId: parsed.data.backupId } : {}) }));
    default:
      return card(errorView({ status: 400, message: `The card action "${verb.slice(0, 40)}" is not one Rewind knows. Nothing was changed.` }));
  }
}
