import pino, { type Logger } from "pino";
import type { LinkName, ObjectType } from "../model/catalog";
import type { Directory, DirectoryRecord, LinksRecord, LinkWriteOutcome, ObjectRecord, ObjectWrite, ReadOptions, WriteOutcome } from "../ports";
import { createGraphClient, type GraphClientHandle } from "./graph-client";
import { GraphReader } from "./graph-reader";
import { GraphWriter, type LinkRetry } from "./graph-writer";
import { DEFAULT_GRAPH_TIMEOUTS } from "./graph-timeouts";
import type { RetryPolicy } from "../../lib/retry";
import { GRAPH_RETRY_POLICY } from "./retry-policy";
import type { TokenProvider } from "./token-provider";
import { GRAPH_WRITE_BUDGET, type WriteBudget } from "./write-pacer";

/** Options of the Graph gateway. Only the token provider is required. */
export interface GraphDirectoryOptions {
  readonly tokenProvider: TokenProvider;
  /** Graph's root without version; default https://graph.microsoft.com. */
  readonly baseUrl?: string;
  /** PEM of an extra CA to trust (the simulator's). */
  readonly ca?: string;
  /** Items per page (`$top`, `odata.maxpagesize`), 1 to 999; default 999. */
  readonly pageSize?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Write budget to pace under; default Graph's 3,000 per 150 s; `false` turns pacing off. */
  readonly writeBudget?: WriteBudget | false;
  /** Retries for a link whose other end Graph does not know yet; default 4 attempts, 2 s apart. */
  readonly linkRetry?: LinkRetry;
  readonly connections?: number;
  /** Deadline of one Graph request (connect, headers and body; each retry gets its own); default 60 s. */
  readonly requestTimeoutMs?: number;
  /** Deadline of one token acquisition; default 30 s. */
  readonly tokenTimeoutMs?: number;
  readonly logger?: Logger;
}

/** The Directory port over Microsoft Graph. */
export class GraphDirectory implements Directory {
  private readonly handle: GraphClientHandle;
  private readonly reader: GraphReader;
  private readonly writer: GraphWriter;

  constructor(options: GraphDirectoryOptions) {
    const baseUrl = (options.baseUrl ?? "https://graph.microsoft.com").replace(/\/+$/, "");
    const pageSize = options.pageSize ?? 999;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 999) throw new Error(`pageSize must be 1 to 999 (got ${pageSize}).`);
    const logger = options.logger ?? pino({ level: "silent" });
    const retry = { ...GRAPH_RETRY_POLICY, ...options.retry };
    const timeouts = {
      requestMs: positiveMs(options.requestTimeoutMs ?? DEFAULT_GRAPH_TIMEOUTS.requestMs, "requestTimeoutMs"),
      tokenMs: positiveMs(options.tokenTimeoutMs ?? DEFAULT_GRAPH_TIMEOUTS.tokenMs, "tokenTimeoutMs"),
    };
    this.handle = createGraphClient({
      baseUrl,
      tokenProvider: options.tokenProvider,
      ...(options.ca ? { ca: options.ca } : {}),
      retry,
      writeBudget: options.writeBudget ?? GRAPH_WRITE_BUDGET,
      ...(options.connections ? { connections: options.connections } : {}),
      timeouts,
      logger,
    });
    this.reader = new GraphReader(this.handle.client, pageSize, logger);
    this.writer = new GraphWriter(this.handle.client, `${baseUrl}/v1.0`, retry, options.linkRetry ?? { attempts: 4, delayMs: 2000 }, logger, this.reader);
  }

  readAll(type: ObjectType, options?: ReadOptions): AsyncIterable<readonly DirectoryRecord[]> {
    return this.reader.readAll(type, options);
  }
  readChanges(type: ObjectType, token: string, options?: ReadOptions): AsyncIterable<readonly DirectoryRecord[]> {
    return this.reader.readChanges(type, token, options);
  }
  readDeleted(type: ObjectType, options?: ReadOptions): AsyncIterable<readonly ObjectRecord[]> {
    return this.reader.readDeleted(type, options);
  }
  getObject(type: ObjectType, id: string): Promise<{ object: ObjectRecord; links: LinksRecord[] } | null> {
    return this.reader.getObject(type, id);
  }
  getDeleted(type: ObjectType, id: string): Promise<ObjectRecord | null> {
    return this.reader.getDeleted(type, id);
  }
  getLinkTargets(type: ObjectType, id: string, link: LinkName): Promise<string[] | null> {
    return this.reader.getLinkTargets(type, id, link);
  }
  memberOf(type: ObjectType, id: string): Promise<string[] | null> {
    return this.reader.memberOf(type, id);
  }
  directoryRoleMembers(roleDisplayName: string): Promise<string[]> {
    return this.reader.directoryRoleMembers(roleDisplayName);
  }
  updateObject(type: ObjectType, id: string, properties: Readonly<Record<string, unknown>>): Promise<WriteOutcome> {
    return this.writer.updateObject(type, id, properties);
  }
  restoreObject(type: ObjectType, id: string): Promise<WriteOutcome> {
    return this.writer.restoreObject(type, id);
  }
  softDeleteObject(type: ObjectType, id: string): Promise<WriteOutcome> {
    return this.writer.softDeleteObject(type, id);
  }
  addLinks(type: ObjectType, id: string, link: LinkName, targetIds: readonly string[]): Promise<LinkWriteOutcome[]> {
    return this.writer.addLinks(type, id, link, targetIds);
  }
  removeLinks(type: ObjectType, id: string, link: LinkName, targetIds: readonly string[]): Promise<LinkWriteOutcome[]> {
    return this.writer.removeLinks(type, id, link, targetIds);
  }
  writeMany(writes: readonly ObjectWrite[]): Promise<WriteOutcome[]> {
    return this.writer.writeMany(writes);
  }

  /** Closes pooled connections. */
  close(): Promise<void> {
    return this.handle.close();
  }
}

function positiveMs(ms: number, name: string): number {
  if (!Number.isFinite(ms) || ms <= 0) throw new Error(`${name} must be a positive number of milliseconds (got ${ms}).`);
  return ms;
}
