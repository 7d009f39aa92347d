import type { Client } from "@microsoft/microsoft-graph-client";
import type { Logger } from "pino";
import { linkedAbort } from "../../lib/linked-abort";
import { CATALOG, deletedItemReadPath, deletedListPath, readUrl, selectFor, type LinkName, type ObjectType } from "../model/catalog";
import { DirectoryError } from "../model/directory-error";
import type { DirectoryRecord, LinkTarget, LinksRecord, ObjectRecord, ReadOptions } from "../ports";
import { graphCall } from "./graph-client";
import { mergeAsync } from "./merge-async";
import { deltaItemRecords, isDeletedItemOf, toObjectRecord, toTargets } from "./graph-records";
import { GraphObjectSchema, GraphPageSchema, parseGraph, type GraphPage } from "./graph-schemas";

/** Graph caps an `$expand`ed collection at 20 items: a full list needs its own request. */
const EXPAND_CAP = 20;
const MAX_RESTARTS = 3;

/** Streaming reads of the catalog's types over the Graph client. */
export class GraphReader {
  constructor(
    private readonly client: Client,
    private readonly pageSize: number,
    private readonly log: Logger,
  ) {}

  /**
   * Every live object of a type with its links, and the delta token where the type has delta, a batch per
   * Graph page. The main pass and the `$expand` passes for links run at the same time.
   */
  async *readAll(type: ObjectType, options: ReadOptions = {}): AsyncGenerator<DirectoryRecord[]> {
    const def = CATALOG[type];
    // One signal for the passes of this read: when one fails or the reader stops, the others' requests end too.
    const stop = linkedAbort(options.signal);
    try {
      const expandPasses = def.singleton ? [] : def.links.filter((l) => l.bulkRead === "expand").map((l) => this.readExpandedLinks(type, l.name, stop.signal));
      yield* mergeAsync<DirectoryRecord[]>([this.readMain(type, { ...options, signal: stop.signal }), ...expandPasses], () => stop.abort());
    } finally {
      stop.dispose();
    }
  }

  private async *readMain(type: ObjectType, options: ReadOptions): AsyncGenerator<DirectoryRecord[]> {
    const def = CATALOG[type];
    const select = [...(options.select ?? selectFor(type))];
    if (def.singleton) {
      yield [await this.readSingleton(type, select, options.signal)];
      return;
    }
    if (def.deltaPath) {
      const withLinks = [...select, ...def.links.filter((l) => l.bulkRead === "delta").map((l) => l.name)];
      yield* this.deltaBatches(type, `${def.deltaPath}?$select=${withLinks.join(",")}`, false, options.signal);
      return;
    }
    const top = def.listTop ? [`$top=${this.pageSize}`] : [];
    for await (const page of this.pages(readUrl(type, def.path, select, top), options.signal, `${type} list`)) {
      yield page.value.map((item) => toObjectRecord(type, item));
    }
  }

  /** Changes since a delta token (the `@odata.deltaLink` a previous read ended with). */
  async *readChanges(type: ObjectType, token: string, options: ReadOptions = {}): AsyncGenerator<DirectoryRecord[]> {
    if (!CATALOG[type].deltaPath) throw new DirectoryError(400, "deltaNotSupported", `Microsoft Graph offers no delta query for ${type}.`);
    if (!/^https:\/\/[^/]+\/[^?]+\/delta\?/.test(token)) throw new DirectoryError(400, "invalidDeltaToken", "A delta token is the @odata.deltaLink of an earlier read.");
    yield* this.deltaBatches(type, token, true, options.signal);
  }

  /**
   * A delta enumeration as batches, the last one carrying the new delta token. A delta link cannot be
   * restarted from scratch, so an expired skip token while following one surfaces (a full read is needed).
   */
  private async *deltaBatches(type: ObjectType, first: string, incremental: boolean, signal: AbortSignal | undefined): AsyncGenerator<DirectoryRecord[]> {
    for await (const page of this.pages(first, signal, incremental ? `${type} delta changes` : `${type} delta`, !incremental)) {
      const batch: DirectoryRecord[] = [];
      for (const item of page.value) for (const r of deltaItemRecords(type, item, incremental)) batch.push(r);
      const deltaLink = page["@odata.deltaLink"];
      if (deltaLink) batch.push({ kind: "deltaToken", type, token: deltaLink });
      yield batch;
    }
  }

