import type { WriteLogEntry } from "../types";

/** A Graph request as the pipeline sees it, whether it came over the socket or inside a `$batch`. */
export interface SimRequest {
  method: string;
  /** "v1.0" or "beta". */
  version: string;
  /** The path as received, with its version prefix (`/v1.0/users`), without the query. */
  path: string;
  /** Decoded path segments after the version. */
  segments: string[];
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parsed JSON body, undefined when there was none. */
  body: unknown;
  /** True when a body was sent but was not valid JSON. */
  bodyMalformed: boolean;
  requestId: string;
  clientRequestId: string;
  /** `https://host:port`, for building absolute next links. */
  origin: string;
}

/**
 * A Graph answer: `body` is the JSON text already serialized, or `stream` yields it in pieces (list pages, so
 * the socket sends while the rest of the page is still being generated).
 */
export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
  stream?: Iterable<string>;
  /** The object a successful write changed (counted in `writesByObject`). */
  writtenId?: string;
  /** The write-log entries this answer reports: its own write, or a `$batch`'s inner writes. */
  writes?: WriteLogEntry[];
}

export const JSON_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

export function json(status: number, body: string, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { "Content-Type": JSON_TYPE, ...headers }, body };
}

export function noContent(writtenId?: string): SimResponse {
  const r: SimResponse = { status: 204, headers: {} };
  if (writtenId !== undefined) r.writtenId = writtenId;
  return r;
}

/** The whole body text of an answer (joins a streamed body). */
export function bodyText(r: SimResponse): string | undefined {
  if (r.stream === undefined) return r.body;
  let out = "";
  for (const part of r.stream) out += part;
  return out;
}
