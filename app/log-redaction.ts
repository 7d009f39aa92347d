import pino from "pino";

/** What a masked value becomes in the log. */
export const REDACTED = "[redacted]";

// Bounds on one log entry's walk: logs are not hot, but an error can drag a socket, an agent or a whole
// response along (axios and MSAL errors do), and a log line must never copy those in full.
const MAX_DEPTH = 8;
const MAX_NODES = 2_000;
const MAX_KEYS = 200;
const MAX_ITEMS = 100;
const MAX_STRING = 16_384;

// Key names are compared lower-cased with separators removed, so `client_secret`, `clientSecret` and
// `Client-Secret` are one name. Anything that names a credential is masked, whatever its value.
const SECRET_NAME =
  /authorization|cookie|password|passwd|secret|token|credential|signature|assertion|connectionstring|apikey|accesskey|accountkey|masterkey|primarykey|secondarykey|privatekey|sharedkey|signingkey|subscriptionkey|cosmoskey|^key$|^sig$|^pwd$/;

/** Whether a property or header name names a credential (authorization, cookie, token, secret, key…). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name.toLowerCase().replace(/[^a-z0-9]/g, ""));
}

// Credentials inside free text. Each pattern only starts at a fixed word and its repeats are over classes
// that do not overlap what follows, so none can backtrack (a log line must not cost quadratic time).
const SCHEME_TOKEN = /\b(bearer|basic)(\s+)[A-Za-z0-9\-._~+/]+=*/gi;
const HEADER_LINE = /\b(authorization|cookie|api-key|ocp-apim-subscription-key)([ \t]*:)[^\r\n]*/gi;
const PAIR = /\b(client_secret|client_assertion|password|access_token|refresh_token|id_token|AccountKey|SharedAccessKey|sig)=[^&\s;,"']*/gi;
// Runs of token characters; those shaped like a JWT (three base64url parts, the first a JSON header) are masked.
const TOKEN_RUN = /[A-Za-z0-9_\-.]{40,}/g;

/** Masks bearer and basic credentials, credential header lines, `client_secret=`-style pairs and JWTs in text. */
export function redactText(text: string): string {
  const capped = text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…[${text.length - MAX_STRING} more characters]` : text;
  return capped
    .replace(SCHEME_TOKEN, (_m, scheme: string, space: string) => `${scheme}${space}${REDACTED}`)
    .replace(HEADER_LINE, (_m, name: string, colon: string) => `${name}${colon} ${REDACTED}`)
    .replace(PAIR, (_m, name: string) => `${name}=${REDACTED}`)
    .replace(TOKEN_RUN, (run) => (run.startsWith("eyJ") && run.split(".").length === 3 ? REDACTED : run));
}

interface Walk {
  nodes: number;
  readonly ancestors: Set<object>;
}

/**
 * A copy of `value` fit for a log line: values under credential-named keys masked at any depth (errors
 * included, with their nested request and response), credentials in strings masked, and the copy bounded in
 * depth, breadth and size. Errors become pino's usual `{ type, message, stack, …}` shape.
 */
export function redactForLog(value: unknown): unknown {
  return walk(value, 0, { nodes: 0, ancestors: new Set() });
}

/** `redactForLog` for a log entry's top-level object (what pino's formatters receive). */
export function redactRecord(record: Record<string, unknown>): Record<string, unknown> {
  const out = redactForLog(record);
  return typeof out === "object" && out !== null && !Array.isArray(out) ? (out as Record<string, unknown>) : { value: out };
}

function walk(value: unknown, depth: number, state: Walk): unknown {
  if (typeof value === "string") return redactText(value);
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object") return value;
  if (state.ancestors.has(value)) return "[circular]";
  if (depth >= MAX_DEPTH) return "[too deep]";
  if (++state.nodes > MAX_NODES) return "[truncated]";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (ArrayBuffer.isView(value)) return `[${value.constructor.name} of ${value.byteLength} bytes]`;
  state.ancestors.add(value);
  try {
    return walkObject(value, depth, state);
  } finally {
    state.ancestors.delete(value);
  }
}

function walkObject(value: object, depth: number, state: Walk): unknown {
  if (value instanceof Error) return walkEntries(Object.entries(pino.stdSerializers.err(value)), depth, state);
  if (value instanceof Map) return walkEntries([...value.entries()].map(([k, v]) => [String(k), v] as const), depth, state);
  if (Array.isArray(value)) return walkArray(value, depth, state);
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") {
    // Header collections (fetch's Headers, Azure's HttpHeaders, AxiosHeaders) print through toJSON.
    try {
      return walk((toJSON as () => unknown).call(value), depth + 1, state);
    } catch {
      return "[unprintable]";
    }
  }
  return walkEntries(Object.entries(value), depth, state);
}

function walkEntries(entries: ReadonlyArray<readonly [string, unknown]>, depth: number, state: Walk): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of entries.slice(0, MAX_KEYS)) out[key] = isSecretName(key) && v !== undefined && v !== null ? REDACTED : walk(v, depth + 1, state);
  if (entries.length > MAX_KEYS) out["…"] = `${entries.length - MAX_KEYS} more keys`;
  return out;
}

function walkArray(items: readonly unknown[], depth: number, state: Walk): unknown[] {
  const out: unknown[] = [];
  const shown = Math.min(items.length, MAX_ITEMS);
  for (let i = 0; i < shown; i++) {
    // Raw header lists alternate names and values: ["Cookie", "a=b", "Authorization", "Bearer …"].
    const previous = items[i - 1];
    out.push(typeof previous === "string" && isSecretName(previous) && typeof items[i] === "string" ? REDACTED : walk(items[i], depth + 1, state));
  }
  if (items.length > shown) out.push(`…${items.length - shown} more`);
  return out;
}
