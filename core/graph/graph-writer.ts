import { z } from "zod";
import type { Client } from "@microsoft/microsoft-graph-client";
import type { Logger } from "pino";
import { CATALOG, deletedItemPath, type LinkName, type ObjectType } from "../model/catalog";
import { splitContained } from "../model/contained";
import { DirectoryError } from "../model/directory-error";
import type { LinkWriteOutcome, ObjectWrite, WriteOutcome } from "../ports";
import { BATCH_LIMIT, errorResult, executeBatch, innerError, isSuccess, type BatchOp, type BatchResult } from "./graph-batch";
import { graphCall } from "./graph-client";
import type { GraphReader } from "./graph-reader";
import { objectPath } from "./graph-records";
import { sleep } from "../../lib/async";
import type { RetryPolicy } from "../../lib/retry";
import { sendSettled, type SettledWrite } from "./settled-writes";
import { WriteVerifier } from "./write-verifier";

/** How the writer treats a link whose other end Graph does not know yet (replication after a restore). */
export interface LinkRetry {
  readonly attempts: number;
  readonly delayMs: number;
}

const ManagerRefSchema = z.object({ id: z.string() });

/**
 * Writes through the Graph client: one PATCH per object, links 20 per request, `$batch` of 20. Writes that
 * are not safe to send twice (restores, soft deletes, `$ref` adds and removes, `members@odata.bind`) are
 * settled when their answer is lost: Graph is read to learn whether they landed before any is sent again.
 */
export class GraphWriter {
  private readonly verifier: WriteVerifier;

  constructor(
    private readonly client: Client,
    /** `https://host/v1.0`, for `@odata.id` references. */
    private readonly odataRoot: string,
    private readonly policy: RetryPolicy,
    private readonly linkRetry: LinkRetry,
    private readonly log: Logger,
    reader: Pick<GraphReader, "getLinkTargets">,
  ) {
    this.verifier = new WriteVerifier(client, reader);
  }

  async updateObject(type: ObjectType, id: string, properties: Readonly<Record<string, unknown>>): Promise<WriteOutcome> {
    const [outcome] = await this.settleObjects([{ op: "update", type, id, properties }], (ops) => this.sendEach(ops));
    return outcome!;
  }

  async restoreObject(type: ObjectType, id: string): Promise<WriteOutcome> {
    const [outcome] = await this.settleObjects([{ op: "restore", type, id }], (ops) => this.sendEach(ops));
    return outcome!;
  }

  async softDeleteObject(type: ObjectType, id: string): Promise<WriteOutcome> {
    if (CATALOG[type].singleton) throw new Error(`${type} is a singleton and cannot be deleted.`);
    const [outcome] = await this.settleObjects([{ op: "softDelete", type, id }], (ops) => this.sendEach(ops));
    return outcome!;
  }

  writeMany(writes: readonly ObjectWrite[]): Promise<WriteOutcome[]> {
    return this.settleObjects(writes, (ops) => executeBatch(this.client, ops, this.policy, this.log));
  }

  async addLinks(type: ObjectType, id: string, link: LinkName, targetIds: readonly string[]): Promise<LinkWriteOutcome[]> {
    checkLink(type, link);
    if (targetIds.length === 0) return [];
    const path = objectPath(type, id);
    if (link === "manager") {
      if (targetIds.length > 1) throw new Error("A user has one manager: pass one target.");
      const target = targetIds[0]!;
      // PUT replaces the manager: sending it twice does no harm, so the middleware retries it like a read.
      const res = await this.single({ method: "PUT", url: `${path}/manager/$ref`, body: this.refBody(target) });
      return [classifyAdd(target, res)];
    }
    if (link === "members") return this.addMembers(type, id, targetIds);
    return this.refsOneByOne(type, id, link, targetIds, "add");
  }

  async removeLinks(type: ObjectType, id: string, link: LinkName, targetIds: readonly string[]): Promise<LinkWriteOutcome[]> {
    checkLink(type, link);
    const path = objectPath(type, id);
    if (link === "manager") {
      // Graph's DELETE removes whichever manager is set: remove it only when it is the one named (another
      // writer may have set the backup's manager back meanwhile).
      const current = await this.currentManager(path);
      if (current === null || !targetIds.includes(current)) return targetIds.map((t) => ({ targetId: t, outcome: "alreadyDone" as const }));
      const how: SettledWrite<string> = {
        op: () => ({ method: "DELETE", url: `${path}/manager/$ref` }),
        send: (ops) => this.sendEach(ops),
        landed: (ts) => verdicts(ts, async () => (await this.currentManager(path)) !== current),
        describe: (t) => `the removal of manager ${t} of user ${id}`,
      };
      const [res] = await sendSettled([current], how, this.policy, this.log);
      return targetIds.map((t) => (t === current ? classifyRemove(t, res!) : { targetId: t, outcome: "alreadyDone" as const }));
    }
    return this.refsOneByOne(type, id, link, targetIds, "remove");
  }

