import { z } from "zod";
import type { Client } from "@microsoft/microsoft-graph-client";
import type { Logger } from "pino";
import { CATALOG, type LinkName, type ObjectType } from "../model/catalog";
import { DirectoryError } from "../model/directory-error";
import type { LinkWriteOutcome, ObjectWrite, WriteOutcome } from "../ports";
import { BATCH_LIMIT, executeBatch, innerError, isSuccess, type BatchOp, type BatchResult } from "./graph-batch";
import { graphCall } from "./graph-client";
import { sleep, type RetryPolicy } from "./retry-policy";

/** How the writer treats a link whose other end Graph does not know yet (replication after a restore). */
export interface LinkRetry {
  readonly attempts: number;
  readonly delayMs: number;
}

/** Writes through the Graph client: one PATCH per object, links 20 per request, `$batch` of 20. */
const ManagerRefSchema = z.object({ id: z.string() });

export class GraphWriter {
  constructor(
    private readonly client: Client,
    /** `https://host/v1.0`, for `@odata.id` references. */
    private readonly odataRoot: string,
    private readonly policy: RetryPolicy,
    private readonly linkRetry: LinkRetry,
    private readonly log: Logger,
  ) {}

  async updateObject(type: ObjectType, id: string, properties: Readonly<Record<string, unknown>>): Promise<WriteOutcome> {
    if (Object.keys(properties).length === 0) return { ok: true };
    return outcome(() => this.client.api(objectPath(type, id)).patch(properties));
  }

  async restoreObject(id: string): Promise<WriteOutcome> {
    return outcome(() => this.client.api(`/directory/deletedItems/${encodeURIComponent(id)}/restore`).post({}));
  }

  async softDeleteObject(type: ObjectType, id: string): Promise<WriteOutcome> {
    if (CATALOG[type].singleton) throw new Error(`${type} is a singleton and cannot be deleted.`);
    return outcome(() => this.client.api(objectPath(type, id)).delete());
  }

  async writeMany(writes: readonly ObjectWrite[]): Promise<WriteOutcome[]> {
    const ops: BatchOp[] = writes.map((w) => {
      switch (w.op) {
        case "update":
          return { method: "PATCH", url: objectPath(w.type, w.id), body: w.properties };
        case "restore":
          return { method: "POST", url: `/directory/deletedItems/${encodeURIComponent(w.id)}/restore`, body: {} };
        case "softDelete":
          return { method: "DELETE", url: objectPath(w.type, w.id) };
      }
    });
    const results = await executeBatch(this.client, ops, this.policy, this.log);
    return results.map((r) => (isSuccess(r.status) ? { ok: true } : { ok: false, error: innerError(r) }));
  }

  async addLinks(type: ObjectType, id: string, link: LinkName, targetIds: readonly string[]): Promise<LinkWriteOutcome[]> {
    checkLink(type, link);
    if (targetIds.length === 0) return [];
    const path = objectPath(type, id);
    if (link === "manager") {
      if (targetIds.length > 1) throw new Error("A user has one manager: pass one target.");
      const target = targetIds[0]!;
      const res = await this.single("PUT", `${path}/manager/$ref`, this.refBody(target));
      return [classifyAdd(target, res)];
    }
    if (link === "members") return this.addMembers(path, targetIds);
    return this.refsOneByOne(targetIds, (t) => ({ method: "POST", url: `${path}/${link}/$ref`, body: this.refBody(t) }), classifyAdd);
  }

  async removeLinks(type: ObjectType, id: string, link: LinkName, targetIds: readonly string[]): Promise<LinkWriteOutcome[]> {
    checkLink(type, link);
    const path = objectPath(type, id);
    if (link === "manager") {
      // Graph's DELETE removes whichever manager is set: remove it only when it is the one named (another
      // writer may have set the backup's manager back meanwhile).
      const current = await this.currentManager(path);
      const named = targetIds.filter((t) => t === current);
      const res = named.length > 0 ? await this.single("DELETE", `${path}/manager/$ref`) : undefined;
      return targetIds.map((t) => (res && t === current ? classifyRemove(t, res) : { targetId: t, outcome: "alreadyDone" as const }));
    }
    return this.refsOneByOne(
      targetIds,
      (t) => ({ method: "DELETE", url: `${path}/${link}/${encodeURIComponent(t)}/$ref` }),
      classifyRemove,
    );
  }

  /**
   * Members go 20 per PATCH (`members@odata.bind`), the fewest writes Graph allows. Graph refuses a whole
   * request when one reference is already there or missing, so such a chunk is redone one reference at a
   * time to give each target its own outcome.
   */
  private async addMembers(path: string, targetIds: readonly string[]): Promise<LinkWriteOutcome[]> {
    const out: LinkWriteOutcome[] = [];
    for (let start = 0; start < targetIds.length; start += BATCH_LIMIT) {
      const chunk = targetIds.slice(start, start + BATCH_LIMIT);
      const body = { "members@odata.bind": chunk.map((t) => `${this.odataRoot}/directoryObjects/${t}`) };
      const res = await this.single("PATCH", path, body);
      if (isSuccess(res.status)) {
        out.push(...chunk.map((targetId) => ({ targetId, outcome: "applied" as const })));
        continue;
      }
      if (res.status !== 400 && res.status !== 404) {
        out.push(...chunk.map((targetId) => ({ targetId, outcome: "failed" as const, error: innerError(res) })));
        continue;
      }
      out.push(...(await this.refsOneByOne(chunk, (t) => ({ method: "POST", url: `${path}/members/$ref`, body: this.refBody(t) }), classifyAdd)));
    }
    return out;
  }

  /** One reference per request, sent in `$batch`es; references Graph does not know yet are retried after a delay. */
  private async refsOneByOne(
    targetIds: readonly string[],
    op: (targetId: string) => BatchOp,
    classify: (targetId: string, res: BatchResult) => LinkWriteOutcome,
  ): Promise<LinkWriteOutcome[]> {
    const outcomes = new Map<string, LinkWriteOutcome>();
    let pending = [...targetIds];
    for (let attempt = 0; pending.length > 0; attempt++) {
      const results = await executeBatch(this.client, pending.map(op), this.policy, this.log);
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

  private async single(method: BatchOp["method"], url: string, body?: unknown): Promise<BatchResult> {
    try {
      const api = this.client.api(url);
      const data = await graphCall(() =>
        method === "PUT" ? api.put(body) : method === "PATCH" ? api.patch(body) : method === "POST" ? api.post(body) : api.delete(),
      );
      return { status: 204, body: data };
    } catch (err) {
      if (!(err instanceof DirectoryError)) throw err;
      return { status: err.status, body: { error: { code: err.code, message: err.message } } };
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

function objectPath(type: ObjectType, id: string): string {
  const def = CATALOG[type];
  return def.singleton ? def.path : `${def.path}/${encodeURIComponent(id)}`;
}

function checkLink(type: ObjectType, link: LinkName): void {
  if (!CATALOG[type].links.some((l) => l.name === link)) throw new Error(`${type} has no ${link} link.`);
}

async function outcome(fn: () => Promise<unknown>): Promise<WriteOutcome> {
  try {
    await graphCall(fn);
    return { ok: true };
  } catch (err) {
    if (err instanceof DirectoryError) return { ok: false, error: err.toInfo() };
    throw err;
  }
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
