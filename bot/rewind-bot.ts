import { randomUUID } from "node:crypto";
import {
  CardFactory,
  MessageFactory,
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
} from "botbuilder";
import type { Logger } from "pino";
import { ERROR_TEXTS } from "../core/model/errors";
import type { Clock } from "../core/engine";
import type { BotConfig } from "./bot-config";
import { runCardAction } from "./card-actions/run-card-action";
import type { ChatActions } from "./chat/chat-actions";
import { errorCard, type BackAction } from "./chat/error-card";
import type { Turn } from "./chat/turn";
import { parseCommand } from "./commands/command-parser";
import { runCommand } from "./commands/run-command";
import type { ConversationStore } from "./conversations/conversation-store";
import type { CardJson } from "./proactive/proactive-sender";
import { turnIdentity, type TurnIdentity } from "./turn-identity";
import { errorView, helpView, noticeView } from "./views";

const CARD = "application/vnd.microsoft.card.adaptive";
const MESSAGE = "application/vnd.microsoft.activity.message";

/**
 * The Teams activity handler: thin. It checks where a turn comes from (the configured tenant only, a signed-in
 * user), keeps the conversation reference, and hands messages to the command parser and card clicks to the
 * action router. Everything else is the engine's.
 */
export class RewindBot extends TeamsActivityHandler {
  constructor(
    private readonly chat: ChatActions,
    private readonly store: ConversationStore,
    private readonly config: BotConfig,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    super();
    this.onMessage(async (turnContext, next) => {
      await this.message(turnContext);
      await next();
    });
    this.onInstallationUpdateAdd(async (turnContext, next) => {
      const turn = await this.admit(turnContext);
      if (turn) {
        // An admin finds a channel's id here to set ALERTS_CONVERSATION_ID.
        this.log.info({ conversationId: turnContext.activity.conversation?.id, conversationType: turnContext.activity.conversation?.conversationType }, "bot installed in a conversation");
        await turnContext.sendActivity(cardActivity(helpView()));
      }
      await next();
    });
    this.onInstallationUpdateRemove(async (turnContext, next) => {
      const id = turnIdentity(turnContext.activity);
      if (id && id.tenantId === this.config.tenantId) {
        await this.store.deleteConversation(this.config.tenantId, id.conversationId);
        this.log.info({ conversationId: id.conversationId }, "bot uninstalled; conversation reference removed");
      }
      await next();
    });
    this.onMembersAdded(async (turnContext, next) => {
      const botAdded = (turnContext.activity.membersAdded ?? []).some((m) => m.id === turnContext.activity.recipient?.id);
      if (botAdded) await this.admit(turnContext, { quiet: true });
      await next();
    });
  }

  private async message(turnContext: TurnContext): Promise<void> {
    const turn = await this.admit(turnContext);
    if (!turn) return;
    const text = typeof turnContext.activity.text === "string" ? turnContext.activity.text : "";
    const parsed = parseCommand(text);
    if (!parsed.ok) {
      turn.log.info({ problem: parsed.problem.error }, "not a command");
      await turnContext.sendActivity(cardActivity(errorView({ status: 400, message: parsed.problem.error, usage: parsed.problem.usage, nextStep: "Type help to see every command." })));
      return;
    }
    turn.log.info({ command: parsed.command.name }, "command");
    try {
      const reply = await runCommand(this.chat, turn, parsed.command);
      if (reply) await turnContext.sendActivity(cardActivity(reply));
    } catch (err) {
      await turnContext.sendActivity(cardActivity(errorCard(err, turn.log)));
    }
  }

  protected override async onAdaptiveCardInvoke(turnContext: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const turn = await this.admit(turnContext);
    if (!turn) {
      const foreign = turnIdentity(turnContext.activity)?.tenantId !== this.config.tenantId;
      return cardAnswer(
        errorView({
          status: 403,
          message: foreign ? `${ERROR_TEXTS.forbidden} This Rewind serves another organization; nothing was done.` : `${ERROR_TEXTS.forbidden} Rewind could not tell who clicked (no Entra account on the click).`,
        }),
      );
    }
    const verb = value.action?.verb ?? "";
    turn.log.info({ verb, trigger: (value as { trigger?: string }).trigger }, "card action");
    try {
      const answer = await runCardAction(this.chat, turn, verb, value.action?.data ?? {});
      return answer.kind === "card" ? cardAnswer(answer.card) : { statusCode: 200, type: MESSAGE, value: answer.text as never };
    } catch (err) {
      return cardAnswer(errorCard(err, turn.log, backFor(verb, value.action?.data)));
    }
  }

