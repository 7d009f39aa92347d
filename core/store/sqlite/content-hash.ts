import { createHash } from "node:crypto";

/** Width of a content key in bytes. */
export const CONTENT_HASH_BYTES = 16;

/**
 * The key of a piece of content: the first 128 bits of its SHA-256 (of the UTF-8 text). 128 bits keep
 * accidental collisions out of reach (birthday bound 2^64 contents) at half the width of the full digest in
 * the key index; SHA-256 runs on the CPU's SHA extensions, so it costs less than building the JSON.
 */
export function contentHash(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest().subarray(0, CONTENT_HASH_BYTES);
}
