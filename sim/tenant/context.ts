import { IdCodec } from "./ids";
import { hash32 } from "./prng";
import { DEMO_DOMAIN, DEMO_PINNED_IDS } from "./demo";
import { DEMO_TENANT_ID, validateSpec } from "./presets";
import { KIND_CODE } from "./kinds";
import type { TenantSpec } from "../types";

/** What every generator needs: the spec, the id codec and the tenant's fixed names. */
export interface TenantContext {
  readonly spec: TenantSpec;
  readonly seed: number;
  readonly demo: boolean;
  readonly ids: IdCodec;
  readonly tenantId: string;
  readonly domain: string;
  /** Milliseconds since the epoch from which generated timestamps are drawn (fixed, never `Date.now()`). */
  readonly epochMs: number;
}

export function createContext(spec: TenantSpec, demo: boolean): TenantContext {
  validateSpec(spec);
  const seed = spec.seed >>> 0;
  const ids = new IdCodec(seed, demo ? DEMO_PINNED_IDS : []);
  return {
    spec,
    seed,
    demo,
    ids,
    tenantId: demo ? DEMO_TENANT_ID : ids.raw(KIND_CODE.tenant, 0),
    domain: demo ? DEMO_DOMAIN : `simtenant${(hash32(seed, 0x70) & 0xffff).toString(16)}.onmicrosoft.com`,
    epochMs: Date.UTC(2019, 0, 1),
  };
}
