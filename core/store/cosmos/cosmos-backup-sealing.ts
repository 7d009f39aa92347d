import type { Container, JSONObject, SqlParameter } from "@azure/cosmos";
import type { TypeCounts } from "../../model/backup";
import { OBJECT_TYPES, type LinkName, type ObjectType } from "../../model/catalog";
import type { CosmosBackupBulk } from "./cosmos-backup-bulk";
import {
  CONTENT_BODIES,
  MAX_CHUNK_BYTES,
  SEALED_OBJECTS,
  SealedDocSchema,
  StagedBodySchema,
  StagedKeySchema,
  StagedLinkRowSchema,
  chunkPk,
  contentRef,
  withBytes,
  type Body,
  type SealedEntry,
} from "./cosmos-backup-documents";
import { parseStored } from "../../../lib/stored-json";
import { queryAll, queryRows } from "./cosmos-query";
import { shortHash } from "./cosmos-backup-staging";
import { compareIds, sortedUnion } from "../shared/backup-contents";

/** What sealing a backup found: the header's figures. */
export interface SealResult {
  readonly counts: Partial<Record<ObjectType, TypeCounts>>;
  readonly links: number;
  /** Content documents the backup's entries point at. */
  readonly refs: string[];
}

/** The winning write of one object (last write wins: later batch, then later in its batch). */
interface Key {
  seq: number;
  position: number;
  deleted: boolean;
  hash: string;
}

/** Where an object's content was in the previous backup (the current one, and the one before it changed). */
interface PreviousEntry {
  hash: string;
  ref: string;
  alt?: { hash: string; ref: string };
}

/** One object of a group being sealed: its entry, `ref` null until its new content is placed. */
interface Resolved {
  id: string;
  deleted: boolean;
  hash: string;
  ref: string | null;
  alt?: { hash: string; ref: string };
}

/**
 * Objects sealed per group: each group costs a few scans of the staged documents (links, then new bodies),
 * so groups, not slices, set the number of scans; its bodies are what sealing holds in memory (about 1-3 KB
 * an object, so some 10-30 MB).
 */
export const GROUP_OBJECTS = 10_000;
/** Rows per page of a scan (the SDK and real Cosmos cap each page at 4 MB anyway). */
const SCAN_PAGE_ROWS = 5_000;
/** Above this many new contents in a group, their bodies are read by id range rather than by id list. */
export const FRESH_BY_IDS = 1_500;

/** Group sizes (tests make them tiny to cross group boundaries with few objects). */
export interface SealingTuning {
  readonly groupObjects: number;
  readonly freshByIds: number;
}
const IDS_PER_QUERY = 500;

/** Chunk documents queued for one bulk call: flushed at `QUEUE_DOCS` documents or `QUEUE_BYTES`. */
const QUEUE_DOCS = 50;
const QUEUE_BYTES = 8_000_000;

/**
 * Completes a backup's storage: seals its staged batches into sorted sealed slices and shared content.
 *
 * Memory: the keys of the staged objects (type, id, hash; about 100 bytes an object) are held to sort them;
 * links and new bodies are fetched one group (`GROUP_OBJECTS` ids of one type) at a time with JOIN queries, so
 * at most a group's links and bodies and one content document under construction are in memory. Each JOIN
 * query scans the backup's staged documents, so the number of groups, not of slices, sets the scans.
 *
 * Content sharing: each object's content hash covers its properties and unioned links. An object whose hash
 * equals its entry in the previous backup (or the entry before that one changed, when that content is still
 * stored) points at the same content document; only new content is written. So a quiet tenant's daily backup
 * costs its sorted index plus the objects that changed.
 *
 * Write operations: one per sealed slice and one per content document (both bounded by bytes too).
 */
export class CosmosBackupSealing {
  private readonly queue: Array<JSONObject & { pk: string; bytes: number }> = [];
  /** The bulk call in flight (one at a time: sealing goes on while it runs, memory holds at most two queues). */
  private writing: Promise<void> | null = null;
  private content: { n: number; bodies: Record<string, Body>; size: number; count: number } = { n: 0, bodies: {}, size: 0, count: 0 };
  private order = 0;
  private linkCount = 0;
  private readonly refs = new Set<string>();