  /**
   * A singleton with its contained collection, read from the collection's own path (Graph writes its items
   * one by one, so they are read the same way). Types whose GET takes no query option are read whole.
   */
  private async readSingleton(type: ObjectType, select: readonly string[], signal: AbortSignal | undefined): Promise<ObjectRecord> {
    const def = CATALOG[type];
    const url = readUrl(type, def.path, select);
    const item = parseGraph(GraphObjectSchema, await graphCall(() => this.client.api(url).get()), def.path);
    if (def.contained) {
      const list: unknown[] = [];
      for await (const page of this.pages(def.contained.path, signal, `${type} ${def.contained.name}`)) list.push(...page.value);
      item[def.contained.name] = list;
    }
    return toObjectRecord(type, item);
  }

  /** Soft-deleted objects of a type, from its deleted items (`/directory/deletedItems/<cast>`, or Conditional Access's own). */
  async *readDeleted(type: ObjectType, options: ReadOptions = {}): AsyncGenerator<ObjectRecord[]> {
    const def = CATALOG[type];
    const listPath = deletedListPath(type);
    if (listPath === null) return;
    const select = [...new Set([...(options.select ?? selectFor(type)), "deletedDateTime"])];
    const url = readUrl(type, listPath, select, def.listTop ? [`$top=${this.pageSize}`] : []);
    for await (const page of this.pages(url, options.signal, `deleted ${type}`)) {
      yield page.value.map((item) => toObjectRecord(type, item));
    }
  }

  /** One live object and all its links, or null when Graph does not know it (404). */
  async getObject(type: ObjectType, id: string): Promise<{ object: ObjectRecord; links: LinksRecord[] } | null> {
    const def = CATALOG[type];
    if (def.singleton) return { object: await this.readSingleton(type, selectFor(type), undefined), links: [] };
    const path = `${def.path}/${encodeURIComponent(id)}`;
    const raw = await nullOn404(() => this.client.api(readUrl(type, path, selectFor(type))).get());
    if (raw === null) return null;
    const object = toObjectRecord(type, parseGraph(GraphObjectSchema, raw, path));
    const links: LinksRecord[] = [];
    for (const link of def.links) {
      if (link.cardinality === "one") {
        const ref = await nullOn404(() => this.client.api(`${path}/${link.name}?$select=id`).get());
        const targets = ref === null ? [] : toTargets([ref], `${path}/${link.name}`);
        links.push({ kind: "links", type, id: object.id, link: link.name, targets });
      } else {
        links.push({ kind: "links", type, id: object.id, link: link.name, targets: await this.readLinkList(path, link.name) });
      }
    }
    return { object, links };
  }

  /** One soft-deleted object of a type, or null when its type's deleted items do not hold it (an id of another type included). */
  async getDeleted(type: ObjectType, id: string): Promise<ObjectRecord | null> {
    const path = deletedItemReadPath(type, id);
    if (path === null) return null;
    // Without $select Graph answers only the type's default set (a user's eleven properties), not the backup's.
    const select = [...new Set([...selectFor(type), "deletedDateTime"])];
    const raw = await nullOn404(() => this.client.api(readUrl(type, path, select)).get());
    if (raw === null) return null;
    const item = parseGraph(GraphObjectSchema, raw, `deleted item ${id}`);
    return isDeletedItemOf(type, item["@odata.type"]) ? toObjectRecord(type, item) : null;
  }

  /** The targets of one link of a live object, or null when Graph does not know the object (404). */
  async getLinkTargets(type: ObjectType, id: string, link: LinkName): Promise<string[] | null> {
    const def = CATALOG[type];
    const linkDef = def.links.find((l) => l.name === link);
    if (!linkDef || def.singleton) throw new DirectoryError(400, "unsupportedLink", `A ${type} has no ${link} link.`);
    const path = `${def.path}/${encodeURIComponent(id)}`;
    if (linkDef.cardinality === "one") {
      // 404 means either no such object or no manager: tell them apart with the object itself.
      const ref = await nullOn404(() => this.client.api(`${path}/${link}?$select=id`).get());
      if (ref !== null) return toTargets([ref], `${path}/${link}`).map((t) => t.id);
      return (await nullOn404(() => this.client.api(`${path}?$select=id`).get())) === null ? null : [];
    }
    try {
      return (await this.readLinkList(path, link)).map((t) => t.id);
    } catch (err) {
      if (err instanceof DirectoryError && err.status === 404) return null;
      throw err;
    }
  }

  /** Ids of the groups a live user, group or service principal is a direct member of; null when not live. */
  async memberOf(type: ObjectType, id: string): Promise<string[] | null> {
    const path = `${CATALOG[type].path}/${encodeURIComponent(id)}/memberOf/microsoft.graph.group`;
    const ids: string[] = [];
    try {
      for await (const page of this.pages(`${path}?$select=id&$top=${this.pageSize}`, undefined, path)) {
        for (const t of toTargets(page.value, path)) ids.push(t.id);
      }
    } catch (err) {
      if (err instanceof DirectoryError && err.status === 404) return null;
      throw err;
    }
    return ids;
  }

