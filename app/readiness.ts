import type { Logger } from "pino";
import type { ReadinessReport } from "../bot/bot-server";
import type { RecoveryRequestStore } from "../core/ports";
import { withDeadline } from "../lib/deadline";

/** One dependency `/readyz` checks, with its own deadline. */
export interface ReadinessCheck {
  readonly name: string;
  readonly timeoutMs: number;
  run(): Promise<unknown>;
}

/** How long each check may take by default: a probe must answer well within a load balancer's own timeout. */
export const DEFAULT_CHECK_TIMEOUT_MS = 3_000;

/** An id no recovery request can have (they are UUIDs): reading it costs one point read and finds nothing. */
const PROBE_REQUEST_ID = "rewind-readiness-probe";

/** The store answers: a point read through the Store port. */
export function storeCheck(store: RecoveryRequestStore, tenantId: string, timeoutMs = DEFAULT_CHECK_TIMEOUT_MS): ReadinessCheck {
  return { name: "store", timeoutMs, run: () => store.getRecoveryRequest(tenantId, PROBE_REQUEST_ID) };
}

/** Microsoft Graph tokens can be had (MSAL caches them, so this is cheap while one is valid). */
export function graphTokenCheck(getToken: () => Promise<unknown>, timeoutMs = DEFAULT_CHECK_TIMEOUT_MS): ReadinessCheck {
  return { name: "graphToken", timeoutMs, run: getToken };
}

/**
 * Runs the checks side by side, each bounded by its own timeout, and reports each as "ok", "failed" or
 * "timed out" (the detail goes to the log, never to the prober). A check still running from a recent probe
 * is awaited again rather than started anew, so a hung dependency piles up no calls; after five of its
 * timeouts it is given up and tried afresh, so readiness comes back when the dependency does.
 */
export function readinessProbe(checks: readonly ReadinessCheck[], log: Logger): () => Promise<ReadinessReport> {
  const running = new Map<string, { readonly done: Promise<unknown>; readonly startedAt: number }>();
  const start = (check: ReadinessCheck): Promise<unknown> => {
    const existing = running.get(check.name);
    if (existing && Date.now() - existing.startedAt < check.timeoutMs * 5) return existing.done;
    const entry = {
      startedAt: Date.now(),
      done: Promise.resolve()
        .then(() => check.run())
        .finally(() => {
          if (running.get(check.name) === entry) running.delete(check.name);
        }),
    };
    running.set(check.name, entry);
    return entry.done;
  };
  const outcome = async (check: ReadinessCheck): Promise<string> => {
    try {
      await withDeadline(start(check), check.timeoutMs, () => new CheckTimeout());
      return "ok";
    } catch (err) {
      if (err instanceof CheckTimeout) {
        log.warn({ check: check.name, timeoutMs: check.timeoutMs }, "readiness check timed out");
        return "timed out";
      }
      log.warn({ check: check.name, err }, "readiness check failed");
      return "failed";
    }
  };
  return async () => {
    const results = await Promise.all(checks.map(async (check) => [check.name, await outcome(check)] as const));
    return { ready: results.every(([, result]) => result === "ok"), checks: Object.fromEntries(results) };
  };
}

/** A readiness check that outlasted its time. */
class CheckTimeout extends Error {}
