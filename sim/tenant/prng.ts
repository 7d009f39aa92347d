/**
 * Stateless hashing used as the tenant's only source of randomness: every generated value is a pure function
 * of (seed, kind, index, field), so object i can be rebuilt on demand and never needs to be stored.
 */

/** Bound once: inside jest's vm sandbox every `Math.imul` global lookup is two orders of magnitude slower. */
const imul = Math.imul;

function mix(h: number, k: number): number {
  let x = imul(k, 0xcc9e2d51);
  x = (x << 15) | (x >>> 17);
  x = imul(x, 0x1b873593);
  let y = h ^ x;
  y = (y << 13) | (y >>> 19);
  return (imul(y, 5) + 0xe6546b64) | 0;
}

function finish(h: number): number {
  let x = h ^ (h >>> 16);
  x = imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** An unsigned 32-bit hash of up to four integers (murmur3 mixing; fast and well distributed). */
export function hash32(a: number, b: number, c = 0, d = 0): number {
  return finish(mix(mix(mix(mix(0x2545f491, a), b), c), d));
}

/** Hash of a string, for deriving numeric seeds from names. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = mix(h, s.charCodeAt(i));
  return finish(h);
}

/**
 * The dice of one generated object: `at(field)` is a stable uint32 per field, so adding a field to a
 * generator never changes the values of the others.
 */
export class Dice {
  private readonly base: number;
  constructor(seed: number, kind: number, index: number) {
    this.base = hash32(seed, kind, index);
  }
  /** A stable uint32 for `field` (the base is already mixed, so one finishing round suffices). */
  at(field: number): number {
    return finish(this.base ^ imul(field + 1, 0x9e3779b1));
  }
  /** A stable integer in [0, n). */
  int(field: number, n: number): number {
    return n <= 0 ? 0 : this.at(field) % n;
  }
  /** True with probability `p` (stable per field). */
  chance(field: number, p: number): boolean {
    return this.at(field) / 4294967296 < p;
  }
  /** A stable element of a non-empty list. */
  pick<T>(field: number, list: readonly T[]): T {
    const v = list[this.int(field, list.length)];
    if (v === undefined) throw new Error("Dice.pick on an empty list");
    return v;
  }
}

/** A small seeded generator for run-time decisions (faults), owned by one simulator instance. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }
  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    return hash32(this.state, 0x5bd1e995) / 4294967296;
  }
}