  /** Role members, by role display name; an inactive role has none. */
  async directoryRoleMembers(roleDisplayName: string): Promise<string[]> {
    let roleId: string | undefined;
    for await (const page of this.pages("/directoryRoles?$select=id,displayName", undefined, "directory roles")) {
      roleId ??= page.value.find((r) => r.displayName === roleDisplayName)?.id;
    }
    if (!roleId) return [];
    return (await this.readLinkList(`/directoryRoles/${roleId}`, "members")).map((t) => t.id);
  }

  /** A pass over a type's list with `$expand=<link>($select=id)`; lists at Graph's expand cap are read in full. */
  private async *readExpandedLinks(type: ObjectType, link: LinkName, signal: AbortSignal | undefined): AsyncGenerator<LinksRecord[]> {
    const def = CATALOG[type];
    const url = `${def.path}?$select=id&$expand=${link}($select=id)&$top=${this.pageSize}`;
    for await (const page of this.pages(url, signal, `${type} ${link}`)) {
      const batch: LinksRecord[] = [];
      for (const item of page.value) {
        const refs = item[link] ?? [];
        let targets = toTargets(refs, `${type} ${item.id} ${link}`);
        if (targets.length >= EXPAND_CAP) targets = await this.readLinkList(`${def.path}/${item.id}`, link);
        if (targets.length > 0) batch.push({ kind: "links", type, id: item.id, link, targets });
      }
      if (batch.length > 0) yield batch;
    }
  }

  private async readLinkList(path: string, link: string): Promise<LinkTarget[]> {
    const targets: LinkTarget[] = [];
    for await (const page of this.pages(`${path}/${link}?$select=id&$top=${this.pageSize}`, undefined, `${path}/${link}`)) {
      targets.push(...toTargets(page.value, `${path}/${link}`));
    }
    return targets;
  }

  /**
   * The pages of an enumeration. The next page is requested while the caller works on this one, so Graph's
   * time and ours overlap. When Graph says a skip token expired mid-way, the enumeration starts over
   * (Directory_ExpiredPageToken); records are upserts, so the replayed part is harmless.
   */
  private async *pages(first: string, signal: AbortSignal | undefined, what: string, restartable = true): AsyncGenerator<GraphPage> {
    // Ends the prefetched page's request, retries included, when the enumeration stops early, fails, or the
    // caller's signal aborts: otherwise it would go on calling Graph for nobody.
    const stop = linkedAbort(signal);
    // A page may be fetched and then never read (the caller stopped or aborted): its failure must not surface
    // as unhandled. Whoever awaits it still gets the failure.
    const fetch = (url: string): Promise<GraphPage> => {
      const page = this.fetchPage(url, what, stop.signal);
      page.catch(() => undefined);
      return page;
    };
    try {
      let restarts = 0;
      let current = first;
      let pending: Promise<GraphPage> | undefined = fetch(current);
      while (pending) {
        signal?.throwIfAborted();
        let page: GraphPage;
        try {
          page = await pending;
        } catch (err) {
          // A request ended by the caller's abort fails as "could not be reached": say why it really stopped.
          signal?.throwIfAborted();
          if (restartable && current !== first && isExpiredPageToken(err) && restarts < MAX_RESTARTS) {
            restarts++;
            this.log.warn({ what, restarts }, "graph skip token expired, restarting the enumeration");
            current = first;
            pending = fetch(current);
            continue;
          }
          throw err;
        }
        const next = page["@odata.nextLink"];
        pending = undefined;
        if (next) {
          current = next;
          pending = fetch(next);
        }
        yield page;
      }
    } finally {
      stop.abort();
      stop.dispose();
    }
  }

  private async fetchPage(url: string, what: string, signal: AbortSignal): Promise<GraphPage> {
    const raw = await graphCall(() => this.client.api(url).header("Prefer", `odata.maxpagesize=${this.pageSize}`).option("signal", signal).get());
    return parseGraph(GraphPageSchema, raw, what);
  }
}

function isExpiredPageToken(err: unknown): boolean {
  return err instanceof DirectoryError && err.status === 400 && /ExpiredPageToken|skiptoken|page token/i.test(`${err.code} ${err.message}`);
}

async function nullOn404<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await graphCall(fn);
  } catch (err) {
    if (err instanceof DirectoryError && err.status === 404) return null;
    throw err;
  }
}
