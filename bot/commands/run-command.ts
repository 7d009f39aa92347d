import type { ChatActions } from "../chat/chat-actions";
import type { Turn } from "../chat/turn";
import type { CardJson } from "../proactive/proactive-sender";
import { helpView } from "../views";
import type { Command } from "./command-parser";

/**
 * Runs a typed command as the turn's user. Returns the card to reply with, or null when the use case posted
 * its own (a job's progress card, a recovery request) so it can follow and update it.
 */
export async function runCommand(chat: ChatActions, turn: Turn, command: Command): Promise<CardJson | null> {
  switch (command.name) {
    case "help":
      return helpView();
    case "whoami":
      return chat.whoAmI(turn);
    case "backups":
      return chat.backups(turn, command.page);
    case "backupNow":
      return chat.backupNow(turn);
    case "diff":
      await chat.startReport(turn, command);
      return null;
    case "jobs":
      return chat.jobs(turn, command);
    case "job":
      await chat.postJobCard(turn, { jobId: command.jobId });
      return null;
    case "changes":
      return chat.changes(turn, command);
    case "recover":
      await chat.requestRecovery(turn, command.reportId, command);
      return null;
    case "cancel":
      await chat.postJobCard(turn, { job: await chat.cancel(turn, command.jobId) });
      return null;
  }
}
