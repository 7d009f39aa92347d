import { hash32 } from "./prng";
import { KIND_BY_CODE, KIND_CODE, type Kind } from "./kinds";

/** Where an id points: a kind and an index in that kind's index space. */
export interface IdTarget {
  kind: Kind;
  index: number;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether `s` is syntactically a GUID (Graph answers "Invalid object identifier" otherwise). */
export function isGuid(s: string): boolean {
  return GUID.test(s.toLowerCase());
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

/** The 4096 three-digit hex strings, so GUID parts need no number formatting on the hot path. */
const HEX3: readonly string[] = Array.from({ length: 4096 }, (_, i) => hex(i, 3));

function hex3(n: number): string {
  return HEX3[n & 0xfff] ?? "000";
}

/** `n` as exactly 12 hex digits (n < 2^48). */
function hex12(n: number): string {
  const hi = Math.floor(n / 16777216);
  const lo = n - hi * 16777216;
  return hex3(hi >>> 12) + hex3(hi) + hex3(lo >>> 12) + hex3(lo);
}

/**
 * Deterministic GUIDs of the form `PPPPPPPP-KKKK-4HHH-8HHH-IIIIIIIIIIII`: a seed-derived prefix, the kind
 * code, 24 hash bits (so foreign GUIDs that share the prefix are not mistaken for ours) and the index.
 * A few ids can be pinned (the demo tenant's fixed people).
 */
export class IdCodec {
  private readonly prefix: string;
  /** `prefix-KKKK-4` per code, computed once per codec. */
  private readonly heads = new Map<number, string>();
  private readonly pinnedById = new Map<string, IdTarget>();
  private readonly pinnedByKey = new Map<string, string>();

  constructor(private readonly seed: number, pinned: ReadonlyArray<{ id: string } & IdTarget> = []) {
    this.prefix = hex(hash32(seed, 0x1d5) , 8);
    for (const p of pinned) {
      const id = p.id.toLowerCase();
      this.pinnedById.set(id, { kind: p.kind, index: p.index });
      this.pinnedByKey.set(`${p.kind}:${p.index}`, id);
    }
  }

  /** The id of object `index` of `kind`. */
  id(kind: Kind, index: number): string {
    if (this.pinnedByKey.size > 0) {
      const pinned = this.pinnedByKey.get(`${kind}:${index}`);
      if (pinned !== undefined) return pinned;
    }
    return this.raw(KIND_CODE[kind], index);
  }

  /** The application (client) id of application `index`; its service principal carries the same appId. */
  appId(index: number): string {
    return this.raw(KIND_CODE.appId, index);
  }

  /** An id in one of the auxiliary spaces (tenant, appId) that are not directory object kinds. */
  raw(code: number, index: number): string {
    const h = hash32(this.seed, code, index);
    let head = this.heads.get(code);
    if (head === undefined) {
      head = `${this.prefix}-${hex(code, 4)}-4`;
      this.heads.set(code, head);
    }
    return `${head}${hex3(h)}-8${hex3(h >>> 12)}-${hex12(index)}`;
  }

  /** Maps an id back to (kind, index), or undefined when it is not one of ours (then it does not exist). */
  parse(id: string): IdTarget | undefined {
    const s = id.toLowerCase();
    const pinned = this.pinnedById.get(s);
    if (pinned !== undefined) return pinned;
    if (!GUID.test(s) || !s.startsWith(this.prefix)) return undefined;
    const kind = KIND_BY_CODE.get(parseInt(s.slice(9, 13), 16));
    if (kind === undefined) return undefined;
    const index = parseInt(s.slice(24), 16);
    if (this.raw(KIND_CODE[kind], index) !== s) return undefined;
    if (this.pinnedByKey.has(`${kind}:${index}`)) return undefined; // pinned objects answer only to their pinned id
    return { kind, index };
  }

  /** Maps an application (client) id back to the application index. */
  parseAppId(appId: string): number | undefined {
    const s = appId.toLowerCase();
    if (!GUID.test(s) || !s.startsWith(this.prefix) || parseInt(s.slice(9, 13), 16) !== KIND_CODE.appId) return undefined;
    const index = parseInt(s.slice(24), 16);
    return this.raw(KIND_CODE.appId, index) === s ? index : undefined;
  }
}