  /**
   * Object writes, one outcome each, in order. A write may take several requests (an update of an object with
   * a contained collection: one per changed item), all sent together; its outcome is its first failure, else
   * success. Writes whose answer is lost are settled against the object's state.
   */
  private async settleObjects(writes: readonly ObjectWrite[], send: SettledWrite<SentOp>["send"]): Promise<WriteOutcome[]> {
    const sent: SentOp[] = writes.flatMap((write, index) => objectOps(write).map((op) => ({ index, write, op })));
    const how: SettledWrite<SentOp> = {
      op: (s) => s.op,
      send,
      landed: (items) => this.verifier.objectWrites(items.map((s) => s.write)),
      describe: (s) => describeWrite(s.write),
    };
    const results = sent.length > 0 ? await sendSettled(sent, how, this.policy, this.log) : [];
    const out: WriteOutcome[] = writes.map(() => ({ ok: true }));
    sent.forEach((s, k) => {
      if (out[s.index]!.ok) out[s.index] = toOutcome(results[k]!);
    });
    return out;
  }

  /**
   * Members go 20 per PATCH (`members@odata.bind`), the fewest writes Graph allows. Graph refuses a whole
   * request when one reference is already there or missing, so such a chunk is redone one reference at a
   * time to give each target its own outcome.
   */
  private async addMembers(type: ObjectType, id: string, targetIds: readonly string[]): Promise<LinkWriteOutcome[]> {
    const path = objectPath(type, id);
    const how: SettledWrite<readonly string[]> = {
      op: (chunk) => ({ method: "PATCH", url: path, body: { "members@odata.bind": chunk.map((t) => `${this.odataRoot}/directoryObjects/${t}`) } }),
      send: (ops) => this.sendEach(ops),
      // A chunk landed when every target is a member now; one that landed in part is sent again, answers
      // "already exist", and is redone one reference at a time below.
      landed: (chunks) =>
        verdicts(chunks, async () => {
          const members = await this.verifier.linked(type, id, "members");
          return chunks.map((chunk) => members !== null && chunk.every((t) => members.has(t.toLowerCase())));
        }),
      describe: (chunk) => `the addition of ${chunk.length} members to ${type} ${id}`,
    };
    const out: LinkWriteOutcome[] = [];
    for (let start = 0; start < targetIds.length; start += BATCH_LIMIT) {
      const chunk = targetIds.slice(start, start + BATCH_LIMIT);
      const [res] = await sendSettled([chunk], how, this.policy, this.log);
      if (isSuccess(res!.status)) {
        out.push(...chunk.map((targetId) => ({ targetId, outcome: "applied" as const })));
        continue;
      }
      if (res!.status !== 400 && res!.status !== 404) {
        out.push(...chunk.map((targetId) => ({ targetId, outcome: "failed" as const, error: innerError(res!) })));
        continue;
      }
      out.push(...(await this.refsOneByOne(type, id, "members", chunk, "add")));
    }
    return out;
  }

  /**
   * One reference per request (`POST …/$ref` to add, `DELETE …/{id}/$ref` to remove), sent in `$batch`es;
   * references Graph does not know yet are retried after a delay; lost answers are settled by reading the link.
   */
  private async refsOneByOne(type: ObjectType, id: string, link: LinkName, targetIds: readonly string[], kind: "add" | "remove"): Promise<LinkWriteOutcome[]> {
    const path = objectPath(type, id);
    const how: SettledWrite<string> = {
      op:
        kind === "add"
          ? (t) => ({ method: "POST", url: `${path}/${link}/$ref`, body: this.refBody(t) })
          : (t) => ({ method: "DELETE", url: `${path}/${link}/${encodeURIComponent(t)}/$ref` }),
      send: (ops) => executeBatch(this.client, ops, this.policy, this.log),
      landed: (ts) =>
        verdicts(ts, async () => {
          const now = await this.verifier.linked(type, id, link);
          // A removal from an object that is gone has nothing left to remove.
          return ts.map((t) => (kind === "add" ? now?.has(t.toLowerCase()) === true : now?.has(t.toLowerCase()) !== true));
        }),
      describe: (t) => (kind === "add" ? `the addition of ${t} to the ${link} of ${type} ${id}` : `the removal of ${t} from the ${link} of ${type} ${id}`),
    };
    const classify = kind === "add" ? classifyAdd : classifyRemove;
    const outcomes = new Map<string, LinkWriteOutcome>();
    let pending = [...targetIds];
    for (let attempt = 0; pending.length > 0; attempt++) {
      const results = await sendSettled(pending, how, this.policy, this.log);
      const again: string[] = [];
      pending.forEach((t, i) => {
        const res = results[i]!;
        if (isNotYetKnown(res) && attempt + 1 < this.linkRetry.attempts) again.push(t);
        else outcomes.set(t, classify(t, res));
      });
      pending = again;
      if (pending.length > 0) await sleep(this.linkRetry.delayMs);
    }
    return targetIds.map((t) => outcomes.get(t)!);
  }

