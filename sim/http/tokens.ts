import { createHmac, randomBytes } from "node:crypto";
import { z } from "zod";

/**
 * Delta tokens live 7 days in Graph for identity resources
 * (https://devblogs.microsoft.com/microsoft365dev/duration-of-change-tracking-tokens-for-identity-and-education-resources/).
 */
export const DELTA_TOKEN_TTL_MS = 7 * 86400000;

const Envelope = z.object({ n: z.number().int(), t: z.number(), p: z.unknown() });

export type TokenRead<T> = { ok: true; state: T } | { ok: false; reason: "expired" | "invalid" };

/**
 * Issues and checks the opaque `$skiptoken` and `$deltatoken` values. A token carries its serial number,
 * its issue time and the paging state, sealed with an HMAC so a client cannot forge or edit one. Expiry is
 * by age or by a watermark (`expireSkipTokens()` expires every serial issued so far).
 */
export class TokenIssuer {
  private readonly key = randomBytes(16);
  private serial = 0;
  private skipWatermark = -1;
  private deltaWatermark = -1;

  constructor(private readonly skipTtlMs: number, private readonly now: () => number) {}

  private seal(payload: string): string {
    const mac = createHmac("sha256", this.key).update(payload).digest().subarray(0, 12).toString("base64url");
    return `${Buffer.from(payload).toString("base64url")}.${mac}`;
  }

  private open<T>(token: string, ttlMs: number, watermark: number, parse: (v: unknown) => T | undefined): TokenRead<T> {
    const [body, mac] = token.split(".");
    if (!body || !mac) return { ok: false, reason: "invalid" };
    const payload = Buffer.from(body, "base64url").toString();
    if (this.seal(payload) !== token) return { ok: false, reason: "invalid" };
    let raw: unknown;
    try {
      raw = JSON.parse(payload);
    } catch {
      return { ok: false, reason: "invalid" };
    }
    const env = Envelope.safeParse(raw);
    if (!env.success) return { ok: false, reason: "invalid" };
    if (env.data.n <= watermark || this.now() - env.data.t > ttlMs) return { ok: false, reason: "expired" };
    const state = parse(env.data.p);
    return state === undefined ? { ok: false, reason: "invalid" } : { ok: true, state };
  }

  private issue(state: unknown): string {
    return this.seal(JSON.stringify({ n: this.serial++, t: this.now(), p: state }));
  }

  issueSkip(state: unknown): string {
    return this.issue(state);
  }

  readSkip<T>(token: string, parse: (v: unknown) => T | undefined): TokenRead<T> {
    return this.open(token, this.skipTtlMs, this.skipWatermark, parse);
  }

  issueDelta(state: unknown): string {
    return this.issue(state);
  }

  readDelta<T>(token: string, parse: (v: unknown) => T | undefined): TokenRead<T> {
    return this.open(token, DELTA_TOKEN_TTL_MS, this.deltaWatermark, parse);
  }

  expireSkipTokens(): void {
    this.skipWatermark = this.serial - 1;
  }

  /** Changes whenever skip tokens are expired (pages prepared before that carry dead tokens). */
  get skipEpoch(): number {
    return this.skipWatermark;
  }

  expireDeltaTokens(): void {
    this.deltaWatermark = this.serial - 1;
  }
}

/** A zod-backed parser for token states. */
export function parserOf<T>(schema: z.ZodType<T>): (v: unknown) => T | undefined {
  return (v) => {
    const r = schema.safeParse(v);
    return r.success ? r.data : undefined;
  };
}
