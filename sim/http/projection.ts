import type { JsonObject } from "../tenant/json";

/** Builds a `$select` projection of one object. */
export type Projector = (obj: JsonObject) => JsonObject;

const MAX_CACHED = 64;

/**
 * Compiled `$select` projections, cached per select list (bounded, one cache per simulator).
 *
 * Why compiled: a projection built as one object literal gets a fixed hidden class, which V8 serializes about
 * twice as fast as an object grown key by key; list pages of 999 users spend most of their time here.
 * Safety: every name was already checked against the kind's known property set before reaching this point,
 * and each is embedded as a JSON string literal, so no request text becomes code.
 */
export class ProjectionCache {
  private readonly cache = new Map<string, Projector>();

  get(select: readonly string[]): Projector {
    const key = select.join(",");
    let p = this.cache.get(key);
    if (!p) {
      const fields = ["@odata.type", ...select.filter((k) => k !== "@odata.type")]
        .map((k) => `${JSON.stringify(k)}: o[${JSON.stringify(k)}]`)
        .join(", ");
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- see the class comment
      p = new Function("o", `return { ${fields} };`) as Projector;
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(key, p);
    }
    return p;
  }
}
