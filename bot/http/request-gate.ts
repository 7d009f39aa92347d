import type { IncomingHttpHeaders } from "node:http";

/** Why a request to /api/messages is refused before its body is read. */
export interface Refusal {
  readonly status: 400 | 401 | 413 | 415;
  readonly error: string;
}

/** What the gate checks a request's headers against. */
export interface GateOptions {
  /** Whether a Bot Framework token is required (everywhere but local mode). */
  readonly authRequired: boolean;
  /** The body's hard byte cap. */
  readonly maxBodyBytes: number;
}

/**
 * Checks what can be checked from the headers alone, so that a request the Bot Connector would never send is
 * refused before a byte of its body is read: only uncompressed JSON (`Content-Type: application/json`, a
 * UTF-8 charset at most), a declared length within the cap, and, when authentication is on, a bearer token.
 * The token itself is checked later by the Bot Framework adapter, which needs the parsed activity.
 */
export function gateMessageRequest(headers: IncomingHttpHeaders, options: GateOptions): Refusal | null {
  const encodings = tokens(headers["content-encoding"]);
  if (encodings.some((e) => e !== "identity")) return { status: 415, error: "Compressed bodies are not accepted: send the activity as plain JSON, without Content-Encoding." };
  const transfer = tokens(headers["transfer-encoding"]);
  if (transfer.some((t) => t !== "chunked")) return { status: 415, error: "Only chunked Transfer-Encoding is accepted." };
  if (!isJsonType(headers["content-type"])) return { status: 415, error: "Only Content-Type: application/json is accepted." };
  const declared = headers["content-length"];
  if (declared !== undefined) {
    if (!/^\d{1,15}$/.test(declared)) return { status: 400, error: "Content-Length is not a number." };
    if (Number(declared) > options.maxBodyBytes) return { status: 413, error: `The body is over ${options.maxBodyBytes} bytes.` };
  }
  if (options.authRequired && !hasBearer(headers.authorization)) return { status: 401, error: "A Bot Framework bearer token is required." };
  return null;
}

/** `application/json`, with at most a UTF-8 charset parameter (what the Bot Connector sends). */
function isJsonType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const [type, ...params] = value.split(";");
  if (type!.trim().toLowerCase() !== "application/json") return false;
  return params.every((param) => {
    if (param.trim() === "") return true;
    const eq = param.indexOf("=");
    const name = param.slice(0, Math.max(eq, 0)).trim().toLowerCase();
    const charset = param.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1").toLowerCase();
    return eq > 0 && name === "charset" && (charset === "utf-8" || charset === "utf8");
  });
}

function hasBearer(value: string | undefined): boolean {
  return value !== undefined && /^bearer +[^\s]+$/i.test(value);
}

/** A header's comma-separated tokens, lower-cased. */
function tokens(value: string | string[] | undefined): string[] {
  const joined = Array.isArray(value) ? value.join(",") : (value ?? "");
  return joined
    .split(",")
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t.length > 0);
}
