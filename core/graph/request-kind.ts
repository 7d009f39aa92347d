/** What the gateway needs to know about a request before sending it again. */

/** Write units a request spends: 1 for a write, one per inner write of a `$batch`. */
export function countWrites(url: string, method: string, body: unknown): number {
  const m = method.toUpperCase();
  if (m === "GET" || m === "HEAD") return 0;
  if (!isBatchUrl(url)) return 1;
  return batchRequests(body).filter((r) => (r.method ?? "GET").toUpperCase() !== "GET").length;
}

/**
 * Whether sending a request twice does no more than sending it once, so that one whose answer was lost may
 * simply be sent again. GET and PUT (`…/manager/$ref`) are; PATCH is, unless it binds references
 * (`members@odata.bind`: sent again after it landed, it answers "already exist"). POST (restores, `$ref`
 * adds) and DELETE (soft deletes, `$ref` removes) are not: sent again after they landed, they answer 404 or
 * 400 for something that worked. A `$batch` is as safe as each of its requests.
 */
export function isIdempotent(method: string, url: string, body: unknown): boolean {
  switch (method.toUpperCase()) {
    case "GET":
    case "HEAD":
    case "PUT":
      return true;
    case "PATCH":
      return !bindsReferences(parseBody(body));
    case "POST":
      return isBatchUrl(url) && batchRequests(body).every((r) => isIdempotent(r.method ?? "GET", r.url ?? "", r.body));
    default:
      return false;
  }
}

/** An outcome that does not say whether a write was carried out: no answer (dropped, timed out) or a 5xx. */
export function isLostAnswer(status: number): boolean {
  return status === 0 || status >= 500;
}

interface InnerRequest {
  readonly method?: string;
  readonly url?: string;
  readonly body?: unknown;
}

function isBatchUrl(url: string): boolean {
  return /\/\$batch(\?|$)/.test(url);
}

/** The requests of a `$batch` body, as sent (a JSON string) or about to be (an object). */
function batchRequests(body: unknown): InnerRequest[] {
  const parsed = parseBody(body);
  if (typeof parsed !== "object" || parsed === null) return [];
  const requests = (parsed as { requests?: unknown }).requests;
  return Array.isArray(requests) ? requests.filter((r): r is InnerRequest => typeof r === "object" && r !== null) : [];
}

function parseBody(body: unknown): unknown {
  if (typeof body !== "string") return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function bindsReferences(body: unknown): boolean {
  return typeof body === "object" && body !== null && Object.keys(body).some((k) => k.endsWith("@odata.bind"));
}
