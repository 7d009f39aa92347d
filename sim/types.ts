import type { Logger } from "pino";

/** The size and seed of a generated tenant. Every object is a pure function of (seed, kind, index). */
export interface TenantSpec {
  seed: number;
  users: number;
  groups: number;
  /** Total group membership links; the per-group counts sum to exactly this. */
  links: number;
  applications: number;
  conditionalAccessPolicies: number;
  namedLocations: number;
}

/** Injected failures, for testing a client's resilience. */
export interface FaultOptions {
  /** Fraction of requests answered 503 or 504. */
  errorRate?: number;
  /** Fraction of requests whose socket is destroyed without an answer. */
  dropRate?: number;
  /** Delay added before every answer. */
  latencyMs?: number;
}

/** Throttling switch or budget override (SPEC §6 limits by tenant size when not overridden). */
export type ThrottlingOptions = boolean | { resourceUnitsPer10s?: number; writesPer150s?: number };

export interface SimulatorOptions {
  tenant?: "demo" | "small" | "large" | TenantSpec;
  port?: number;
  throttling?: ThrottlingOptions;
  /** Multiplies the 10 s and 150 s throttling windows (0.01 makes them 100x shorter). */
  timeScale?: number;
  faults?: FaultOptions;
  /** A `$skiptoken` older than this is refused as expired (default one hour). */
  skipTokenTtlMs?: number;
  /** Member entries per delta page (default 10,000); a group with more continues on the next page. */
  deltaMembersPerPage?: number;
  /** Where `ca.pem` is written (default: a fresh temporary directory). */
  certDir?: string;
  logger?: Logger;
}

export interface SimStats {
  /** Graph operations served: top-level requests plus each request inside a `$batch` (not the envelope). */
  requests: number;
  /** Answers with status 429. */
  throttled: number;
  /** Successful writes. */
  writes: number;
  /** Successful writes per target object id. */
  writesByObject: Record<string, number>;
  /** Resource units charged. */
  resourceUnits: number;
  /** Injected 503/504 answers and dropped sockets. */
  faultsInjected: number;
  /** HTTP requests received on the socket, `$batch` envelopes and `/_sim/` calls included. */
  httpRequests: number;
}

export interface RunningSimulator {
  /** `https://127.0.0.1:PORT`; the Graph base is `url + "/v1.0"`. */
  url: string;
  /** Path of the CA certificate PEM clients must trust. */
  caFile: string;
  /** The CA certificate PEM text. */
  ca: string;
  tenantId: string;
  stats(): SimStats;
  resetStats(): void;
  setFaults(f: FaultOptions): void;
  setThrottling(t: ThrottlingOptions): void;
  /** Every `$skiptoken` issued so far becomes expired. */
  expireSkipTokens(): void;
  /** Every delta token issued so far answers 410. */
  expireDeltaTokens(): void;
  /** Changes a synced user or group as on-premises sync would (Graph refuses the same edit from the cloud). */
  syncEdit(id: string, properties: Record<string, unknown>): void;
  close(): Promise<void>;
}