  /** Each op as its own request (not a `$batch`), answers in order. */
  private sendEach(ops: readonly BatchOp[]): Promise<BatchResult[]> {
    return Promise.all(ops.map((op) => this.single(op)));
  }

  /** One request; Graph's refusal, or a lost answer (status 0), comes back as an answer rather than thrown. */
  private async single(op: BatchOp): Promise<BatchResult> {
    try {
      const api = this.client.api(op.url);
      const { method, body } = op;
      const data = await graphCall(() =>
        method === "PUT" ? api.put(body) : method === "PATCH" ? api.patch(body) : method === "POST" ? api.post(body) : method === "DELETE" ? api.delete() : api.get(),
      );
      return { status: 204, body: data };
    } catch (err) {
      if (!(err instanceof DirectoryError)) throw err;
      return errorResult(err);
    }
  }

  /** The id of a user's manager, or null when none is set. */
  private async currentManager(path: string): Promise<string | null> {
    try {
      const ref = ManagerRefSchema.safeParse(await graphCall(() => this.client.api(`${path}/manager?$select=id`).get()));
      if (!ref.success) throw new DirectoryError(502, "invalidGraphResponse", `The manager of ${path} came back malformed.`);
      return ref.data.id;
    } catch (err) {
      if (err instanceof DirectoryError && err.status === 404) return null;
      throw err;
    }
  }

  private refBody(targetId: string): { "@odata.id": string } {
    return { "@odata.id": `${this.odataRoot}/directoryObjects/${targetId}` };
  }
}

/** One request of an object write (its position among the writes, the write, the request). */
interface SentOp {
  readonly index: number;
  readonly write: ObjectWrite;
  readonly op: BatchOp;
}

/**
 * The requests of one object write. An update is one PATCH of the object's own properties (none when it has
 * none) and, for a contained collection, one PATCH per changed item at the item's own path: Graph refuses
 * the collection inside the owner's PATCH.
 */
function objectOps(w: ObjectWrite): BatchOp[] {
  switch (w.op) {
    case "update": {
      const { own, items } = splitContained(w.type, w.properties);
      const ops: BatchOp[] = Object.keys(own).length > 0 ? [{ method: "PATCH", url: objectPath(w.type, w.id), body: own }] : [];
      for (const item of items) ops.push({ method: "PATCH", url: item.path, body: item.body });
      return ops;
    }
    case "restore": {
      const path = deletedItemPath(w.type, w.id);
      if (path === null) throw new Error(`A ${w.type} is deleted for good by Graph and cannot be restored.`);
      return [{ method: "POST", url: `${path}/restore`, body: {} }];
    }
    case "softDelete":
      return [{ method: "DELETE", url: objectPath(w.type, w.id) }];
  }
}

function describeWrite(w: ObjectWrite): string {
  if (w.op === "restore") return `the restore of ${w.type} ${w.id}`;
  return w.op === "softDelete" ? `the deletion of ${w.type} ${w.id}` : `the update of ${w.type} ${w.id}`;
}

/** Verdicts of several writes from one read: `read` answers for all (or each), its failure stands for each. */
async function verdicts<T>(items: readonly T[], read: () => Promise<boolean | readonly boolean[]>): Promise<Array<boolean | Error>> {
  try {
    const v = await read();
    return typeof v === "boolean" ? items.map(() => v) : [...v];
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return items.map(() => e);
  }
}

function toOutcome(r: BatchResult): WriteOutcome {
  return isSuccess(r.status) ? { ok: true } : { ok: false, error: innerError(r) };
}

function checkLink(type: ObjectType, link: LinkName): void {
  if (!CATALOG[type].links.some((l) => l.name === link)) throw new Error(`${type} has no ${link} link.`);
}

/** Graph's "already exist" answer to adding a present reference: the link is there, which is what we wanted. */
function isAlreadyThere(res: BatchResult): boolean {
  return res.status === 400 && /already exist/i.test(innerError(res).message);
}

/** Graph's answer while a just restored or created object has not reached the membership service. */
function isNotYetKnown(res: BatchResult): boolean {
  return res.status === 400 && /do(es)? not exist/i.test(innerError(res).message);
}

function classifyAdd(targetId: string, res: BatchResult): LinkWriteOutcome {
  if (isSuccess(res.status)) return { targetId, outcome: "applied" };
  if (isAlreadyThere(res)) return { targetId, outcome: "alreadyDone" };
  return { targetId, outcome: "failed", error: innerError(res) };
}

function classifyRemove(targetId: string, res: BatchResult): LinkWriteOutcome {
  if (isSuccess(res.status)) return { targetId, outcome: "applied" };
  if (res.status === 404) return { targetId, outcome: "alreadyDone" };
  return { targetId, outcome: "failed", error: innerError(res) };
}