  /**
   * Admits a turn: the configured tenant and a signed-in user only (a refusal is answered, nothing stored).
   * Then the conversation reference and the sender are saved, for alerts and in-place updates later.
   */
  private async admit(turnContext: TurnContext, options: { quiet?: boolean } = {}): Promise<Turn | null> {
    const id = turnIdentity(turnContext.activity);
    const correlation = turnContext.activity.id ?? randomUUID();
    if (!id || id.tenantId !== this.config.tenantId) {
      this.log.warn({ tenantId: id?.tenantId ?? null, type: turnContext.activity.type, correlation }, "turn from another tenant refused");
      if (turnContext.activity.type === "message" && !options.quiet) {
        await turnContext.sendActivity(
          cardActivity(noticeView({ title: "Not available here", text: "This Rewind serves another organization's tenant, so it does nothing here.", style: "attention" })),
        );
      }
      return null;
    }
    if (!id.userId) {
      this.log.warn({ conversationId: id.conversationId, correlation }, "turn without an Entra user refused");
      if (turnContext.activity.type === "message" && !options.quiet) {
        await turnContext.sendActivity(cardActivity(noticeView({ title: "Who are you?", text: "Rewind acts only for signed-in Microsoft Entra users, and this message carries none. Nothing was done.", style: "attention" })));
      }
      return id.userId === null && options.quiet ? await this.saveOnly(turnContext, id) : null;
    }
    const at = this.clock.now().toISOString();
    const record = await this.store.saveConversation(this.config.tenantId, {
      conversationId: id.conversationId,
      conversationType: id.conversationType,
      reference: JSON.parse(JSON.stringify(TurnContext.getConversationReference(turnContext.activity))) as Record<string, unknown>,
      member: { userId: id.userId, channelUserId: id.channelUserId, ...(id.name ? { name: id.name } : {}), lastSeenAt: at },
      at,
    });
    const names = new Map<string, string>();
    const members = new Map<string, string>();
    for (const m of record.members) {
      if (m.name) names.set(m.userId, m.name);
      members.set(m.userId, m.channelUserId);
    }
    return {
      who: { userId: id.userId, channelUserId: id.channelUserId, ...(id.name ? { name: id.name } : {}) },
      conversationId: id.conversationId,
      names,
      members,
      log: this.log.child({ correlation, conversationId: id.conversationId, userId: id.userId }),
      post: async (card: CardJson) => (await turnContext.sendActivity(cardActivity(card)))?.id ?? null,
    };
  }

  /** A bot added to a conversation by Teams itself (no user): keep the reference for alerts, act for no one. */
  private async saveOnly(turnContext: TurnContext, id: TurnIdentity): Promise<null> {
    await this.store.saveConversation(this.config.tenantId, {
      conversationId: id.conversationId,
      conversationType: id.conversationType,
      reference: JSON.parse(JSON.stringify(TurnContext.getConversationReference(turnContext.activity))) as Record<string, unknown>,
      at: this.clock.now().toISOString(),
    });
    return null;
  }
}

function cardActivity(card: CardJson) {
  return MessageFactory.attachment(CardFactory.adaptiveCard(card));
}

function cardAnswer(card: CardJson): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: CARD, value: card as never };
}

/** Where a refused click leads back to: the request card for approvals, the job for job actions. */
function backFor(verb: string, data: unknown): { back?: BackAction } {
  const d = (typeof data === "object" && data !== null ? data : {}) as Record<string, unknown>;
  if ((verb === "recovery.approve" || verb === "recovery.reject") && typeof d.requestId === "string" && typeof d.reportId === "string" && typeof d.digest === "string") {
    return { back: { title: "Back to the request", verb: "recovery.view", data: { requestId: d.requestId, reportId: d.reportId, digest: d.digest } } };
  }
  if (typeof d.jobId === "string" && verb !== "job.refresh") return { back: { title: "Back to the job", verb: "job.refresh", data: { jobId: d.jobId } } };
  return {};
}
