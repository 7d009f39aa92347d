/**
 * JSON with object keys sorted at every depth, so equal properties give equal text, and so equal content
 * keys, whatever order Graph sent the keys in. Arrays keep their order (it can carry meaning).
 *
 * Made by copying objects with their keys in sorted order and letting the native `JSON.stringify` write the
 * copy: measured faster than writing the text by hand or passing a key list to `JSON.stringify`. (V8 lists
 * integer-like keys first whatever the insertion order; the text is still a function of the content.)
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortedCopy(value, 0)) ?? "null";
}

/** Deeper than any directory object; past it a cycle is left for `JSON.stringify` to refuse. */
const MAX_DEPTH = 64;

function sortedCopy(value: unknown, depth: number): unknown {
  if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const sorted = sortedCopy(item, depth + 1);
      if (sorted !== item) {
        copy ??= value.slice();
        copy[i] = sorted;
      }
    }
    return copy ?? value;
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return sortedCopy(toJSON.call(value), depth + 1);
  const record = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) {
    const item = sortedCopy(record[key], depth + 1);
    // An own "__proto__" key (JSON.parse makes them) must stay data, not become the copy's prototype.
    if (key === "__proto__") Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    else copy[key] = item;
  }
  return copy;
}