  constructor(
    private readonly chunks: Container,
    private readonly bulk: CosmosBackupBulk,
    private readonly tenantId: string,
    private readonly backupId: string,
    /** The newest other completed backup of the tenant, whose content this one may share. */
    private readonly previousId: string | null,
    /** Content documents some completed backup references (so they are still stored). */
    private readonly alive: ReadonlySet<string>,
    private readonly tuning: SealingTuning = { groupObjects: GROUP_OBJECTS, freshByIds: FRESH_BY_IDS },
  ) {}

  private get pk(): string {
    return chunkPk(this.tenantId, this.backupId);
  }

  async seal(): Promise<SealResult> {
    const keys = await this.stagedKeys();
    const counts: Partial<Record<ObjectType, TypeCounts>> = {};
    for (const type of OBJECT_TYPES) {
      const ofType = keys.get(type);
      if (ofType === undefined || ofType.size === 0) continue;
      const ids = [...ofType.keys()].sort(compareIds);
      let live = 0;
      for (const key of ofType.values()) if (!key.deleted) live++;
      counts[type] = { live, deleted: ofType.size - live };
      const group = this.tuning.groupObjects;
      for (let i = 0; i < ids.length; i += group) await this.sealGroup(type, ids.slice(i, i + group), ofType);
      keys.delete(type);
    }
    await this.flushContent();
    await this.flushQueue();
    return { counts, links: this.linkCount, refs: [...this.refs].sort() };
  }

  /** The winning key of every staged object, by type then id. */
  private async stagedKeys(): Promise<Map<ObjectType, Map<string, Key>>> {
    const byType = new Map<ObjectType, Map<string, Key>>();
    const rows = queryRows(
      this.chunks,
      {
        query: "SELECT c.seq, o.type, o.id, o.deleted, o.hash, o.position FROM c JOIN o IN c.objects WHERE c.pk = @pk AND c.kind = 'staged'",
        parameters: [{ name: "@pk", value: this.pk }],
      },
      SCAN_PAGE_ROWS,
    );
    for await (const row of rows) {
      const k = parseStored(StagedKeySchema, row, "staged object key");
      let ofType = byType.get(k.type);
      if (ofType === undefined) byType.set(k.type, (ofType = new Map()));
      const previous = ofType.get(k.id);
      if (previous === undefined || k.seq > previous.seq || (k.seq === previous.seq && k.position > previous.position)) {
        ofType.set(k.id, { seq: k.seq, position: k.position, deleted: k.deleted, hash: k.hash });
      }
    }
    return byType;
  }

  /**
   * Seals a group of sorted ids (several slices): one query for their links, one for the previous backup's
   * entries, and one or a few for the bodies of the objects whose content is new; then the slices in order.
   */
  private async sealGroup(type: ObjectType, ids: readonly string[], keys: ReadonlyMap<string, Key>): Promise<void> {
    const lo = ids[0]!;
    const hi = ids[ids.length - 1]!;
    const linksOf = await this.groupLinks(type, lo, hi, keys);
    const previous = await this.previousEntries(type, lo, hi);

    const resolved: Resolved[] = [];
    const fresh: string[] = [];
    for (const id of ids) {
      const key = keys.get(id)!;
      const links = linksOf.get(id);
      const hash = shortHash(`${key.hash}|${JSON.stringify(links ?? {})}`);
      const before = previous.get(id);
      if (before !== undefined && before.hash === hash) {
        resolved.push({ id, deleted: key.deleted, hash, ref: before.ref, ...(before.alt ? { alt: before.alt } : {}) });
      } else if (before?.alt !== undefined && before.alt.hash === hash && this.alive.has(before.alt.ref)) {
        resolved.push({ id, deleted: key.deleted, hash, ref: before.alt.ref, alt: { hash: before.hash, ref: before.ref } });
      } else {
        resolved.push({ id, deleted: key.deleted, hash, ref: null, ...(before ? { alt: { hash: before.hash, ref: before.ref } } : {}) });
        fresh.push(id);
      }
      if (links) for (const targets of Object.values(links)) this.linkCount += targets.length;
    }
    previous.clear();

    const bodies = fresh.length === 0 ? new Map<string, Record<string, unknown>>() : await this.freshBodies(type, fresh, lo, hi, keys);
    for (let i = 0; i < resolved.length; i += SEALED_OBJECTS) {
      await this.sealSlice(type, resolved.slice(i, i + SEALED_OBJECTS), linksOf, bodies);
    }
  }

