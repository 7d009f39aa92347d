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
  /** Fraction of requests that never get an answer: the connection stays open and silent; nothing is carried out. */
  hangRate?: number;
  /** Fraction of requests answered with headers and the start of a body that never ends; nothing is carried out. */
  hangBodyRate?: number;
  /**
   * Fraction of writes (a `$batch` holding one included) that are carried out and whose connection is then
   * dropped instead of the answer: the client cannot tell whether the write landed.
   */
  lostAnswerDropRate?: number;
  /** Fraction of writes (a `$batch` holding one included) that are carried out and then answered 503 or 504. */
  lostAnswerErrorRate?: number;
  /** Fraction of the writes inside a `$batch` that are carried out and then given a 503 or 504 inner answer. */
  lostInnerAnswerRate?: number;
  /**
   * Of the `errorRate` and `dropRate` faults drawn for a request that writes (any method but GET), this
   * fraction strikes after the write was carried out (its answer lost) instead of before: the rates stay
   * shares of all requests, and some of the failed writes landed.
   */
  afterWriteShare?: number;
  /** Faults injected at most (every kind counted) since the last `setFaults`; then requests pass untouched. Default: no limit. */
  maxFaults?: number;
}

/** One write the simulator carried out (or refused), as `GET /_sim/write-log` lists it. */
export interface WriteLogEntry {
  /** Position in the log, from 1, never reused: `GET /_sim/write-log?after=<seq>` reads on from there. */
  seq: number;
  /** When the write was handled (ISO). */
  at: string;
  method: string;
  /** The path as requested, with its version, without the query. */
  path: string;
  /** The object written: the created object, else the first id in the path. */
  id?: string;
  /** Link targets the request named: a `$ref` body or path, `…@odata.bind` lists. */
  refs?: string[];
  /** The handler's status (2xx: carried out); what the client got unless `lost`. */
  status: number;
  /** Sent inside a `$batch`. */
  inBatch: boolean;
  /** The answer was lost after the write was handled: the connection dropped, or 503/504 sent instead. */
  lost?: "drop" | "503" | "504";
  /**
   * The write changed the tenant: false for one that left it as it was (a PATCH of the values already held,
   * a reference added that was already there, a refused write), so a repeat of a landed write shows.
   */
  changed: boolean;
}

/** A slice of the write log. */
export interface WriteLogPage {
  entries: WriteLogEntry[];
  /** Entries no longer held (the log keeps the newest `writeLogLimit`). */
  evicted: number;
}

/** Throttling switch or budget override (Graph's identity-and-access limits by tenant size when not overridden). */
export type ThrottlingOptions = boolean | { resourceUnitsPer10s?: number; writesPer150s?: number };

/** One Graph request the simulator answered (inside a `$batch` too), as an observer sees it. */
export interface SimExchange {
  inBatch: boolean;
  method: string;
  /** With its version (`/v1.0/users`), without the query. */
  path: string;
  /** The query string with its `?`, or "". */
  query: string;
  /** The parsed JSON body, undefined when there was none. */
  requestBody: unknown;
  status: number;
  /** The answer's JSON text, undefined when it had none. */
  responseBody: string | undefined;
}

/** Sees every exchange; it must not throw and must not keep the simulator waiting. */
export type SimObserver = (exchange: SimExchange) => void;

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
  /** Writes the write log keeps in memory, the newest ones (default 10,000). */
  writeLogLimit?: number;
  logger?: Logger;
  /** Sees every request and answer (the conformance checker); default: the process-wide one, if set. */
  observer?: SimObserver;
  /**
   * Which bearer tokens are valid; others get Graph's 401 InvalidAuthenticationToken. Default: any non-empty
   * one (tests that show a credential's token really reaches Graph pass a check).
   */
  acceptsToken?: (token: string) => boolean;
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
  /** Injected faults: 503/504 answers, dropped sockets, hangs and lost answers. */
  faultsInjected: number;
  /**
   * The same by kind: `drop`, `503`, `504`, `hang`, `hangBody` (nothing carried out), `lostAnswerDrop`,
   * `lostAnswer503`, `lostAnswer504` (a write, or a `$batch` holding one, carried out first),
   * `lostInnerAnswer503`, `lostInnerAnswer504` (a write inside a `$batch`, carried out first).
   */
  faultsByKind: Record<string, number>;
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
  /** Zeroes the counters and empties the write log. */
  resetStats(): void;
  setFaults(f: FaultOptions): void;
  setThrottling(t: ThrottlingOptions): void;
  /** Every `$skiptoken` issued so far becomes expired. */
  expireSkipTokens(): void;
  /** Every delta token issued so far answers 410. */
  expireDeltaTokens(): void;
  /** Changes a synced user or group as on-premises sync would (Graph refuses the same edit from the cloud). */
  syncEdit(id: string, properties: Record<string, unknown>): void;
  /** The writes handled since the last `resetStats`, those after `after` (a `seq`) when given. */
  writeLog(after?: number): WriteLogPage;
  close(): Promise<void>;
}
