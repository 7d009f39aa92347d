/** How long the gateway waits for Graph and for tokens. */
export interface GraphTimeouts {
  /** One Graph request, from connecting to the last byte of the answer; each retry gets its own. */
  readonly requestMs: number;
  /** One token acquisition (MSAL's call to Microsoft Entra, or whatever the token provider does). */
  readonly tokenMs: number;
}

/**
 * Defaults: a page of 999 objects comes in seconds, so a minute is ample and a hung connection costs one
 * minute per attempt instead of undici's five; tokens come in well under a second.
 */
export const DEFAULT_GRAPH_TIMEOUTS: GraphTimeouts = { requestMs: 60_000, tokenMs: 30_000 };

/**
 * A Graph or token request that got no complete answer in time. The gateway treats it like a dropped
 * connection: retried where that is safe, then a `DirectoryError` with status 0.
 */
export class GraphTimeoutError extends Error {
  override readonly name = "GraphTimeoutError";
}

/** "60 s", "1.5 s": a timeout as the messages say it. */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