  /** Writes one sealed slice, putting its new contents in content documents first. */
  private async sealSlice(
    type: ObjectType,
    resolved: readonly Resolved[],
    linksOf: ReadonlyMap<string, Partial<Record<LinkName, string[]>>>,
    bodies: ReadonlyMap<string, Record<string, unknown>>,
  ): Promise<void> {
    for (const entry of resolved) {
      if (entry.ref !== null) continue;
      const properties = bodies.get(entry.id);
      if (properties === undefined) throw new Error(`Staged properties of ${type} ${entry.id} are missing.`);
      const links = linksOf.get(entry.id);
      entry.ref = await this.addContent(entry.hash, links ? { properties, links } : { properties });
    }

    const refs: string[] = [];
    const refIndex = new Map<string, number>();
    const indexOf = (ref: string): number => {
      let k = refIndex.get(ref);
      if (k === undefined) refIndex.set(ref, (k = refs.push(ref) - 1));
      return k;
    };
    const entries: SealedEntry[] = resolved.map((e) => {
      const ref = e.ref!;
      this.refs.add(ref);
      const base: [string, number, string, number] = [e.id, e.deleted ? 1 : 0, e.hash, indexOf(ref)];
      return e.alt ? [...base, e.alt.hash, indexOf(e.alt.ref)] : base;
    });
    const firstId = resolved[0]!.id;
    const lastId = resolved[resolved.length - 1]!.id;
    this.queue.push(
      withBytes({ id: `sealed-${this.order}`, pk: this.pk, tenantId: this.tenantId, kind: "sealed", type, position: this.order, firstId, lastId, refs, entries }),
    );
    this.order++;
    await this.maybeFlush();
  }

  /** The union of the staged link chunks of the group's objects (chunks of objects that never arrived are left out). */
  private async groupLinks(type: ObjectType, lo: string, hi: string, keys: ReadonlyMap<string, Key>): Promise<Map<string, Partial<Record<LinkName, string[]>>>> {
    const chunks = new Map<string, Map<LinkName, string[][]>>();
    const rows = queryRows(
      this.chunks,
      {
        query: "SELECT l.id, l.link, l.targets FROM c JOIN l IN c.links WHERE c.pk = @pk AND c.kind = 'staged' AND l.type = @t AND l.id >= @lo AND l.id <= @hi",
        parameters: [
          { name: "@pk", value: this.pk },
          { name: "@t", value: type },
          { name: "@lo", value: lo },
          { name: "@hi", value: hi },
        ],
      },
      SCAN_PAGE_ROWS,
    );
    for await (const row of rows) {
      const chunk = parseStored(StagedLinkRowSchema, row, "staged link chunk");
      if (!keys.has(chunk.id)) continue;
      let ofObject = chunks.get(chunk.id);
      if (ofObject === undefined) chunks.set(chunk.id, (ofObject = new Map()));
      const lists = ofObject.get(chunk.link) ?? [];
      lists.push(chunk.targets);
      ofObject.set(chunk.link, lists);
    }
    const result = new Map<string, Partial<Record<LinkName, string[]>>>();
    for (const [id, ofObject] of chunks) {
      const links: Partial<Record<LinkName, string[]>> = {};
      for (const name of [...ofObject.keys()].sort()) links[name] = sortedUnion(ofObject.get(name)!);
      result.set(id, links);
    }
    return result;
  }


  /** The previous backup's entries of this type overlapping [lo, hi]. */
  private async previousEntries(type: ObjectType, lo: string, hi: string): Promise<Map<string, PreviousEntry>> {
    const result = new Map<string, PreviousEntry>();
    if (this.previousId === null) return result;
    const docs = await queryAll(this.chunks, {
      query: "SELECT * FROM c WHERE c.pk = @pk AND c.kind = 'sealed' AND c.type = @t AND c.lastId >= @lo AND c.firstId <= @hi",
      parameters: [
        { name: "@pk", value: chunkPk(this.tenantId, this.previousId) },
        { name: "@t", value: type },
        { name: "@lo", value: lo },
        { name: "@hi", value: hi },
      ],
    });
    for (const raw of docs) {
      const doc = parseStored(SealedDocSchema, raw, "sealed backup slice");
      for (const entry of doc.entries) {
        const ref = doc.refs[entry[3]];
        if (ref === undefined) throw new Error(`Stored sealed slice ${doc.id} is malformed: a reference is out of range.`);
        const altRef = entry.length === 6 ? doc.refs[entry[5]] : undefined;
        result.set(entry[0], { hash: entry[2], ref, ...(entry.length === 6 && altRef !== undefined ? { alt: { hash: entry[4], ref: altRef } } : {}) });
      }
    }
    return result;
  }

