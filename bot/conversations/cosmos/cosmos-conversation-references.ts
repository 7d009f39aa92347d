import type { Container } from "@azure/cosmos";
import type { Logger } from "pino";
import { queryPartition, readDoc, wonRace } from "../../../lib/cosmos-calls";
import { parseStored } from "../../../lib/stored-json";
import type { ConversationRecord } from "../conversation";
import type { CheckedSave } from "../conversation-store";
import { ConversationDocSchema, conversationDocId, type ConversationDoc, type Unsaved } from "./cosmos-conversation-documents";

/** How often a save re-reads and retries after another process changed the same conversation in between. */
const SAVE_ATTEMPTS = 20;

/**
 * Conversation references in the `conversations` container, one document per (tenant, conversation), with the
 * people seen there (newest first, capped). A save is read, merge, then a conditional write (replace IfMatch
 * the etag read, or create when there was none), retried when another process wrote in between, so two
 * replicas saving the same conversation at once both keep their member.
 */
export class CosmosConversationReferences {
  constructor(
    private readonly container: Container,
    private readonly log: Logger,
  ) {}

  async get(tenantId: string, conversationId: string): Promise<ConversationRecord | null> {
    const doc = await this.read(tenantId, conversationId);
    return doc === null ? null : toRecord(tenantId, doc);
  }

  /** Most recently updated first (then by conversation id, so the order is stable). */
  async list(tenantId: string): Promise<ConversationRecord[]> {
    const resources = await queryPartition<unknown>(this.container, tenantId, {
      query: "SELECT * FROM c WHERE c.pk = @pk AND c.kind = 'conversation'",
      parameters: [{ name: "@pk", value: tenantId }],
    });
    return resources
      .map((r) => toRecord(tenantId, parseStored(ConversationDocSchema, r, "conversation")))
      .sort((a, b) => (a.updatedAt !== b.updatedAt ? (a.updatedAt < b.updatedAt ? 1 : -1) : a.conversationId < b.conversationId ? -1 : a.conversationId > b.conversationId ? 1 : 0));
  }

  /** Upserts the reference, merges the member, clears `stale`; returns the record as stored. */
  async save(tenantId: string, input: CheckedSave): Promise<ConversationRecord> {
    const { conversationId, reference, at: updatedAt } = input;
    const id = conversationDocId(conversationId);
    for (let attempt = 1; attempt <= SAVE_ATTEMPTS; attempt++) {
      const current = await this.read(tenantId, conversationId);
      const kept = input.merge(current?.members ?? []);
      const doc: Unsaved<ConversationDoc> = { id, pk: tenantId, kind: "conversation", conversationId, conversationType: input.conversationType, reference, members: kept, updatedAt };
      let written: unknown;
      const won = await wonRace(async () => {
        written =
          current === null
            ? (await this.container.items.create(doc)).resource
            : (await this.container.item(id, tenantId).replace(doc, { accessCondition: { type: "IfMatch", condition: current._etag } })).resource;
      });
      if (won) return toRecord(tenantId, parseStored(ConversationDocSchema, written, `conversation ${conversationId}`));
      this.log.debug({ conversationId, attempt }, "conversation changed while it was saved; merging again");
    }
    throw new Error(`Conversation ${conversationId} kept changing while it was saved (${SAVE_ATTEMPTS} attempts).`);
  }

  /** An unknown conversation is a no-op. */
  async remove(tenantId: string, conversationId: string): Promise<void> {
    await wonRace(() => this.container.item(conversationDocId(conversationId), tenantId).delete(), [404]);
  }

  /** Sets the stale flag in place (a patch: nothing else of the record changes); an unknown conversation is a no-op. */
  async markStale(tenantId: string, conversationId: string, reason: string, at: string): Promise<void> {
    const stale = { at, reason };
    await wonRace(() => this.container.item(conversationDocId(conversationId), tenantId).patch([{ op: "set", path: "/stale", value: stale }]), [404]);
  }

  private async read(tenantId: string, conversationId: string): Promise<ConversationDoc | null> {
    const doc = await readDoc(this.container, conversationDocId(conversationId), tenantId, ConversationDocSchema, `conversation ${conversationId}`);
    // A hashed id names its conversation only through the hash: make sure it is this one.
    if (doc !== null && doc.conversationId !== conversationId) throw new Error(`Stored conversation ${doc.id} names ${doc.conversationId}, not ${conversationId}.`);
    return doc;
  }
}

function toRecord(tenantId: string, doc: ConversationDoc): ConversationRecord {
  return {
    tenantId,
    conversationId: doc.conversationId,
    conversationType: doc.conversationType,
    reference: doc.reference,
    members: doc.members,
    updatedAt: doc.updatedAt,
    ...(doc.stale ? { stale: { at: doc.stale.at, reason: doc.stale.reason } } : {}),
  };
}
