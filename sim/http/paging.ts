import { z } from "zod";
import { expiredPageToken, invalidPageToken } from "./errors";
import { JSON_TYPE, type SimRequest, type SimResponse } from "./request";
import { parserOf } from "./tokens";
import type { RouteContext } from "./router";

const Cursor = z.object({ k: z.string(), p: z.number().int().nonnegative() });
const parseCursor = parserOf(Cursor);

/** The list a token belongs to: its path, so a token cannot be replayed against another list. */
function listKey(req: SimRequest): string {
  return req.path.toLowerCase();
}

/**
 * The position a `$skiptoken` resumes at (0 without one). Graph pages directory lists with an opaque
 * `$skiptoken` in `@odata.nextLink` (https://learn.microsoft.com/graph/paging); a token can expire mid-way,
 * answered with 400 Directory_ExpiredPageToken (seen in the field, e.g.
 * https://github.com/microsoftgraph/msgraph-sdk-java/issues/368), after which the client starts over.
 */
export function readPosition(call: RouteContext): number {
  const raw = call.req.query.get("$skiptoken");
  if (raw === null) return 0;
  const r = call.env.tokens.readSkip(raw, parseCursor);
  if (!r.ok) throw r.reason === "expired" ? expiredPageToken() : invalidPageToken();
  if (r.state.k !== listKey(call.req)) throw invalidPageToken();
  return r.state.p;
}

/** An absolute next link on the simulator's own host: the same query with a fresh `$skiptoken`. */
export function nextLinkFor(call: RouteContext, tokenParam: "$skiptoken", token: string): string {
  const q = new URLSearchParams(call.req.query);
  q.delete("$skiptoken");
  q.delete("$deltatoken");
  q.set(tokenParam, token);
  return `${call.req.origin}${call.req.path}?${queryString(q)}`;
}

/** A query string the way Graph prints it: `$`, commas, quotes and parentheses left readable. */
export function queryString(q: URLSearchParams): string {
  const enc = (s: string): string =>
    encodeURIComponent(s).replace(/%24/g, "$").replace(/%2C/gi, ",").replace(/%27/g, "'").replace(/%28/g, "(").replace(/%29/g, ")");
  return [...q.entries()].map(([k, v]) => `${enc(k)}=${enc(v)}`).join("&");
}

/** Pages at least this large are prepared ahead (smaller ones are cheap, and often not followed). */
const PREFETCH_MIN_PAGE = 200;

/**
 * One page over positions 0..length-1 of some list: `render(pos)` gives an item's JSON text or undefined to
 * skip it (deleted objects, hidden members). The page is streamed: items are rendered as the socket takes
 * them, and the next link (issued only when a further item exists) comes after `value`. The following page
 * is prepared in the background (see prefetch.ts).
 */
export function pageByPosition(
  call: RouteContext,
  context: string,
  top: number,
  length: number,
  render: (pos: number) => string | undefined,
): SimResponse {
  const start = readPosition(call); // validated now, so a bad token is an error answer, not a broken stream
  const key = listKey(call.req);
  const rest = new URLSearchParams(call.req.query);
  rest.delete("$skiptoken");
  const pageKey = (pos: number): string => `${key}?${queryString(rest)}#${pos}`;
  const prefetch = top >= PREFETCH_MIN_PAGE ? call.env.prefetch : undefined;

  /** `role.served`: the page goes to a client now (not merely prepared), so it may prepare its successor. */
  function* page(from: number, role: { served: boolean }): Generator<string> {
    yield `{"@odata.context":${JSON.stringify(context)},"value":[`;
    let count = 0;
    let pos = from;
    let more = false;
    for (; pos < length; pos++) {
      const item = render(pos);
      if (item === undefined) continue;
      if (count === top) {
        more = true;
        break;
      }
      yield count === 0 ? item : `,${item}`;
      count++;
    }
    let tail = "]";
    if (more) {
      tail += `,"@odata.nextLink":${JSON.stringify(nextLinkFor(call, "$skiptoken", call.env.tokens.issueSkip({ k: key, p: pos })))}`;
      if (prefetch && role.served) {
        const next = { served: false };
        prefetch.start(pageKey(pos), page(pos, next), () => (next.served = true));
      }
    }
    yield `${tail}}`;
  }
  const ready = prefetch?.claim(pageKey(start));
  return { status: 200, headers: { "Content-Type": JSON_TYPE }, stream: ready ?? page(start, { served: true }) };
}