  /**
   * The winning staged properties of the group's objects with new content: by id list when they are few
   * (a quiet day's backup), else by the group's id range (a first backup, where nearly all are new).
   */
  private async freshBodies(type: ObjectType, fresh: readonly string[], lo: string, hi: string, keys: ReadonlyMap<string, Key>): Promise<Map<string, Record<string, unknown>>> {
    const bodies = new Map<string, Record<string, unknown>>();
    const take = async (filter: string, parameters: SqlParameter[], wanted: ReadonlySet<string> | null): Promise<void> => {
      const rows = queryRows(
        this.chunks,
        {
          query: `SELECT o.id, o.hash, o.properties FROM c JOIN o IN c.objects WHERE c.pk = @pk AND c.kind = 'staged' AND o.type = @t AND ${filter}`,
          parameters: [{ name: "@pk", value: this.pk }, { name: "@t", value: type }, ...parameters],
        },
        SCAN_PAGE_ROWS,
      );
      for await (const row of rows) {
        const body = parseStored(StagedBodySchema, row, "staged object");
        if (wanted !== null && !wanted.has(body.id)) continue;
        if (keys.get(body.id)?.hash === body.hash) bodies.set(body.id, body.properties);
      }
    };
    if (fresh.length > this.tuning.freshByIds) {
      await take("o.id >= @lo AND o.id <= @hi", [{ name: "@lo", value: lo }, { name: "@hi", value: hi }], new Set(fresh));
    } else {
      // Id lists stay far under Cosmos' 256 KB query-text limit.
      for (let i = 0; i < fresh.length; i += IDS_PER_QUERY) {
        await take("ARRAY_CONTAINS(@ids, o.id)", [{ name: "@ids", value: fresh.slice(i, i + IDS_PER_QUERY) }], null);
      }
    }
    return bodies;
  }

  /** Puts a body in the content document being built; returns that document's reference. */
  private async addContent(hash: string, body: Body): Promise<string> {
    const size = Buffer.byteLength(JSON.stringify(body)) + hash.length + 6;
    if (size > MAX_CHUNK_BYTES) {
      throw new Error(`An object's content is ${size} bytes, over the ${MAX_CHUNK_BYTES} a Cosmos chunk document may hold.`);
    }
    if (this.content.bodies[hash] === undefined) {
      if (this.content.count >= CONTENT_BODIES || this.content.size + size > MAX_CHUNK_BYTES) await this.flushContent();
      this.content.bodies[hash] = body;
      this.content.size += size;
      this.content.count++;
    }
    return contentRef(this.backupId, `content-${this.content.n}`);
  }

  private async flushContent(): Promise<void> {
    if (this.content.count === 0) return;
    const { n, bodies } = this.content;
    this.queue.push(withBytes({ id: `content-${n}`, pk: this.pk, tenantId: this.tenantId, kind: "content", bodies } as JSONObject & { pk: string }));
    this.content = { n: n + 1, bodies: {}, size: 0, count: 0 };
    await this.maybeFlush();
  }

  private async maybeFlush(): Promise<void> {
    if (this.queue.length >= QUEUE_DOCS || this.queue.reduce((sum, doc) => sum + doc.bytes, 0) >= QUEUE_BYTES) await this.flushQueue(false);
  }

  /** Sends the queue in one bulk call, after the previous one finished; `wait` also waits for this one. */
  private async flushQueue(wait = true): Promise<void> {
    if (this.writing !== null) await this.writing;
    this.writing = null;
    const docs = this.queue.splice(0);
    if (docs.length > 0) {
      const sent = this.bulk.upsert(docs);
      sent.catch(() => undefined); // awaited later (a failure fails the seal there), never left unhandled meanwhile
      this.writing = sent;
    }
    if (wait && this.writing !== null) {
      await this.writing;
      this.writing = null;
    }
  }
}
